"""The in-memory index both matchers share: an inverted index of text terms (BM25 on demand), tag
postings (district, occupation and its prefixes, campaign, priority group) and numeric columns, all in
numpy arrays addressed by slot.

Slots only grow: ``remove`` marks a slot dead, ``update`` is remove + add. Document frequencies and the
average length are computed over live slots only, so a removed document stops counting at once. Each
posting list is kept sorted by slot (slots are handed out in increasing order), so membership is a binary
search. Additions after a bulk build wait in small Python lists and are merged into a term's array the
first time a query needs that term.
"""

import math
from array import array
from collections import Counter

import numpy as np

K1 = 1.2
B = 0.75


class _Postings:
    """key → (sorted slots int32, weights float32)."""

    def __init__(self):
        self.arrays: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.pending: dict[str, tuple[list[int], list[float]]] = {}

    def add(self, key: str, slot: int, weight: float = 1.0) -> None:
        slots, weights = self.pending.setdefault(key, ([], []))
        slots.append(slot)
        weights.append(weight)

    def bulk(self, keys: list[str], key_ids: array, slots: array, weights: array) -> None:
        """Add many (key id, slot, weight) triples at once; slots must be ascending within each key."""
        if not len(key_ids):
            return
        kid = np.frombuffer(key_ids, dtype=np.int32)
        order = np.argsort(kid, kind="stable")
        kid_sorted = kid[order]
        slot_arr = np.frombuffer(slots, dtype=np.int32)[order]
        weight_arr = np.frombuffer(weights, dtype=np.float32)[order]
        bounds = np.flatnonzero(np.diff(kid_sorted)) + 1
        starts = np.concatenate(([0], bounds))
        ends = np.concatenate((bounds, [len(kid_sorted)]))
        for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
            key = keys[kid_sorted[start]]
            new = (slot_arr[start:end].copy(), weight_arr[start:end].copy())
            old = self.get(key)
            self.arrays[key] = (
                new if old is None else (np.concatenate((old[0], new[0])), np.concatenate((old[1], new[1])))
            )

    def get(self, key: str) -> tuple[np.ndarray, np.ndarray] | None:
        waiting = self.pending.pop(key, None)
        if waiting is not None:
            new = (np.asarray(waiting[0], dtype=np.int32), np.asarray(waiting[1], dtype=np.float32))
            old = self.arrays.get(key)
            self.arrays[key] = (
                new if old is None else (np.concatenate((old[0], new[0])), np.concatenate((old[1], new[1])))
            )
        return self.arrays.get(key)

    def __contains__(self, key: str) -> bool:
        return key in self.arrays or key in self.pending


class Store:
    """Documents as (id, term counts, tags, numbers); see the module docstring."""

    def __init__(self, numeric: tuple[str, ...], keep_terms: bool = False, categorical: tuple[str, ...] = ()):
        self.numeric_names = numeric
        self.categorical_names = categorical
        self.codes: dict[str, dict[str, int]] = {name: {} for name in categorical}
        self.categories = {name: np.zeros(0, dtype=np.int32) for name in categorical}
        self.keep_terms = keep_terms
        self.terms = _Postings()
        self.tags = _Postings()
        self.slot_of: dict[int, int] = {}
        self.capacity = 0
        self.size = 0  # slots handed out
        self.ids = np.zeros(0, dtype=np.int64)
        self.alive = np.zeros(0, dtype=bool)
        self.length = np.zeros(0, dtype=np.float32)
        self.numbers = {name: np.zeros(0, dtype=np.float64) for name in numeric}
        self.slot_terms: list[dict[str, int] | None] = []  # only with keep_terms (for the brute-force scan)
        self.slot_tags: list[tuple[str, ...]] = []
        self.live = 0
        self.total_length = 0.0
        self.version = 0  # bumped by every add and remove; keys the per-term cache below
        self._term_cache: dict[str, tuple[int, np.ndarray, np.ndarray, int]] = {}

    # -- writing ---------------------------------------------------------------------------------
    def _grow(self, needed: int) -> None:
        if needed <= self.capacity:
            return
        capacity = max(needed, self.capacity * 2, 1024)
        grow = capacity - self.capacity
        self.ids = np.concatenate((self.ids, np.zeros(grow, dtype=np.int64)))
        self.alive = np.concatenate((self.alive, np.zeros(grow, dtype=bool)))
        self.length = np.concatenate((self.length, np.zeros(grow, dtype=np.float32)))
        for name in self.numeric_names:
            self.numbers[name] = np.concatenate((self.numbers[name], np.full(grow, np.nan)))
        for name in self.categorical_names:
            self.categories[name] = np.concatenate((self.categories[name], np.full(grow, -1, dtype=np.int32)))
        self.capacity = capacity

    def _claim(self, doc_id: int, counts: Counter, tags: tuple[str, ...], numbers: dict[str, float]) -> int:
        if doc_id in self.slot_of:
            self.remove(doc_id)
        slot = self.size
        self.version += 1
        self._grow(slot + 1)
        self.size += 1
        self.slot_of[doc_id] = slot
        self.ids[slot] = doc_id
        self.alive[slot] = True
        doc_length = float(sum(counts.values()))
        self.length[slot] = doc_length
        for name in self.numeric_names:
            value = numbers.get(name)
            self.numbers[name][slot] = np.nan if value is None else value
        for name in self.categorical_names:
            value = numbers.get(name)
            vocab = self.codes[name]
            self.categories[name][slot] = -1 if not value else vocab.setdefault(value, len(vocab))
        self.slot_terms.append(dict(counts) if self.keep_terms else None)
        self.slot_tags.append(tags)
        self.live += 1
        self.total_length += doc_length
        return slot

    def add(self, doc_id: int, counts: Counter, tags: tuple[str, ...], numbers: dict[str, float]) -> None:
        slot = self._claim(doc_id, counts, tags, numbers)
        for term, tf in counts.items():
            self.terms.add(term, slot, float(tf))
        for tag in tags:
            self.tags.add(tag, slot)

    def add_many(self, rows) -> None:
        """Bulk add of (id, term counts, tags, numbers) rows: one numpy grouping instead of per-term lists."""
        vocab: dict[str, int] = {}
        tag_vocab: dict[str, int] = {}
        t_keys, t_slots, t_weights = array("i"), array("i"), array("f")
        g_keys, g_slots, g_weights = array("i"), array("i"), array("f")
        for doc_id, counts, tags, numbers in rows:
            slot = self._claim(doc_id, counts, tags, numbers)
            for term, tf in counts.items():
                t_keys.append(vocab.setdefault(term, len(vocab)))
                t_slots.append(slot)
                t_weights.append(float(tf))
            for tag in tags:
                g_keys.append(tag_vocab.setdefault(tag, len(tag_vocab)))
                g_slots.append(slot)
                g_weights.append(1.0)
        self.terms.bulk(list(vocab), t_keys, t_slots, t_weights)
        self.tags.bulk(list(tag_vocab), g_keys, g_slots, g_weights)

    def remove(self, doc_id: int) -> bool:
        slot = self.slot_of.pop(doc_id, None)
        if slot is None:
            return False
        self.alive[slot] = False
        self.version += 1
        self.live -= 1
        self.total_length -= float(self.length[slot])
        self.slot_terms[slot] = None
        return True

    def __len__(self) -> int:
        return self.live

    def __contains__(self, doc_id: int) -> bool:
        return doc_id in self.slot_of

    # -- reading ---------------------------------------------------------------------------------
    def avgdl(self) -> float:
        return self.total_length / self.live if self.live else 1.0

    def idf(self, df: int) -> float:
        return math.log(1.0 + (self.live - df + 0.5) / (df + 0.5))

    def bm25(self, query: dict[str, float]) -> tuple[np.ndarray, dict[str, tuple[np.ndarray, float]]]:
        """Dense BM25 scores over all slots (0 where no term matches) and, per matched term, its live
        slots and weighted idf (for explaining which terms matched)."""
        avgdl = self.avgdl()
        slot_parts, score_parts = [], []
        matched: dict[str, tuple[np.ndarray, float]] = {}
        for term, q_weight in query.items():
            cached = self._term_cache.get(term)
            if cached is None or cached[0] != self.version:
                cached = self._saturated(term, avgdl)
                if cached is None:
                    continue
                self._term_cache[term] = cached
            _version, slots, saturated, df = cached
            weight = q_weight * self.idf(df)
            scores = weight * saturated
            slot_parts.append(slots)
            score_parts.append(scores)
            matched[term] = (slots, weight)
        if not slot_parts:
            return np.zeros(self.size, dtype=np.float64), matched
        dense = np.bincount(
            np.concatenate(slot_parts), weights=np.concatenate(score_parts), minlength=self.size
        )
        return dense, matched

    def _saturated(self, term: str, avgdl: float):
        """(version, live slots, tf·(k1+1)/(tf + k1·(1-b+b·dl/avgdl)), df) of a term, or None."""
        posting = self.terms.get(term)
        if posting is None:
            return None
        slots, tf = posting
        if self.live != self.size:
            live = self.alive[slots]
            if not live.all():
                slots, tf = slots[live], tf[live]
        if not len(slots):
            return None
        dl = self.length[slots]
        saturated = tf * (K1 + 1) / (tf + K1 * (1 - B + B * dl / avgdl))
        return self.version, slots, saturated, len(slots)

    def bm25_one(self, slot: int, query: dict[str, float], df: dict[str, int]) -> float:
        """BM25 of one slot from its stored term counts (the brute-force scan)."""
        counts = self.slot_terms[slot] or {}
        avgdl = self.avgdl()
        total = 0.0
        dl = float(self.length[slot])
        for term, q_weight in query.items():
            tf = counts.get(term)
            if tf:
                total += q_weight * self.idf(df[term]) * tf * (K1 + 1) / (tf + K1 * (1 - B + B * dl / avgdl))
        return total

    def category_is(self, name: str, value: str, slots: np.ndarray) -> np.ndarray:
        """Whether each slot's single-valued column ``name`` equals ``value`` (a gather and a compare)."""
        code = self.codes[name].get(value)
        if code is None:
            return np.zeros(len(slots), dtype=bool)
        return self.categories[name][slots] == code

    def category_mask(self, name: str, value: str) -> np.ndarray:
        """Over all slots: live and equal to ``value``."""
        code = self.codes[name].get(value)
        if code is None:
            return np.zeros(self.size, dtype=bool)
        return (self.categories[name][: self.size] == code) & self.alive[: self.size]

    def has_tag(self, tag: str, slots: np.ndarray) -> np.ndarray:
        posting = self.tags.get(tag)
        if posting is None or not len(slots):
            return np.zeros(len(slots), dtype=bool)
        tagged = posting[0]
        where = np.searchsorted(tagged, slots)
        where[where >= len(tagged)] = len(tagged) - 1
        return tagged[where] == slots

    def tag_slots(self, tag: str) -> np.ndarray:
        posting = self.tags.get(tag)
        if posting is None:
            return np.zeros(0, dtype=np.int32)
        return posting[0][self.alive[posting[0]]]

    def live_slots(self) -> np.ndarray:
        return np.flatnonzero(self.alive[: self.size]).astype(np.int32)
