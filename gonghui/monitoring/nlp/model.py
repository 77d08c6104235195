"""A small learned component: one logistic regression per category over hashed character 1–3-grams.

Pure numpy. ``train.py`` fits it on the development data (dev + the retired held-out sets 1 and 2) and writes
``model_weights.npz`` (weights as float16, per-category thresholds chosen by k-fold cross-validation, and the
cross-validated figures). The engine loads it lazily on first use; the rules keep their vetoes (a category the
rules saw denied, hypothetical or in another sense is never added by the model).
"""

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

WEIGHTS = Path(__file__).resolve().parent / "model_weights.npz"
DIM_BITS = 18
DIM = 1 << DIM_BITS
_MASK = np.uint64(DIM - 1)
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
    def __init__(self, weights: np.ndarray, bias: np.ndarray, thresholds: np.ndarray, categories, meta: dict):
        self.weights = weights.astype(np.float32)  # (DIM, n_categories)
        self.bias = bias.astype(np.float32)
        self.thresholds = thresholds.astype(np.float32)
        self.categories = tuple(categories)
        self.meta = meta
        t = np.clip(self.thresholds.astype(np.float64), 1e-6, 1 - 1e-6)
        self._logit_thresholds = np.log(t / (1 - t)).astype(np.float32)

    def logits(self, text: str) -> np.ndarray:
        idx = features(text)
        if not len(idx):
            return self.bias.copy()
        return self.weights[idx].sum(axis=0) / np.float32(np.sqrt(len(idx))) + self.bias

    def probabilities(self, text: str) -> dict[str, float]:
        p = 1.0 / (1.0 + np.exp(-self.logits(text)))
        return dict(zip(self.categories, p.tolist(), strict=True))

    def predict(self, text: str) -> list[str]:
        z = self.logits(text)
        return [c for c, hit in zip(self.categories, z >= self._logit_thresholds, strict=True) if hit]


def save(path: Path, weights, bias, thresholds, categories, meta: dict) -> None:
    with open(path, "wb") as handle:
        np.savez_compressed(
            handle,
            weights=weights.astype(np.float16),
            bias=bias.astype(np.float32),
            thresholds=np.asarray(thresholds, dtype=np.float32),
            categories=np.array(list(categories)),
            meta=np.array(json.dumps(meta, ensure_ascii=False, sort_keys=True)),
        )


@lru_cache(maxsize=1)
def load(path: Path | str = WEIGHTS) -> Model | None:
    """The committed model, or None when the weights file is absent (the rules then work alone)."""
    path = Path(path)
    if not path.exists():
        return None
    with np.load(path, allow_pickle=False) as data:
        return Model(
            data["weights"],
            data["bias"],
            data["thresholds"],
            [str(c) for c in data["categories"]],
            json.loads(str(data["meta"])),
        )
