"""Train the learned component of the classifier: ``python -m gonghui.monitoring.nlp.train [--check]``.

Data: the development sets only — dev.jsonl, heldout.jsonl (retired) and heldout2.jsonl (retired after its one
scoring). Held-out set 3 (heldout3.jsonl) is never opened here. Per category an L2-regularised logistic
regression over hashed character 1–3-grams (``model.features``), fitted by full-batch Adam from zero weights:
deterministic, so the same data give the same weights file. Per-category thresholds are chosen by k-fold
cross-validation for the combination the engine uses (rules OR model ≥ threshold, rule vetoes kept); the
cross-validated macro-F1 of the rules alone and of rules + model are stored with the weights and printed.
``--check`` trains and compares with the committed file instead of writing it.
"""

import sys

import numpy as np

from gonghui.monitoring.evaluation import DEV, HELDOUT, HELDOUT2, load
from gonghui.monitoring.nlp import classifier as engine
from gonghui.monitoring.nlp import model as m

CATEGORIES = engine.CATEGORIES
FOLDS = 5
L2 = 1e-5
STEPS = 300
RATE = 1.0
GRID = np.round(np.concatenate([np.arange(0.20, 0.951, 0.05), [0.97, 0.99]]), 2)
MIN_GAIN = 0.02  # the model is switched on for a category only when it adds this much F1 out of fold
BALANCED = True  # weigh each category's positives and negatives equally
DEFAULT_THRESHOLD = 1.0  # where the model does not help in cross-validation: off


def training_rows() -> list[dict]:
    return load(DEV) + load(HELDOUT) + load(HELDOUT2)


def design(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A sparse matrix as (row ids, bucket ids, values): binary n-gram presence scaled to unit length."""
    rows, cols, vals = [], [], []
    for i, text in enumerate(texts):
        idx = m.features(text)
        rows.append(np.full(len(idx), i, dtype=np.int64))
        cols.append(idx)
        vals.append(np.full(len(idx), 1.0 / np.sqrt(max(len(idx), 1))))
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)


def fit(x, n: int, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    rows, cols, vals = x
    k = y.shape[1]
    w = np.zeros((m.DIM, k))
    b = np.zeros(k)
    mw, vw, mb, vb = np.zeros_like(w), np.zeros_like(w), np.zeros(k), np.zeros(k)
    used = np.unique(cols)
    if BALANCED:
        pos = np.clip(y.sum(axis=0), 1, n - 1)
        sample_weight = np.where(y > 0, 0.5 / pos, 0.5 / (n - pos))
    else:
        sample_weight = np.full(y.shape, 1.0 / n)
    for step in range(1, STEPS + 1):
        z = np.zeros((n, k))
        contrib = w[cols] * vals[:, None]
        for j in range(k):
            z[:, j] = np.bincount(rows, weights=contrib[:, j], minlength=n)
        z += b
        g = (1.0 / (1.0 + np.exp(-z)) - y) * sample_weight
        gw = np.zeros_like(w)
        per = g[rows] * vals[:, None]
        for j in range(k):
            gw[:, j] = np.bincount(cols, weights=per[:, j], minlength=m.DIM)
        gw[used] += L2 * w[used]
        gb = g.sum(axis=0)
        for param, grad, mom, var in ((w, gw, mw, vw), (b, gb, mb, vb)):
            mom *= 0.9
            mom += 0.1 * grad
            var *= 0.999
            var += 0.001 * grad * grad
            param -= RATE * (mom / (1 - 0.9**step)) / (np.sqrt(var / (1 - 0.999**step)) + 1e-8)
    return w, b


def probabilities(w, b, texts: list[str]) -> np.ndarray:
    model = m.Model(w, b, np.full(len(CATEGORIES), 0.5), CATEGORIES, {})
    return np.array([1.0 / (1.0 + np.exp(-model.logits(t.lower()))) for t in texts])


def rule_outputs(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    found = np.zeros((len(texts), len(CATEGORIES)), dtype=bool)
    vetoed = np.zeros_like(found)
    for i, text in enumerate(texts):
        categories, _terms, veto = engine._categorise_full(engine._Doc(text))
        for j, c in enumerate(CATEGORIES):
            found[i, j] = c in categories
            vetoed[i, j] = c in veto
    return found, vetoed


def f1(pred: np.ndarray, gold: np.ndarray) -> float:
    tp = float((pred & gold).sum())
    fp, fn = float((pred & ~gold).sum()), float((~pred & gold).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def best_threshold(p, rules, veto, gold) -> float:
    best, best_f = DEFAULT_THRESHOLD, f1(rules, gold) + MIN_GAIN
    for t in GRID:
        score = f1(rules | ((p >= t) & ~veto), gold)
        if score > best_f + 1e-9:
            best, best_f = float(t), score
    return best


def folds(n: int) -> np.ndarray:
    order = np.random.RandomState(0).permutation(n)
    fold = np.empty(n, dtype=np.int64)
    fold[order] = np.arange(n) % FOLDS
    return fold


def train(verbose: bool = True) -> dict:
    data = training_rows()
    texts = [r["text"] for r in data]
    gold = np.array([[c in r["categories"] for c in CATEGORIES] for r in data])
    y = gold.astype(float)
    n = len(texts)
    fold = folds(n)
    oof = np.zeros(gold.shape)
    for k in range(FOLDS):
        tr, te = fold != k, fold == k
        tr_texts = [t for t, keep in zip(texts, tr, strict=True) if keep]
        w, b = fit(design(tr_texts), len(tr_texts), y[tr])
        oof[te] = probabilities(w, b, [t for t, keep in zip(texts, te, strict=True) if keep])
    rules, veto = rule_outputs(texts)
    thresholds = [
        best_threshold(oof[:, j], rules[:, j], veto[:, j], gold[:, j]) for j in range(len(CATEGORIES))
    ]
    # honest variant: each fold's thresholds chosen on the other folds only
    nested = np.zeros_like(gold)
    for k in range(FOLDS):
        other, te = fold != k, fold == k
        for j in range(len(CATEGORIES)):
            t = best_threshold(oof[other, j], rules[other, j], veto[other, j], gold[other, j])
            nested[te, j] = rules[te, j] | ((oof[te, j] >= t) & ~veto[te, j])
    combined = rules | ((oof >= np.array(thresholds)) & ~veto)
    per = {
        c: {
            "rules": round(f1(rules[:, j], gold[:, j]), 4),
            "combined": round(f1(combined[:, j], gold[:, j]), 4),
            "nested": round(f1(nested[:, j], gold[:, j]), 4),
            "model_alone": round(f1(oof[:, j] >= 0.5, gold[:, j]), 4),
            "threshold": thresholds[j],
        }
        for j, c in enumerate(CATEGORIES)
    }
    meta = {
        "texts": n,
        "folds": FOLDS,
        "sets": ["dev.jsonl", "heldout.jsonl", "heldout2.jsonl"],
        "cv_macro_f1_rules": round(float(np.mean([v["rules"] for v in per.values()])), 4),
        "cv_macro_f1_combined": round(float(np.mean([v["combined"] for v in per.values()])), 4),
        "cv_macro_f1_nested": round(float(np.mean([v["nested"] for v in per.values()])), 4),
        "cv_macro_f1_model_alone": round(float(np.mean([v["model_alone"] for v in per.values()])), 4),
        "per_category": per,
    }
    w, b = fit(design(texts), n, y)
    if verbose:
        print(f"{n} texts, {FOLDS}-fold cross-validation")
        for c, v in per.items():
            print(
                f"  {c:<20} rules {v['rules']:.3f}  rules+model {v['combined']:.3f} (nested {v['nested']:.3f})"
                f"  model alone {v['model_alone']:.3f}  threshold {v['threshold']:.2f}"
            )
        print(
            f"  macro-F1: rules {meta['cv_macro_f1_rules']:.3f}, rules+model {meta['cv_macro_f1_combined']:.3f}"
            f" (thresholds chosen on the other folds: {meta['cv_macro_f1_nested']:.3f}),"
            f" model alone {meta['cv_macro_f1_model_alone']:.3f}"
        )
    return {"weights": w, "bias": b, "thresholds": thresholds, "meta": meta}


def main(argv: list[str]) -> int:
    result = train()
    if "--check" in argv:
        current = m.load.__wrapped__(m.WEIGHTS)
        same = current is not None and np.array_equal(
            current.weights.astype(np.float16), result["weights"].astype(np.float16)
        )
        print("committed weights match" if same else "committed weights DIFFER")
        return 0 if same else 1
    m.save(m.WEIGHTS, result["weights"], result["bias"], result["thresholds"], CATEGORIES, result["meta"])
    print(f"wrote {m.WEIGHTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
