"""Near-duplicate detection: MinHash over character shingles with an LSH index (datasketch)."""

import re
from collections.abc import Hashable

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

NUM_PERM = 128
SHINGLE = 3
DEFAULT_THRESHOLD = 0.8
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    """Character k-grams of the text with whitespace and punctuation removed (reposts differ in those)."""
    compact = _NOISE.sub("", (text or "").lower())
    if len(compact) <= k:
        return {compact} if compact else set()
    return {compact[i : i + k] for i in range(len(compact) - k + 1)}


def fingerprint(text: str) -> LeanMinHash:
    """A MinHash signature of the text's character shingles (``to_bytes`` stores it, ``from_bytes`` reads it)."""
    minhash = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    grams = shingles(text)
    if grams:
        minhash.update_batch([g.encode("utf-8") for g in grams])
    return LeanMinHash(minhash)


SCHEME = "affine32"


def fingerprint_bytes(text: str) -> bytes:
    return to_bytes(fingerprint(text))


def to_bytes(signature: LeanMinHash) -> bytes:
    """The signature's hash values (uint32, 4 bytes each) for storage in a binary column."""
    return np.asarray(signature.hashvalues, dtype=np.uint32).tobytes()


def from_bytes(data: bytes) -> LeanMinHash:
    values = np.frombuffer(data, dtype=np.uint32)
    return LeanMinHash(seed=1, hashvalues=values, scheme=SCHEME)


def _signature(value: "str | bytes | LeanMinHash | MinHash") -> LeanMinHash | MinHash:
    if isinstance(value, MinHash | LeanMinHash):
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        return from_bytes(bytes(value))
    return fingerprint(value)


def similarity(a, b) -> float:
    """Estimated Jaccard similarity of two texts (or fingerprints) on character shingles, in [0, 1]."""
    return float(_signature(a).jaccard(_signature(b)))


class DedupIndex:
    """Groups reposts and lightly edited copies: ``query`` returns the key of the most similar indexed text
    whose estimated Jaccard similarity is at least ``threshold``, else None."""

    def __init__(self, threshold: float = DEFAULT_THRESHOLD):
        self.threshold = threshold
        # LSH at a slightly lower threshold finds the candidates; the estimate then decides.
        self._lsh = MinHashLSH(threshold=max(0.05, threshold - 0.1), num_perm=NUM_PERM)
        self._signatures: dict[Hashable, LeanMinHash | MinHash] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._signatures

    def add(self, key: Hashable, text) -> None:
        if key in self._signatures:
            self.remove(key)
        signature = _signature(text)
        self._signatures[key] = signature
        self._lsh.insert(key, signature)

    def remove(self, key: Hashable) -> None:
        if key in self._signatures:
            self._lsh.remove(key)
            del self._signatures[key]

    def query(self, text) -> Hashable | None:
        signature = _signature(text)
        best_key, best = None, -1.0
        for key in self._lsh.query(signature):
            score = signature.jaccard(self._signatures[key])
            if score >= self.threshold and score > best:
                best_key, best = key, score
        return best_key
