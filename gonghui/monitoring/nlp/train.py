"""Train the learned part of the classifier: ``python -m gonghui.monitoring.nlp.train [--check]``.

Data: the development sets only — ``evaluation.development_sets()``: dev.jsonl, the retired held-out sets 1–3
and the training sets in ``evaluation/train/``. The current held-out set is never opened here.

Per category an L2-regularised logistic regression (class-balanced) over hashed character 1–3-grams and the
rules' view of the text (``classifier.rule_vector``), fitted by L-BFGS (scipy, training only) from zero weights:
deterministic, so the same data give the same weights file. Quality is estimated the way the held-out sets are written, by
**leave-one-set-out** cross-validation: each set — written by a different person — is predicted by a model
trained on all the others. Per-category thresholds are chosen on those out-of-set probabilities; the figures
stored with the weights (and printed by the bench) are the rules alone and the combined engine on every set,
with each set's thresholds chosen on the other sets only. ``--check`` trains and compares with the committed
file instead of writing it.
"""

import os
import sys
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize

from gonghui.monitoring.evaluation import development_sets, load
from gonghui.monitoring.nlp import classifier as engine
from gonghui.monitoring.nlp import model as m

CATEGORIES = engine.CATEGORIES
L2 = 1e-6
MAX_ITERATIONS = 400
GRID = np.round(np.arange(0.05, 0.951, 0.025), 3)


def training_rows() -> list[dict]:
    """Every development row, tagged with the name of the set it comes from."""
    rows = []
    for name, path in development_sets():
        for row in load(path):
            rows.append({**row, "set": name})
    return rows


def rule_matrix(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rules' view of each text (``classifier.rule_vector``), and from it their categories and vetoes."""
    view = np.zeros((len(texts), len(engine.RULE_FEATURES)), dtype=np.float32)
    for i, text in enumerate(texts):
        doc = engine._Doc(text)
        categories, _terms, veto = engine._categorise_full(doc)
        view[i] = engine.rule_vector(doc, categories, veto)
    k = len(CATEGORIES)  # rule_vector starts with found:<category>, then vetoed:<category>
    return view, view[:, :k] > 0, view[:, k : 2 * k] > 0


def design(texts: list[str], view: np.ndarray) -> sp.csr_matrix:
    """Rows: binary n-gram presence scaled to unit length, then the rules' view."""
    indptr, cols, vals = [0], [], []
    for text in texts:
        idx = m.features(text.lower())
        cols.append(idx)
        vals.append(np.full(len(idx), 1.0 / np.sqrt(max(len(idx), 1))))
        indptr.append(indptr[-1] + len(idx))
    grams = sp.csr_matrix(
        (np.concatenate(vals), np.concatenate(cols), np.array(indptr)), shape=(len(texts), m.DIM)
    )
    return sp.hstack([grams, sp.csr_matrix(view.astype(np.float64))], format="csr")


def fit(x: sp.csr_matrix, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """n-gram weights (DIM × k), rule weights (n_rule_features × k) and biases.

    One L-BFGS run over all categories at once (the loss is a sum of independent per-category terms, each
    class-balanced); only the columns used by the training rows are fitted, the rest stay zero."""
    n_rules = len(engine.RULE_FEATURES)
    used = np.unique(x.indices)
    xu = x[:, used]
    xt = xu.T.tocsr()
    n, d = xu.shape
    k = y.shape[1]
    pos = np.clip(y.sum(axis=0), 1.0, n - 1.0)
    weight = np.where(y > 0, 0.5 / pos, 0.5 / (n - pos))

    def loss(theta):
        w, b = theta[: d * k].reshape(d, k), theta[d * k :]
        z = xu @ w + b
        g = weight * (1.0 / (1.0 + np.exp(-z)) - y)
        value = np.sum(weight * (np.logaddexp(0.0, z) - y * z)) + 0.5 * L2 * np.sum(w * w)
        return value, np.concatenate([(xt @ g + L2 * w).ravel(), g.sum(axis=0)])

    result = minimize(
        loss, np.zeros(d * k + k), jac=True, method="L-BFGS-B", options={"maxiter": MAX_ITERATIONS}
    )
    full = np.zeros((m.DIM + n_rules, k))
    full[used] = result.x[: d * k].reshape(d, k)
    return full[: m.DIM], full[m.DIM :], result.x[d * k :]


def probabilities(x: sp.csr_matrix, weights, rule_weights, bias) -> np.ndarray:
    z = x @ np.vstack([weights, rule_weights]) + bias
    return 1.0 / (1.0 + np.exp(-z))


def f1(pred: np.ndarray, gold: np.ndarray) -> float:
    tp = float((pred & gold).sum())
    fp, fn = float((pred & ~gold).sum()), float((~pred & gold).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


KEEP_GRID = (0.0, 0.02, 0.05, 0.1, 0.2)


def decide(p: np.ndarray, threshold, keep, found: np.ndarray, vetoed: np.ndarray) -> np.ndarray:
    """The engine's decision: probability ≥ threshold, or found by the rules and probability ≥ keep; never a
    category the rules vetoed (``classifier.HARD_VETO``)."""
    pred = (p >= threshold) | (found & (p >= keep))
    return pred & ~vetoed if engine.HARD_VETO else pred


def best_threshold(p, found, vetoed, gold) -> tuple[float, float]:
    """The (threshold, keep) pair with the best F1; on a tie the lower keep (the rules' finding stands)."""
    best, best_f = (0.5, 0.0), -1.0
    for t in GRID:
        for keep in (*KEEP_GRID, float(t)):
            if keep > t:
                continue
            score = f1(decide(p, t, keep, found, vetoed), gold)
            if score > best_f + 1e-9:
                best, best_f = (float(t), float(keep)), score
    return best


def macro(pred: np.ndarray, gold: np.ndarray) -> float:
    return float(np.mean([f1(pred[:, j], gold[:, j]) for j in range(gold.shape[1])]))


def train(verbose: bool = True) -> dict:
    data = training_rows()
    texts = [r["text"] for r in data]
    sets = np.array([r["set"] for r in data])
    names = list(dict.fromkeys(sets.tolist()))
    gold = np.array([[c in r["categories"] for c in CATEGORIES] for r in data])
    y = gold.astype(float)
    view, rules, vetoed = rule_matrix(texts)
    x = design(texts, view)
    oof = np.zeros(gold.shape)
    with ProcessPoolExecutor(max_workers=min(len(names), os.cpu_count() or 1)) as pool:
        fitted = pool.map(fit, [x[sets != name] for name in names], [y[sets != name] for name in names])
        for name, (w, rw, b) in zip(names, fitted, strict=True):
            held = sets == name
            oof[held] = probabilities(x[held], w, rw, b)
    k = len(CATEGORIES)
    chosen = [best_threshold(oof[:, j], rules[:, j], vetoed[:, j], gold[:, j]) for j in range(k)]
    thresholds, keep = [c[0] for c in chosen], [c[1] for c in chosen]
    per_set = {}
    nested = np.zeros_like(gold)
    for name in names:
        held = sets == name
        for j in range(k):
            t, kp = best_threshold(oof[~held, j], rules[~held, j], vetoed[~held, j], gold[~held, j])
            nested[held, j] = decide(oof[held, j], t, kp, rules[held, j], vetoed[held, j])
        per_set[name] = {
            "texts": int(held.sum()),
            "rules": round(macro(rules[held], gold[held]), 4),
            "combined": round(macro(nested[held], gold[held]), 4),
        }
    per_category = {
        c: {
            "rules": round(f1(rules[:, j], gold[:, j]), 4),
            "combined": round(f1(nested[:, j], gold[:, j]), 4),
            "threshold": thresholds[j],
            "keep": keep[j],
        }
        for j, c in enumerate(CATEGORIES)
    }
    meta = {
        "texts": len(texts),
        "sets": names,
        "validation": "leave-one-set-out",
        "l2": L2,
        "hard_veto": engine.HARD_VETO,
        "cv_macro_f1_rules": round(macro(rules, gold), 4),
        "cv_macro_f1_combined": round(macro(nested, gold), 4),
        "per_set": per_set,
        "per_category": per_category,
    }
    w, rw, b = fit(x, y)
    if verbose:
        print(f"{len(texts)} texts in {len(names)} sets, leave-one-set-out cross-validation (macro-F1)")
        for name, v in per_set.items():
            print(
                f"  {name:<10} {v['texts']:>5} texts  rules {v['rules']:.3f}  rules + model {v['combined']:.3f}"
            )
        for c, v in per_category.items():
            print(
                f"  {c:<20} rules {v['rules']:.3f}  rules + model {v['combined']:.3f}"
                f"  threshold {v['threshold']:.3f}  keep {v['keep']:.3f}"
            )
        print(
            f"  all sets: rules {meta['cv_macro_f1_rules']:.3f}, rules + model {meta['cv_macro_f1_combined']:.3f}"
        )
    return {
        "weights": w,
        "rule_weights": rw,
        "bias": b,
        "thresholds": thresholds,
        "keep": keep,
        "meta": meta,
        "oof": oof,
    }


def main(argv: list[str]) -> int:
    result = train()
    if "--check" in argv:
        current = m.load.__wrapped__(m.WEIGHTS)
        same = current is not None and np.array_equal(
            current.weights.astype(np.float16), result["weights"].astype(np.float16)
        )
        print("committed weights match" if same else "committed weights DIFFER")
        return 0 if same else 1
    m.save(
        m.WEIGHTS,
        result["weights"],
        result["rule_weights"],
        result["bias"],
        result["thresholds"],
        result["keep"],
        CATEGORIES,
        engine.RULE_FEATURES,
        result["meta"],
    )
    print(f"wrote {m.WEIGHTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
