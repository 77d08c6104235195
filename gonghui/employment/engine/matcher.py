"""What both matchers share: the documents and queries as the engine sees them, the weights, the
scoring helpers (numpy, vectorised over candidate slots) and the index life cycle (add, update, remove)."""

import abc
import functools
import threading
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from gonghui.employment.engine.store import Store
from gonghui.employment.engine.text import synonyms, tokens


@dataclass(slots=True)
class JobDoc:
    """A live posting as the matcher sees it."""

    id: int
    title: str
    description: str = ""
    occupation: str = ""  # occupation classification code, e.g. "4-02-07-08" (or a group: "6")
    industry: str = ""
    district: str = ""  # GB/T 2260 code
    salary_min: int | None = None  # monthly
    salary_max: int | None = None
    education: str = ""  # ladder code required; "" or "any" = not limited
    experience_min: int = 0  # years required
    skill_level: int = 0  # required skill-level rank (0 none … 5 高级技师)
    skills: tuple[str, ...] = ()
    campaigns: tuple[str, ...] = ()
    priority_groups: tuple[str, ...] = ()  # groups the posting is reserved for or welcomes first


@dataclass(slots=True)
class SeekerProfile:
    """A seeker (saved or typed into quick match): free text plus whatever structured fields are known."""

    text: str = ""
    id: int | None = None
    occupations: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    salary_min: int | None = None  # desired monthly
    salary_max: int | None = None
    education: str = ""  # ladder code held
    experience_years: float | None = None
    skill_level: int = 0
    skills: tuple[str, ...] = ()
    priority_groups: tuple[str, ...] = ()
    campaigns: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Match:
    id: int
    score: float
    reasons: list[tuple[str, dict]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Retrieval:
    """The text part of a search, valid until the index is next written to."""

    slots: np.ndarray  # candidate slots
    text: np.ndarray  # their raw BM25 scores
    matched: dict  # term -> (slots, weighted idf), for explanations
    memo: dict  # text order per pruning limit
    explained: dict  # slot -> matched terms, filled as results need them


@dataclass(frozen=True, slots=True)
class Weights:
    """Tuned on the dev queries (bench/employment.py --tune); never on the held-out ones."""

    text: float = 1.0
    synonym: float = 0.4
    occupation: float = 0.5
    district: float = 0.25
    salary: float = 0.2
    education: float = 0.3
    experience: float = 0.2
    skill: float = 0.2
    priority: float = 0.15
    campaign: float = 0.15
    any_district: float = 0.3  # seekers open to any district (SeekerIndex)


DEFAULT_WEIGHTS = Weights()


def _occupation_tags(code: str) -> list[str]:
    """o:<code> and o1:/o2:/o3: for each group above it ("4-02-07-08" → o1:4, o2:4-02, o3:4-02-07)."""
    if not code:
        return []
    parts = code.split("-")
    tags = [f"o:{code}"]
    for depth in range(1, min(len(parts), 4)):
        tags.append(f"o{depth}:{'-'.join(parts[:depth])}")
    return tags


def _occupation_levels(code: str) -> list[tuple[str, str, float]]:
    """(column, value, fit) for a wanted code: exact 1, same minor group .6, medium .3, major .1; a wanted
    group ("4-02") fits every occupation inside it fully."""
    parts = code.split("-")
    levels = [("o", code, 1.0)] if len(parts) == 4 else []
    for depth, value in ((3, 0.6), (2, 0.3), (1, 0.1)):
        if len(parts) > depth:
            levels.append((f"o{depth}", "-".join(parts[:depth]), value))
        elif len(parts) == depth:
            levels.append((f"o{depth}", code, 1.0))
    return levels


def _occupation_fit(store: Store, codes: tuple[str, ...], slots: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Best occupation fit per slot over the wanted codes, and the index of the code that gave it."""
    fit = np.zeros(len(slots))
    which = np.full(len(slots), -1)
    for i, code in enumerate(codes):
        for column, value, level in _occupation_levels(code):
            better = store.category_is(column, value, slots) & (fit < level)
            fit[better] = level
            which[better] = i
    return fit, which


def _query_terms(text_parts: list[tuple[str, float]], synonym_weight: float) -> dict[str, float]:
    query: Counter = Counter()
    for text, weight in text_parts:
        for term in tokens(text):
            query[term] += weight
    for term in list(query):
        for other in synonyms(term):
            if other not in query:
                query[other] = synonym_weight * query[term]
    return dict(query)


def _salary_fit(wanted: float | None, offered_min: np.ndarray, offered_max: np.ndarray) -> np.ndarray:
    """1 when the offer can reach what is wanted, falling off steeply below; .5 when unknown (面议)."""
    if wanted is None or not wanted:
        return np.zeros(len(offered_min))
    top = np.where(np.isnan(offered_max), np.where(np.isnan(offered_min), np.nan, np.inf), offered_max)
    ratio = np.clip(top / wanted, 0.0, 1.0)
    return np.where(np.isnan(top), 0.5, ratio**3)


def _shortfall(has: np.ndarray | float, required: np.ndarray | float, scale: float) -> np.ndarray:
    """0 when the requirement is met or unknown, down to -1 the further below it."""
    gap = np.nan_to_num(np.asarray(required, dtype=float) - np.asarray(has, dtype=float), nan=0.0)
    return -np.clip(gap / scale, 0.0, 1.0)


def _top(scores: np.ndarray, slots: np.ndarray, ids: np.ndarray, k: int) -> np.ndarray:
    """Positions (into slots) of the k best, best first; ties by id."""
    if len(scores) > k:
        # keep everything tied with the k-th score, so the id tie-break is the same as a full sort
        kth = np.partition(scores, len(scores) - k)[len(scores) - k]
        keep = np.flatnonzero(scores >= kth)
    else:
        keep = np.arange(len(scores))
    order = np.lexsort((ids[slots[keep]], -scores[keep]))
    return keep[order][:k]


def locked(method):
    """Run the method under the index's lock: searches also write (they merge pending postings and fill
    caches), so a process with threads must not run two methods of one index at once."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with self._lock:
            return method(self, *args, **kwargs)

    return wrapper


class _Matcher(abc.ABC):
    numeric: tuple[str, ...] = ()
    categorical: tuple[str, ...] = ()

    def __init__(self, docs=(), *, weights: Weights = DEFAULT_WEIGHTS, keep_terms: bool = False):
        self.weights = weights
        self.store = Store(self.numeric, keep_terms=keep_terms, categorical=self.categorical)
        self._lock = threading.RLock()
        self.add_many(docs)

    @locked
    def add_many(self, docs) -> None:
        self.store.add_many(self._row(doc) for doc in docs)

    @locked
    def add(self, doc) -> None:
        self.store.add(*self._row(doc))

    @locked
    def update(self, doc) -> None:
        self.add(doc)  # adding an id that is present replaces it

    @locked
    def remove(self, doc_id: int) -> bool:
        return self.store.remove(doc_id)

    def __len__(self) -> int:
        return len(self.store)

    def __contains__(self, doc_id: int) -> bool:
        return doc_id in self.store

    @abc.abstractmethod
    def _row(self, doc):
        """The store row of one document (JobIndex and SeekerIndex each define theirs)."""

    def _candidates(
        self,
        dense: np.ndarray,
        extra_tags: list[str],
        k: int,
        extra_columns: list[tuple[str, str]] = (),
        open_query: bool = False,
    ) -> np.ndarray:
        """Documents sharing a term or a named occupation with the query. A query that names nothing
        (no meaningful words, no occupation) considers everything live: structured fit alone decides."""
        if open_query:
            return self.store.live_slots()
        mask = dense > 0
        for tag in extra_tags:
            mask[self.store.tag_slots(tag)] = True
        for column, value in extra_columns:
            mask |= self.store.category_mask(column, value)
        return np.flatnonzero(mask).astype(np.int32)

    def _text_reasons_many(self, top_slots: np.ndarray, matched: dict) -> list[list[str]]:
        """The (up to five) most informative query terms each of the given slots contains."""
        hits: list[list[tuple[float, str]]] = [[] for _ in range(len(top_slots))]
        for term, (slots, weight) in matched.items():
            where = np.searchsorted(slots, top_slots)
            where[where >= len(slots)] = len(slots) - 1
            for n in np.flatnonzero(slots[where] == top_slots).tolist():
                hits[n].append((weight, term))
        return [[term for _w, term in sorted(h, reverse=True)[:5]] for h in hits]

    def _text_reasons(self, slot: int, matched: dict) -> list[str]:
        hits = []
        for term, (slots, weight) in matched.items():
            where = np.searchsorted(slots, slot)
            if where < len(slots) and slots[where] == slot:
                hits.append((weight, term))
        return [term for _w, term in sorted(hits, reverse=True)[:5]]
