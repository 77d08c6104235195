"""Batch recommendation of open wishes to donors: a multiple-knapsack problem (each donor's budget is a
knapsack, each wish goes to one donor at most). Maximise the number of wishes fulfilled, then their value.

Solved with OR-Tools CP-SAT, warm-started from the greedy first-come answer and time-limited; the greedy
answer is always a feasible fallback, so the result is never worse than greedy. Pure data in, pure data out.
"""

import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

CANDIDATES_PER_WISH = 6


@dataclass(frozen=True)
class WishItem:
    id: int
    category: str
    region: str
    amount: int  # in fen (cents), so the solver works with integers


@dataclass(frozen=True)
class DonorItem:
    id: int
    categories: frozenset[str]
    regions: frozenset[str]
    budget: int  # fen

    def likes(self, wish: WishItem) -> bool:
        return ((not self.categories or wish.category in self.categories)
                and (not self.regions or wish.region in self.regions)
                and wish.amount <= self.budget)


@dataclass
class Result:
    assignment: dict[int, int]  # wish id -> donor id
    count: int
    value: int
    status: str
    gap: float | None
    seconds: float
    greedy_count: int = 0
    greedy_value: int = 0
    extra: dict = field(default_factory=dict)


def _index(wishes: list[WishItem], donors: list[DonorItem]) -> dict[tuple[str, str], list[DonorItem]]:
    """For each (category, district) that occurs among the wishes, the donors whose preferences admit it,
    in donor order, so neither greedy nor the model scans every donor for every wish."""
    keys = {(w.category, w.region) for w in wishes}
    return {key: [d for d in donors if (not d.categories or key[0] in d.categories)
                  and (not d.regions or key[1] in d.regions)] for key in keys}


def greedy(wishes: list[WishItem], donors: list[DonorItem], index=None) -> dict[int, int]:
    """First come, first served: each wish in order goes to the first donor who likes it and can afford it."""
    index = index if index is not None else _index(wishes, donors)
    left = {d.id: d.budget for d in donors}
    assignment = {}
    for wish in wishes:
        for donor in index[(wish.category, wish.region)]:
            if left[donor.id] >= wish.amount:
                assignment[wish.id] = donor.id
                left[donor.id] -= wish.amount
                break
    return assignment


def _value(assignment, wishes_by_id) -> int:
    return sum(wishes_by_id[w].amount for w in assignment)


def solve(wishes: list[WishItem], donors: list[DonorItem], *, seconds: float = 8.0, workers: int = 2) -> Result:
    started = time.perf_counter()
    by_id = {w.id: w for w in wishes}
    index = _index(wishes, donors)
    first = greedy(wishes, donors, index)
    greedy_count, greedy_value = len(first), _value(first, by_id)
    if not wishes or not donors:
        return Result(first, greedy_count, greedy_value, "EMPTY", 0.0, time.perf_counter() - started,
                      greedy_count, greedy_value)

    # Sparsify: each wish keeps a bounded set of donors who like it (spread across donors), plus its greedy one.
    candidates: dict[int, list[int]] = {}
    for position, wish in enumerate(wishes):
        liked = [d.id for d in index[(wish.category, wish.region)] if d.budget >= wish.amount]
        if len(liked) > CANDIDATES_PER_WISH:
            start = position % len(liked)
            liked = (liked[start:] + liked[:start])[:CANDIDATES_PER_WISH]
        if wish.id in first and first[wish.id] not in liked:
            liked.append(first[wish.id])
        if liked:
            candidates[wish.id] = liked

    model = cp_model.CpModel()
    big = sum(w.amount for w in wishes) + 1  # one more wish always beats any amount of value
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    by_donor: dict[int, list[tuple[int, int]]] = {d.id: [] for d in donors}
    for wish_id, donor_ids in candidates.items():
        for donor_id in donor_ids:
            var = model.NewBoolVar(f"x{wish_id}_{donor_id}")
            x[(wish_id, donor_id)] = var
            by_donor[donor_id].append((wish_id, donor_id))
            model.AddHint(var, first.get(wish_id) == donor_id)
        model.AddAtMostOne(x[(wish_id, d)] for d in donor_ids)
    budgets = {d.id: d.budget for d in donors}
    for donor_id, keys in by_donor.items():
        if keys:
            model.Add(sum(by_id[w].amount * x[(w, d)] for w, d in keys) <= budgets[donor_id])
    model.Maximize(sum((big + by_id[w].amount) * var for (w, _d), var in x.items()))

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.5, seconds - (time.perf_counter() - started))
    solver.parameters.num_search_workers = workers
    built = time.perf_counter() - started
    status = solver.Solve(model)
    name = solver.StatusName(status)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        assignment = {w: d for (w, d), var in x.items() if solver.Value(var)}
        objective, bound = solver.ObjectiveValue(), solver.BestObjectiveBound()
        gap = 0.0 if status == cp_model.OPTIMAL else max(0.0, (bound - objective) / max(1.0, abs(bound)))
    else:
        assignment, gap = dict(first), None
    if (len(assignment), _value(assignment, by_id)) < (greedy_count, greedy_value):
        assignment = dict(first)  # never worse than greedy
    return Result(assignment, len(assignment), _value(assignment, by_id), name, gap, time.perf_counter() - started,
                  greedy_count, greedy_value, {"variables": len(x), "build_seconds": round(built, 2),
                                                 "wall": solver.WallTime()})
