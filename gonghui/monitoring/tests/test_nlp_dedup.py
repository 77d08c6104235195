"""Near-duplicate detection with MinHash LSH."""

from gonghui.monitoring.nlp import DedupIndex, fingerprint, fingerprint_bytes, from_bytes, similarity

ORIGINAL = (
    "某某物流公司拖欠我们三个月工资，今天几十个工人堵在公司门口讨薪，老板电话一直打不通，大家都很着急。"
)
REPOST = (
    "转发：某某物流公司拖欠我们三个月工资！今天几十个工人堵在公司门口讨薪，老板电话一直打不通，大家都很着急"
)
UNRELATED = "周末带孩子去了自然博物馆，恐龙化石太震撼了，孩子玩得很开心，下次还要去天文馆看看。"


def test_similarity_of_reposts_and_unrelated_texts():
    assert similarity(ORIGINAL, REPOST) >= 0.8
    assert similarity(ORIGINAL, UNRELATED) < 0.2
    assert similarity(ORIGINAL, ORIGINAL) == 1.0


def test_index_finds_reposts_with_small_edits_and_not_unrelated_posts():
    index = DedupIndex()
    index.add("a", ORIGINAL)
    index.add("b", UNRELATED)
    assert index.query(REPOST) == "a"
    assert index.query("市人社局发布2024年度企业工资指导线，基准线为5%。") is None
    assert len(index) == 2 and "a" in index


def test_index_threshold_is_configurable():
    edited = ORIGINAL.replace("三个月", "五个月").replace("几十个", "上百个").replace("着急", "愤怒")
    strict = DedupIndex(threshold=0.95)
    strict.add(1, ORIGINAL)
    assert strict.query(edited) is None
    loose = DedupIndex(threshold=0.5)
    loose.add(1, ORIGINAL)
    assert loose.query(edited) == 1


def test_remove_and_re_add():
    index = DedupIndex()
    index.add(1, ORIGINAL)
    index.remove(1)
    assert index.query(REPOST) is None
    index.add(1, UNRELATED)
    index.add(1, ORIGINAL)  # re-adding a key replaces it
    assert index.query(REPOST) == 1


def test_fingerprints_store_as_bytes():
    data = fingerprint_bytes(ORIGINAL)
    assert isinstance(data, bytes) and len(data) == 128 * 4
    restored = from_bytes(data)
    assert similarity(restored, fingerprint(ORIGINAL)) == 1.0
    index = DedupIndex()
    index.add("stored", data)
    assert index.query(REPOST) == "stored"


def test_short_and_empty_texts():
    assert similarity("", "") == 1.0 or similarity("", "") == 0.0
    assert DedupIndex().query("") is None
