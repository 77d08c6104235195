"""Tiers and exit lines at their boundaries (hypothesis)."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from gonghui.hardship.calculator import (
    Household,
    Policy,
    assess,
    exit_line,
    may_exit,
    months_above,
    per_capita_monthly,
)

POLICY = Policy(dibao_monthly=Decimal("1510"))
money = st.decimals(min_value=0, max_value=2_000_000, places=2, allow_nan=False, allow_infinity=False)


def _household_with_figure(figure: Decimal, size: int = 1) -> Household:
    return Household(size=size, annual_income=figure * 12 * size)


def test_the_worked_example():
    # 3 people, ¥60,000 a year, ¥6,000 of medical bills: (60000 − 6000) ÷ 12 ÷ 3 = 1500.00 < 1510 → deep.
    household = Household(size=3, annual_income=Decimal("60000"), medical_expenses=Decimal("6000"))
    result = assess(household, POLICY)
    assert result.per_capita_monthly == Decimal("1500.00") and result.tier == "deep" and result.eligible


@pytest.mark.parametrize(("figure", "tier"), [
    ("1509.99", "deep"), ("1510.00", "relative"), ("3019.99", "relative"), ("3020.00", None),
])
def test_tier_boundaries(figure, tier):
    assert assess(_household_with_figure(Decimal(figure)), POLICY).tier == tier


@given(figure=st.decimals(min_value=0, max_value=10000, places=2), size=st.integers(1, 8))
def test_tier_follows_the_lines(figure, size):
    result = assess(_household_with_figure(figure, size), POLICY)
    assert result.per_capita_monthly == figure
    if figure < POLICY.dibao_monthly:
        assert result.tier == "deep"
    elif figure < 2 * POLICY.dibao_monthly:
        assert result.tier == "relative"
    else:
        assert result.tier is None


@given(income=money, medical=money, education=money, size=st.integers(1, 12))
def test_per_capita_is_never_negative_and_never_above_gross(income, medical, education, size):
    figure = per_capita_monthly(Household(size=size, annual_income=income, medical_expenses=medical,
                                          education_expenses=education))
    assert Decimal("0") <= figure <= (income / 12 / size).quantize(Decimal("0.01")) + Decimal("0.01")


@given(income=st.decimals(min_value=40000, max_value=500000, places=2),
       costs=st.decimals(min_value=0, max_value=1_000_000, places=2),
       insurance=st.decimals(min_value=0, max_value=1_000_000, places=2))
def test_accident_hardship_above_the_income_lines(income, costs, insurance):
    household = Household(size=1, annual_income=income, accident_costs=costs, insurance_paid=insurance)
    assume(per_capita_monthly(household) >= 2 * POLICY.dibao_monthly)
    tier = assess(household, POLICY).tier
    assert (tier == "accident") == (costs - insurance > Decimal("0.8") * income)


def test_household_size_zero_is_refused():
    with pytest.raises(ValueError):
        per_capita_monthly(Household(size=0, annual_income=Decimal("1")))


@pytest.mark.parametrize(("flags", "code"), [
    ({"homes_count": 2}, "two_homes"), ({"runs_business": True}, "business"), ({"employs_others": True}, "business"),
    ({"child_private_high_fee": True}, "private_school"), ({"child_abroad_self_funded": True}, "private_school"),
    ({"is_migrant": True, "residence_years": 3, "employment_months": 6}, "migrant"),
    ({"is_migrant": True, "residence_years": 3, "employment_months": 24, "is_member": False}, "migrant"),
])
def test_exclusions_are_flagged(flags, code):
    result = assess(Household(size=1, annual_income=Decimal("1000"), **flags), POLICY)
    assert code in result.exclusions and not result.eligible


def test_exclusions_can_be_switched_off_by_policy():
    policy = Policy(dibao_monthly=Decimal("1510"), exclude_two_homes=False)
    assert assess(Household(size=1, annual_income=Decimal("1000"), homes_count=3), policy).exclusions == ()


def _months(*figures, start=date(2026, 1, 1)):
    out = []
    for i, figure in enumerate(figures):
        year, month = divmod(start.month - 1 + i, 12)
        out.append((date(start.year + year, month + 1, 1), Decimal(figure)))
    return out


def test_exit_needs_six_consecutive_months_above_the_own_tier_line():
    line_deep, line_relative = exit_line("deep", POLICY), exit_line("relative", POLICY)
    assert (line_deep, line_relative) == (Decimal("1510.00"), Decimal("3020.00"))
    above_deep = _months(*["1600"] * 6)
    assert may_exit("deep", above_deep, POLICY)
    assert not may_exit("relative", above_deep, POLICY)  # a relative household is already above 低保
    assert not may_exit("deep", _months(*["1600"] * 5), POLICY)
    assert not may_exit("deep", _months("1600", "1600", "1600", "1510", "1600", "1600"), POLICY)  # equal is not above


def test_a_gap_in_the_records_breaks_the_run():
    records = _months(*["1600"] * 3) + _months(*["1600"] * 3, start=date(2026, 5, 1))
    assert months_above(records, Decimal("1510")) == 3


def test_accident_hardship_exits_by_judgement_not_by_line():
    assert exit_line("accident", POLICY) is None
    assert not may_exit("accident", _months(*["9999"] * 12), POLICY)


@given(st.lists(st.decimals(min_value=0, max_value=6000, places=2), min_size=0, max_size=24))
def test_months_above_counts_the_newest_run(figures):
    records = _months(*figures)
    count = months_above(records, Decimal("1510"))
    tail = list(reversed(figures))
    expected = 0
    for figure in tail:
        if figure <= 1510:
            break
        expected += 1
    assert count == expected
