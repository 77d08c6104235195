import random

from hypothesis import given, settings
from hypothesis import strategies as st

from gonghui.wishes.matching import DonorItem, WishItem, greedy, solve


def _check_feasible(result, wishes, donors):
    spent = {}
    by_id = {w.id: w for w in wishes}
    donors_by_id = {d.id: d for d in donors}
    for wish_id, donor_id in result.assignment.items():
        assert donors_by_id[donor_id].likes(by_id[wish_id])
        spent[donor_id] = spent.get(donor_id, 0) + by_id[wish_id].amount
    for donor_id, total in spent.items():
        assert total <= donors_by_id[donor_id].budget


def test_the_solver_beats_greedy_where_first_come_wastes_a_budget():
    # Greedy gives the big wish to donor 1 and leaves two small wishes unfulfilled.
    wishes = [WishItem(1, "study", "310115", 30000), WishItem(2, "study", "310115", 20000),
              WishItem(3, "study", "310115", 20000)]
    donors = [DonorItem(1, frozenset(), frozenset(), 40000), DonorItem(2, frozenset(), frozenset(), 30000)]
    assert len(greedy(wishes, donors)) == 2
    result = solve(wishes, donors, seconds=5)
    assert result.count == 3 and result.status == "OPTIMAL" and result.gap == 0.0
    _check_feasible(result, wishes, donors)


def test_preferences_are_respected():
    wishes = [WishItem(1, "health", "310104", 10000), WishItem(2, "study", "310115", 10000)]
    donors = [DonorItem(1, frozenset({"study"}), frozenset({"310115"}), 50000)]
    result = solve(wishes, donors, seconds=2)
    assert result.assignment == {2: 1}


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 10_000))
def test_random_instances_are_feasible_and_never_worse_than_greedy(seed):
    rng = random.Random(seed)
    cats, regions = ["study", "daily", "health"], ["310101", "310104", "310115"]
    wishes = [WishItem(i, rng.choice(cats), rng.choice(regions), rng.randint(50, 500) * 100) for i in range(40)]
    donors = [DonorItem(j, frozenset(rng.sample(cats, rng.randint(0, 2))), frozenset(rng.sample(regions, rng.randint(0, 2))),
                        rng.randint(0, 2000) * 100) for j in range(8)]
    result = solve(wishes, donors, seconds=0.5)
    _check_feasible(result, wishes, donors)
    assert (result.count, result.value) >= (result.greedy_count, result.greedy_value)


def test_empty_inputs():
    assert solve([], [], seconds=1).count == 0
