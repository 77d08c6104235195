"""Daily recommendations: the top jobs for many seekers in one pass over one index.

The index is built once from the live postings; each seeker's query runs against it (a few ms each), and
what the seeker already applied to or was already shown can be excluded. Pure data in and out; the Django
task turns the result into notifications.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from gonghui.employment.engine.ranking import JobDoc, JobIndex, Match, SeekerProfile


@dataclass(frozen=True, slots=True)
class Recommendation:
    seeker_id: int
    matches: list[Match]


def recommend(
    index: JobIndex | Iterable[JobDoc],
    seekers: Iterable[SeekerProfile],
    *,
    k: int = 10,
    exclude: Callable[[int], Iterable[int]] | None = None,
    min_score: float = 0.0,
) -> Iterator[Recommendation]:
    """Yield the top ``k`` jobs per seeker (a generator, so callers can write in batches; seekers come
    grouped by what they ask for, not in the order given).
    ``exclude(seeker_id)`` gives the posting ids not to recommend again (applied, already sent);
    matches scoring below ``min_score`` are dropped (a seeker with nothing good gets nothing)."""
    if not isinstance(index, JobIndex):
        index = JobIndex(index, keep_terms=False)
    # Seekers asking for the same thing share the text retrieval: order them so they come together.
    ordered = sorted(seekers, key=index.retrieval_key)
    last_key, retrieval = None, None
    for seeker in ordered:
        key = index.retrieval_key(seeker)
        if key != last_key:
            last_key, retrieval = key, index.retrieve(seeker)
        filters = None
        if exclude is not None:
            skip = set(exclude(seeker.id))
            filters = {"exclude": skip} if skip else None
        matches = [
            m for m in index.search(seeker, k=k, filters=filters, retrieval=retrieval) if m.score >= min_score
        ]
        yield Recommendation(seeker.id, matches)
