"""The learned part of the classifier: one logistic regression per category, stacked on the rules.

Inputs per text: hashed character 1–3-grams (digits folded, binary, scaled to unit length) and a short vector of
what the rules saw (``classifier.rule_vector``: the categories they found, the ones they vetoed as denied,
hypothetical or another sense, and which kinds of cue — denial, hypothesis, question, rumour, threat… — occur).
The model therefore learns how far to trust each rule decision as well as the words the rules never list.
A category is predicted when its probability reaches a per-category threshold, or when the rules found it and
its probability stays above a lower "keep" threshold (zero: the rules' finding always stands); both are chosen by
cross-validation across independently written sets (``train.py``).

Pure numpy at run time. The weights file keeps only the n-gram buckets seen in training (float16) and is loaded
lazily on first use; without it the rules work alone.
"""

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

WEIGHTS = Path(__file__).resolve().parent / "model_weights.npz"
DIM_BITS = 19
DIM = 1 << DIM_BITS
_SHIFT = np.uint64(64 - DIM_BITS)
_K = [
    np.uint64(k)
    for k in (
        0x9E3779B97F4A7C15,
        0xC2B2AE3D27D4EB4F,
        0x165667B19E3779F9,
        0xD6E8FEB86659FD93,
        0xFF51AFD7ED558CCD,
        0xC4CEB9FE1A85EC53,
    )
]


def features(text: str) -> np.ndarray:
    """Sorted distinct hashed bucket ids of the text's character 1-, 2- and 3-grams (digits folded to 0)."""
    codes = np.frombuffer(text.lower().encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if not len(codes):
        return np.zeros(0, dtype=np.int64)
    codes[(codes >= 48) & (codes <= 57)] = np.uint64(48)
    parts = [codes * _K[0]]
    if len(codes) > 1:
        parts.append(codes[:-1] * _K[1] + codes[1:] * _K[2])
    if len(codes) > 2:
        parts.append(codes[:-2] * _K[3] + codes[1:-1] * _K[4] + codes[2:] * _K[5])
    h = np.concatenate(parts)
    h ^= h >> np.uint64(31)
    h *= _K[4]
    return np.unique((h >> _SHIFT).astype(np.int64))


class Model:
    def __init__(
        self,
        weights: np.ndarray,
        rule_weights: np.ndarray,
        bias: np.ndarray,
        thresholds: np.ndarray,
        keep: np.ndarray,
        categories,
        rule_features,
        meta: dict,
    ):
        self.weights = weights.astype(np.float32)  # (DIM, n_categories)
        self.rule_weights = rule_weights.astype(np.float32)  # (n_rule_features, n_categories)
        self.bias = bias.astype(np.float32)
        self.thresholds = thresholds.astype(np.float32)
        self.categories = tuple(categories)
        self.rule_features = tuple(rule_features)
        self.meta = meta
        self.keep = keep.astype(np.float32)
        self._logit_thresholds = _logit(self.thresholds)
        self._logit_keep = _logit(self.keep)

    def logits(self, text: str, rules: np.ndarray) -> np.ndarray:
        z = self.bias + rules.astype(np.float32) @ self.rule_weights
        idx = features(text)
        if len(idx):
            z = z + self.weights[idx].sum(axis=0) / np.float32(np.sqrt(len(idx)))
        return z

    def probabilities(self, text: str, rules: np.ndarray) -> dict[str, float]:
        p = 1.0 / (1.0 + np.exp(-self.logits(text, rules)))
        return dict(zip(self.categories, p.tolist(), strict=True))

    def predict(self, text: str, rules: np.ndarray, found: np.ndarray) -> list[str]:
        """Categories whose probability reaches their threshold, and those the rules found (``found``, a boolean
        per category) unless the probability falls below the category's lower keep threshold."""
        z = self.logits(text, rules)
        hit = (z >= self._logit_thresholds) | (found & (z >= self._logit_keep))
        return [c for c, yes in zip(self.categories, hit, strict=True) if yes]


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.asarray(p, dtype=np.float64)
    with np.errstate(divide="ignore"):
        return np.where(p <= 0, -np.inf, np.log(np.clip(p, 1e-12, 1) / np.clip(1 - p, 1e-12, 1))).astype(np.float32)


def save(path: Path, weights, rule_weights, bias, thresholds, keep, categories, rule_features, meta: dict) -> None:
    """Only the buckets with a non-zero weight are stored (as float16) with their ids."""
    used = np.flatnonzero(np.abs(weights).max(axis=1) > 0).astype(np.int32)
    with open(path, "wb") as handle:
        np.savez_compressed(
            handle,
            dim=np.array(weights.shape[0]),
            rows=used,
            weights=weights[used].astype(np.float16),
            rule_weights=np.asarray(rule_weights, dtype=np.float32),
            bias=np.asarray(bias, dtype=np.float32),
            thresholds=np.asarray(thresholds, dtype=np.float32),
            keep=np.asarray(keep, dtype=np.float32),
            categories=np.array(list(categories)),
            rule_features=np.array(list(rule_features)),
            meta=np.array(json.dumps(meta, ensure_ascii=False, sort_keys=True)),
        )


@lru_cache(maxsize=1)
def load(path: Path | str = WEIGHTS) -> Model | None:
    """The committed model, or None when the weights file is absent (the rules then work alone)."""
    path = Path(path)
    if not path.exists():
        return None
    with np.load(path, allow_pickle=False) as data:
        if int(data["dim"]) != DIM:
            raise ValueError(f"{path} was trained for {int(data['dim'])} buckets, the code hashes into {DIM}")
        stored = data["weights"]
        weights = np.zeros((DIM, stored.shape[1]), dtype=np.float32)
        weights[data["rows"]] = stored
        return Model(
            weights,
            data["rule_weights"],
            data["bias"],
            data["thresholds"],
            data["keep"],
            [str(c) for c in data["categories"]],
            [str(f) for f in data["rule_features"]],
            json.loads(str(data["meta"])),
        )
