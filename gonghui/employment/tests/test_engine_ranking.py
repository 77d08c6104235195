import random

import pytest

from gonghui.employment.engine.ranking import JobDoc, JobIndex, SeekerIndex, SeekerProfile, Weights
from gonghui.employment.engine.recommend import recommend

PUDONG, XUHUI, MINHANG = "310115", "310104", "310112"


def corpus() -> list[JobDoc]:
    return [
        JobDoc(
            1,
            "叉车司机",
            "负责仓库货物装卸、搬运，熟练操作电动叉车",
            occupation="6",
            district=PUDONG,
            salary_min=6000,
            salary_max=8000,
            skills=("叉车证",),
        ),
        JobDoc(
            2,
            "仓库叉车工（包吃住）",
            "仓储中心叉车作业，两班倒",
            occupation="6",
            district=XUHUI,
            salary_min=5000,
            salary_max=6500,
        ),
        JobDoc(
            3,
            "仓库管理员",
            "仓储物流出入库管理，WMS系统，盘点",
            occupation="4-02",
            district=PUDONG,
            salary_min=5500,
            salary_max=7000,
            education="associate",
        ),
        JobDoc(
            4,
            "中式烹调师",
            "川菜厨师，负责热菜出品",
            occupation="4-03-02-01",
            district=PUDONG,
            salary_min=7000,
            salary_max=9000,
        ),
        JobDoc(
            5,
            "Java开发工程师",
            "后端开发，熟悉MySQL",
            occupation="2-02-10-11",
            district=XUHUI,
            salary_min=15000,
            salary_max=25000,
            education="bachelor",
            experience_min=3,
        ),
        JobDoc(
            6,
            "快递员",
            "片区快件揽收派送",
            occupation="4-02-07-08",
            district=MINHANG,
            salary_min=7000,
            salary_max=12000,
        ),
        JobDoc(
            7,
            "保洁员",
            "写字楼公共区域清洁",
            occupation="4-10",
            district=PUDONG,
            salary_min=4000,
            salary_max=5000,
        ),
        JobDoc(
            8,
            "电工",
            "配电设备运行维护，持低压电工证",
            occupation="6-31-01-03",
            district=MINHANG,
            salary_min=7000,
            salary_max=10000,
            skill_level=3,
        ),
    ]


def ids(matches):
    return [m.id for m in matches]


def test_forklift_seeker_gets_forklift_jobs_first():
    index = JobIndex(corpus())
    result = index.search(SeekerProfile("有叉车证，开过三年叉车，想找仓储物流方面的工作"), k=3)
    assert set(ids(result)[:2]) == {1, 2}
    assert ids(result)[2] == 3
    text = dict(result[0].reasons)["text"]
    assert "叉车" in text["terms"]


def test_district_moves_results():
    index = JobIndex(corpus())
    base = SeekerProfile("叉车")
    assert index.search(SeekerProfile("叉车", districts=(XUHUI,)), k=1)[0].id == 2
    assert index.search(SeekerProfile("叉车", districts=(PUDONG,)), k=1)[0].id == 1
    reasons = dict(index.search(SeekerProfile("叉车", districts=(XUHUI,)), k=1)[0].reasons)
    assert reasons["district"] == {"district": XUHUI}
    assert ids(index.search(base, k=2)) != []


def test_salary_fit_moves_results():
    docs = [
        JobDoc(1, "叉车司机", "仓库叉车", salary_min=4000, salary_max=5000),
        JobDoc(2, "叉车司机", "仓库叉车", salary_min=7000, salary_max=9000),
    ]
    index = JobIndex(docs)
    assert ids(index.search(SeekerProfile("叉车司机"), k=2)) == [1, 2]  # a tie: lower id first
    result = index.search(SeekerProfile("叉车司机", salary_min=8000), k=2)
    assert ids(result) == [2, 1]
    assert dict(result[0].reasons)["salary_overlap"] == {"min": 7000, "max": 9000, "wanted": 8000}
    assert "salary_below" in dict(result[1].reasons)


def test_education_and_experience_shortfalls_push_down_and_explain():
    docs = [
        JobDoc(1, "软件开发工程师", "Java", education="bachelor", experience_min=5),
        JobDoc(2, "软件开发工程师", "Java", education="associate", experience_min=1),
    ]
    index = JobIndex(docs)
    result = index.search(SeekerProfile("Java软件开发", education="associate", experience_years=2), k=2)
    assert ids(result) == [2, 1]
    reasons = dict(result[1].reasons)
    assert reasons["education_gap"] == {"required": "bachelor"}
    assert reasons["experience_gap"] == {"required": 5}
    assert dict(result[0].reasons)["education"] == {"level": "associate"}


def test_skill_level_and_occupation_code():
    index = JobIndex(corpus())
    certified = index.search(SeekerProfile("电工", skill_level=3), k=1)[0]
    assert certified.id == 8 and dict(certified.reasons)["skill_level"] == {"rank": 3}
    uncertified = index.search(SeekerProfile("电工", skill_level=1), k=1)[0]
    assert "skill_gap" in dict(uncertified.reasons) and uncertified.score < certified.score
    # a structured occupation alone (no text) finds the posting with that code
    by_code = index.search(SeekerProfile("", occupations=("4-02-07-08",)), k=1)[0]
    assert by_code.id == 6 and dict(by_code.reasons)["occupation"] == {"code": "4-02-07-08", "exact": True}
    # a group code reaches every occupation inside it
    group = index.search(SeekerProfile("", occupations=("4-02",)), k=2)
    assert set(ids(group)) == {3, 6}


def test_priority_group_boost_and_reason():
    docs = [
        JobDoc(1, "仓库管理员", "仓储"),
        JobDoc(2, "仓库管理员", "仓储", priority_groups=("hardship_graduate",)),
    ]
    index = JobIndex(docs)
    assert ids(index.search(SeekerProfile("仓库管理员"), k=2)) == [1, 2]
    result = index.search(SeekerProfile("仓库管理员", priority_groups=("hardship_graduate",)), k=2)
    assert ids(result) == [2, 1]
    assert ("priority", {"group": "hardship_graduate"}) in result[0].reasons


def test_campaign_boost():
    docs = [JobDoc(1, "质检员", "检验"), JobDoc(2, "质检员", "检验", campaigns=("graduates-2026",))]
    result = JobIndex(docs).search(SeekerProfile("质检", campaigns=("graduates-2026",)), k=2)
    assert ids(result) == [2, 1] and ("campaign", {"campaign": "graduates-2026"}) in result[0].reasons


def test_filters():
    index = JobIndex(corpus())
    profile = SeekerProfile("叉车 仓库")
    assert ids(index.search(profile, k=10, filters={"districts": [XUHUI]})) == [2]
    assert ids(index.search(profile, k=10, filters={"occupation": "4-02"})) == [3]  # 快递员 shares no word
    assert set(ids(index.search(SeekerProfile(""), k=10, filters={"occupation": "4-02"}))) == {3, 6}
    assert 1 not in ids(index.search(profile, k=10, filters={"exclude": {1}}))
    assert all(m.id != 2 for m in index.search(profile, k=10, filters={"min_salary": 7000}))


def test_incremental_add_remove_update():
    index = JobIndex(corpus())
    profile = SeekerProfile("叉车司机", districts=(PUDONG,))
    assert index.search(profile, k=1)[0].id == 1
    index.remove(1)
    assert 1 not in index and 1 not in ids(index.search(profile, k=10))
    index.add(JobDoc(9, "电动叉车司机", "叉车", district=PUDONG))
    assert index.search(profile, k=1)[0].id == 9
    index.update(JobDoc(9, "保洁员", "清洁", district=PUDONG))
    assert 9 not in ids(index.search(SeekerProfile("叉车司机"), k=10))
    assert index.search(SeekerProfile("保洁"), k=1)[0].id in {7, 9}
    assert len(index) == 8
    assert index.remove(12345) is False


def test_removed_documents_stop_counting_in_idf():
    docs = [JobDoc(i, "叉车司机", "叉车") for i in range(1, 6)] + [JobDoc(6, "厨师", "厨房")]
    index = JobIndex(docs)
    before = index.search(SeekerProfile("叉车"), k=1)[0].score
    for i in range(2, 6):
        index.remove(i)
    assert index.store.live == 2
    # the answer must be the same as an index built from the survivors
    fresh = JobIndex([docs[0], docs[5]])
    assert index.search(SeekerProfile("叉车 厨师"), k=2) == fresh.search(SeekerProfile("叉车 厨师"), k=2)
    assert before > 0


def _random_corpus(rng: random.Random, n: int) -> list[JobDoc]:
    titles = [
        "叉车司机",
        "仓库管理员",
        "厨师",
        "快递员",
        "保洁员",
        "电工",
        "焊工",
        "销售代表",
        "客服专员",
        "会计",
    ]
    words = [
        "仓库",
        "装卸",
        "烹饪",
        "派送",
        "清洁",
        "配电",
        "焊接",
        "客户",
        "电话",
        "报表",
        "五险一金",
        "包吃住",
    ]
    codes = ["6", "4-02", "4-03-02-01", "4-02-07-08", "4-10", "6-31-01-03", "6-18-02-04", "4-01", "4", "2"]
    docs = []
    for i in range(1, n + 1):
        t = rng.randrange(len(titles))
        low = rng.randrange(3000, 12000, 500)
        docs.append(
            JobDoc(
                i,
                titles[t],
                " ".join(rng.sample(words, 3)),
                occupation=codes[t],
                district=rng.choice([PUDONG, XUHUI, MINHANG]),
                salary_min=low,
                salary_max=low + rng.randrange(0, 5000, 500) if rng.random() < 0.9 else None,
                education=rng.choice(["", "any", "high_school", "associate", "bachelor"]),
                experience_min=rng.choice([0, 0, 1, 3]),
                skill_level=rng.choice([0, 0, 2, 3]),
                priority_groups=("veteran",) if rng.random() < 0.1 else (),
            )
        )
    return docs


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_index_agrees_with_brute_force_scan(seed):
    rng = random.Random(seed)
    docs = _random_corpus(rng, 400)
    index = JobIndex(docs, keep_terms=True)
    for doc_id in rng.sample(range(1, 401), 40):
        index.remove(doc_id)
    for queries in range(25):
        profile = SeekerProfile(
            rng.choice(["叉车 仓库", "厨师", "客户 电话", "焊接", "五险一金", "会计 报表", "程序员"]),
            districts=tuple(rng.sample([PUDONG, XUHUI, MINHANG], rng.randint(0, 2))),
            salary_min=rng.choice([None, 6000, 9000]),
            education=rng.choice(["", "high_school", "bachelor"]),
            experience_years=rng.choice([None, 0.0, 2.0]),
            skill_level=rng.choice([0, 3]),
            occupations=tuple(rng.sample(["6", "4-02", "4-02-07-08"], rng.randint(0, 1))),
            priority_groups=("veteran",) if queries % 4 == 0 else (),
        )
        fast = [(m.id, m.score) for m in index.search(profile, k=10)]
        slow = index.search_brute_force(profile, k=10)
        assert [s for _i, s in fast] == pytest.approx([s for _i, s in slow], abs=1e-5)
        assert {i for i, _s in fast} == {i for i, _s in slow} or len({s for _i, s in slow}) < len(slow)


def test_pruning_gives_the_same_answer_as_scoring_every_candidate(monkeypatch):
    from gonghui.employment.engine import ranking

    rng = random.Random(7)
    index = JobIndex(_random_corpus(rng, 3000))
    profiles = [
        SeekerProfile("叉车 仓库 五险一金", districts=(PUDONG,), salary_min=8000),
        SeekerProfile("客户", occupations=("4-01",)),
        SeekerProfile("包吃住", skill_level=3),
    ]
    pruned = [index.search(p, k=10) for p in profiles]
    monkeypatch.setattr(ranking, "PRUNE_START", 10**9)
    full = [index.search(p, k=10) for p in profiles]
    assert pruned == full


def test_brute_force_needs_the_kept_terms():
    with pytest.raises(ValueError):
        JobIndex(corpus()).search_brute_force(SeekerProfile("叉车"))


def test_empty_index_and_nonsense_queries():
    assert JobIndex([]).search(SeekerProfile("叉车")) == []
    index = JobIndex(corpus())
    assert len(index.search(SeekerProfile("的了吗"), k=3)) == 3  # no text: structured fit over everything
    assert index.search(SeekerProfile("区块链 量子"), k=3) == []  # words that match nothing find nothing
    assert index.search(SeekerProfile("叉车"), k=0) == []


def test_seeker_index_ranks_seekers_for_a_posting():
    people = [
        SeekerProfile(
            "叉车司机 五年经验 有叉车证", id=10, districts=(PUDONG,), salary_min=6000, experience_years=5
        ),
        SeekerProfile("厨师", id=11, districts=(PUDONG,)),
        SeekerProfile("叉车", id=12, districts=(XUHUI,), salary_min=12000),
        SeekerProfile("仓库叉车工", id=13, priority_groups=("closed_enterprise",)),
    ]
    index = SeekerIndex(people)
    job = JobDoc(
        1,
        "叉车司机",
        "仓库装卸",
        occupation="6",
        district=PUDONG,
        salary_min=6000,
        salary_max=8000,
        skills=("叉车证",),
    )
    result = index.search(job, k=4)
    assert result[0].id == 10 and 11 not in [m.id for m in result]  # the cook shares nothing with it
    reasons = dict(result[0].reasons)
    assert reasons["district"] == {"district": PUDONG} and "salary_overlap" in reasons and "text" in reasons
    closed = next(m for m in result if m.id == 13)
    assert ("priority", {"group": "closed_enterprise"}) in closed.reasons
    index.remove(10)
    assert 10 not in [m.id for m in index.search(job, k=4)]
    assert [m.id for m in index.search(job, k=4, filters={"priority_only": ["closed_enterprise"]})] == [13]


def test_batch_recommendations_exclude_and_threshold():
    index = JobIndex(corpus())
    people = [
        SeekerProfile("叉车", id=1, districts=(PUDONG,)),
        SeekerProfile("厨师", id=2),
        SeekerProfile("的", id=3),
    ]
    recs = {
        r.seeker_id: r.matches
        for r in recommend(index, people, k=3, exclude=lambda sid: {1} if sid == 1 else (), min_score=0.5)
    }
    assert 1 not in [m.id for m in recs[1]] and recs[1][0].id == 2
    assert recs[2][0].id == 4
    assert recs[3] == []
    # a plain list of postings works too
    assert next(recommend(corpus(), people[:1], k=1)).matches[0].id == 1


def test_weights_are_used():
    docs = [JobDoc(1, "叉车司机", "叉车", district=XUHUI), JobDoc(2, "叉车工", "仓库", district=PUDONG)]
    profile = SeekerProfile("叉车司机", districts=(PUDONG,))
    assert JobIndex(docs, weights=Weights(district=0.0)).search(profile, k=1)[0].id == 1
    assert JobIndex(docs, weights=Weights(district=5.0)).search(profile, k=1)[0].id == 2


def test_searches_in_threads_interleaved_with_writes_stay_consistent():
    import threading

    rng = random.Random(11)
    index = JobIndex(_random_corpus(rng, 500))
    errors: list[BaseException] = []
    stop = threading.Event()

    def searcher():
        try:
            while not stop.is_set():
                for match in index.search(SeekerProfile("叉车 仓库 客户", districts=(PUDONG,)), k=5):
                    assert match.score > 0
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=searcher) for _ in range(3)]
    try:
        for thread in threads:
            thread.start()
        for n in range(1000, 1300):
            index.add(JobDoc(n, "叉车司机", "仓库叉车 客户", district=PUDONG))
            index.remove(n - 999)  # the original postings 1…300
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert errors == []
    assert len(index) == 500
    assert {m.id for m in index.search(SeekerProfile("叉车司机"), k=300)} >= set(range(1000, 1300))
