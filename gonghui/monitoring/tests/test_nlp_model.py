"""The learned part: deterministic features and training, the committed weights load, the rules still veto, the
model both adds and removes categories, and training never opens the held-out set."""

import numpy as np
import pytest

from gonghui.monitoring.evaluation import HELDOUT4, development_sets
from gonghui.monitoring.nlp import CATEGORIES, classify, train
from gonghui.monitoring.nlp import classifier as engine
from gonghui.monitoring.nlp import model as m


def test_features_are_deterministic_and_in_range():
    a = m.features("老板拖欠工资三个月了")
    b = m.features("老板拖欠工资三个月了")
    assert np.array_equal(a, b)
    assert len(a) and a.min() >= 0 and a.max() < m.DIM
    assert np.array_equal(m.features("欠薪123元"), m.features("欠薪456元"))  # digits folded
    assert len(m.features("")) == 0


def test_rule_vector_names_what_the_rules_saw():
    doc = engine._Doc("公司从未拖欠工资。")
    categories, _terms, vetoed = engine._categorise_full(doc)
    vector = engine.rule_vector(doc, categories, vetoed)
    assert vector.shape == (len(engine.RULE_FEATURES),)
    named = dict(zip(engine.RULE_FEATURES, vector.tolist(), strict=True))
    assert named["vetoed:wage_arrears"] == 1.0 and named["found:wage_arrears"] == 0.0
    assert named["cue:denial_strong"] == 1.0 or named["cue:denial_weak"] == 1.0


def test_training_is_deterministic_and_learns(monkeypatch):
    monkeypatch.setattr(train, "MAX_ITERATIONS", 30)
    rows = train.training_rows()[:120]
    texts = [r["text"] for r in rows]
    y = np.array([[c in r["categories"] for c in CATEGORIES] for r in rows], dtype=float)
    view, _found, _vetoed = train.rule_matrix(texts)
    x = train.design(texts, view)
    first = train.fit(x, y)
    second = train.fit(x, y)
    assert all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))
    p = train.probabilities(x, *first)
    for j in range(len(CATEGORIES)):
        if 0 < y[:, j].sum() < len(texts):
            assert p[y[:, j] == 1, j].mean() > p[y[:, j] == 0, j].mean()


def test_training_never_opens_the_heldout_set(monkeypatch):
    opened = []
    real = train.load
    monkeypatch.setattr(train, "load", lambda path: opened.append(str(path)) or real(path))
    rows = train.training_rows()
    assert opened and not any(HELDOUT4.name in p for p in opened)
    assert HELDOUT4 not in [path for _name, path in development_sets()]
    assert {r["set"] for r in rows} >= {"dev", "heldout3", "t1"}


def test_committed_weights_load():
    assert m.WEIGHTS.exists() and m.WEIGHTS.stat().st_size < 8 * 1024 * 1024
    model = m.load()
    assert model is not None
    assert model.categories == CATEGORIES
    assert model.rule_features == engine.RULE_FEATURES
    assert model.weights.shape == (m.DIM, len(CATEGORIES))
    assert all(0 < t < 1 for t in model.thresholds)
    assert all(0 <= k <= t for k, t in zip(model.keep, model.thresholds, strict=True))
    meta = model.meta
    assert meta["validation"] == "leave-one-set-out"
    assert HELDOUT4.stem not in meta["sets"]
    assert meta["cv_macro_f1_combined"] > meta["cv_macro_f1_rules"]
    doc = engine._Doc("老板拖欠我们三个月工资")
    categories, _terms, vetoed = engine._categorise_full(doc)
    probs = model.probabilities(doc.lower, engine.rule_vector(doc, categories, vetoed))
    assert set(probs) == set(CATEGORIES) and all(0 <= p <= 1 for p in probs.values())
    assert probs["wage_arrears"] > 0.5


def _with_thresholds(monkeypatch, value: float):
    model = engine._loaded_model()
    monkeypatch.setattr(model, "_logit_thresholds", np.full(len(CATEGORIES), value, dtype=np.float32))
    monkeypatch.setattr(model, "_logit_keep", np.full(len(CATEGORIES), value, dtype=np.float32))
    return model


@pytest.fixture
def eager_model(monkeypatch):
    """The committed model with every threshold at zero: it proposes every category for every text."""
    return _with_thresholds(monkeypatch, -np.inf)


def test_denial_hypothetical_and_other_sense_still_veto(eager_model):
    denied = classify("我们公司从未拖欠工资，每月按时发放。")
    assert "wage_arrears" not in denied.categories
    hypothetical = classify("如果公司拖欠工资，可以向劳动监察大队投诉。")
    assert "wage_arrears" not in hypothetical.categories
    other_sense = classify("今晚坐加班车回家，车上人不多。")
    assert "overtime_hours" not in other_sense.categories
    assert "wage_arrears" not in classify("网传某厂拖欠工资，经核实不属实。").categories


def test_model_adds_categories_the_rules_missed(eager_model, monkeypatch):
    text = "厂里的活越来越难干了，大家心里都不踏实。"
    monkeypatch.setattr(engine, "USE_MODEL", False)
    alone = classify(text).categories
    monkeypatch.setattr(engine, "USE_MODEL", True)
    combined = classify(text)
    assert set(alone) <= set(combined.categories)
    assert len(combined.categories) > len(alone)
    assert all(isinstance(t, str) for t in combined.terms)


def test_the_model_decides_and_terms_follow(monkeypatch):
    text = "老板拖欠我们三个月工资了"
    assert "wage_arrears" in classify(text).categories
    assert "拖欠" in "".join(classify(text).terms)
    _with_thresholds(monkeypatch, np.inf)  # a model that keeps nothing overrides the rules
    result = classify(text)
    assert result.categories == ()
    assert not any("拖欠" in t for t in result.terms)


def test_the_learned_engine_reads_independent_wording():
    """Texts in the style of the training sets whose issue the lexicon's words do not name."""
    assert "wage_arrears" in classify("干了仨月一分钱没见着，老板天天说下周下周。").categories
    assert "overtime_hours" in classify("每天早八晚十一，周末还得到岗，人都熬废了").categories


def test_empty_text_is_still_empty():
    assert classify("").categories == ()
