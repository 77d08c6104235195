from gonghui.employment.evaluation import metrics
from gonghui.employment.evaluation.families import FAMILIES, RELATED
from gonghui.employment.evaluation.make_eval import build_corpus, judge


def test_corpus_and_query_files_parse():
    corpus = metrics.load_jsonl("corpus.jsonl")
    assert len(corpus) >= 300
    assert len({row["id"] for row in corpus}) == len(corpus)
    assert len({row["district"] for row in corpus}) >= 10 and len({row["family"] for row in corpus}) >= 30
    heldout, dev = metrics.load_jsonl("heldout_queries.jsonl"), metrics.load_jsonl("dev_queries.jsonl")
    assert len(heldout) + len(dev) >= 60
    ids = {str(row["id"]) for row in corpus}
    for query in heldout + dev:
        assert query["text"] and query["families"]
        assert set(query["judgments"]) <= ids
        assert set(query["judgments"].values()) <= {1, 2}
        assert any(g >= 1 for g in query["judgments"].values())
    assert not {q["text"] for q in heldout} & {q["text"] for q in dev}


def test_committed_files_match_the_generator():
    # the judgments on disk are the written rule applied to the corpus on disk, nothing edited by hand
    corpus = build_corpus()
    assert corpus == metrics.load_jsonl("corpus.jsonl")
    for query in metrics.load_jsonl("heldout_queries.jsonl"):
        assert judge(query, corpus) == query["judgments"]


def test_related_families_exist():
    assert set(RELATED) == set(FAMILIES)
    assert all(set(r) <= set(FAMILIES) for r in RELATED.values())


def test_ndcg():
    judgments = {"1": 2, "2": 1}
    assert metrics.ndcg([1, 2, 3], judgments) == 1.0
    assert metrics.ndcg([3, 4], judgments) == 0.0
    assert 0 < metrics.ndcg([2, 1], judgments) < 1
    assert metrics.ndcg([1], {}) == 0.0


def test_ranker_beats_keyword_search_on_held_out():
    report = metrics.report()
    assert report["ranker"]["heldout"] > report["keyword overlap"]["heldout"]
