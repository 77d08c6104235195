"""The learned component: deterministic features and training, the committed weights load, rules still veto."""

import numpy as np
import pytest

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


def test_training_is_deterministic(monkeypatch):
    monkeypatch.setattr(train, "STEPS", 40)
    rows = train.training_rows()[:60]
    texts = [r["text"] for r in rows]
    y = np.array([[c in r["categories"] for c in CATEGORIES] for r in rows], dtype=float)
    w1, b1 = train.fit(train.design(texts), len(texts), y)
    w2, b2 = train.fit(train.design(texts), len(texts), y)
    assert np.array_equal(w1, w2) and np.array_equal(b1, b2)
    p = train.probabilities(w1, b1, texts)
    # it learns: training positives score above training negatives on average
    for j in range(len(CATEGORIES)):
        if 0 < y[:, j].sum() < len(texts):
            assert p[y[:, j] == 1, j].mean() > p[y[:, j] == 0, j].mean()


def test_training_reads_no_heldout3(monkeypatch):
    opened = []
    real = train.load
    monkeypatch.setattr(train, "load", lambda path: opened.append(str(path)) or real(path))
    train.training_rows()
    assert opened and not any("heldout3" in p for p in opened)


def test_committed_weights_load():
    assert m.WEIGHTS.exists() and m.WEIGHTS.stat().st_size < 5 * 1024 * 1024
    model = m.load()
    assert model is not None
    assert model.categories == CATEGORIES
    assert model.weights.shape == (m.DIM, len(CATEGORIES))
    assert all(0 < t <= 1 for t in model.thresholds)
    meta = model.meta
    assert meta["cv_macro_f1_combined"] >= meta["cv_macro_f1_rules"]
    assert "heldout3.jsonl" not in meta["sets"]
    probs = model.probabilities("老板拖欠我们三个月工资")
    assert set(probs) == set(CATEGORIES) and all(0 <= p <= 1 for p in probs.values())


@pytest.fixture
def eager_model(monkeypatch):
    """The committed model with every threshold at zero: it proposes every category for every text."""
    model = m.load()
    monkeypatch.setattr(model, "_logit_thresholds", np.full(len(CATEGORIES), -np.inf, dtype=np.float32))
    return model


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
    # terms stay the rules' terms
    assert all(isinstance(t, str) for t in combined.terms)


def test_empty_text_is_still_empty():
    assert classify("").categories == ()
