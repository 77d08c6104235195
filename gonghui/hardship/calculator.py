"""The hardship arithmetic, free of the database so it can be tested exhaustively.

Per-capita monthly income = (household annual income − rigid expenses) ÷ 12 ÷ household size.
深度困难 below the local 低保 line; 相对困难 below the relative multiple (2 × 低保 by default); 意外致困 when the
year's necessary costs left after insurance exceed a share (80 %) of household income. Exit (脱困) when the
per-capita figure stays above the household's own tier's exit line for 6 consecutive months.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
EXIT_MONTHS = 6


@dataclass(frozen=True)
class Policy:
    dibao_monthly: Decimal
    relative_multiplier: Decimal = Decimal("2")
    exit_deep_multiplier: Decimal = Decimal("1")
    exit_relative_multiplier: Decimal = Decimal("2")
    accident_cost_ratio: Decimal = Decimal("0.8")
    min_employment_months: int = 12
    min_residence_years: int = 1
    exclude_two_homes: bool = True
    exclude_business: bool = True
    exclude_private_school: bool = True


@dataclass(frozen=True)
class Household:
    size: int
    annual_income: Decimal
    medical_expenses: Decimal = Decimal("0")
    education_expenses: Decimal = Decimal("0")
    accident_costs: Decimal = Decimal("0")
    insurance_paid: Decimal = Decimal("0")
    homes_count: int = 0
    runs_business: bool = False
    employs_others: bool = False
    child_private_high_fee: bool = False
    child_abroad_self_funded: bool = False
    is_migrant: bool = False
    residence_years: int = 0
    employment_months: int = 0
    is_member: bool = True


@dataclass(frozen=True)
class Assessment:
    per_capita_monthly: Decimal
    tier: str | None
    exclusions: tuple[str, ...]
    relative_line: Decimal

    @property
    def eligible(self) -> bool:
        return self.tier is not None and not self.exclusions


def per_capita_monthly(household: Household) -> Decimal:
    if household.size < 1:
        raise ValueError("household size must be at least 1")
    disposable = household.annual_income - household.medical_expenses - household.education_expenses
    disposable = max(disposable, Decimal("0"))
    return (disposable / 12 / household.size).quantize(CENT, rounding=ROUND_HALF_UP)


def exclusions(household: Household, policy: Policy) -> tuple[str, ...]:
    found = []
    if policy.exclude_two_homes and household.homes_count >= 2:
        found.append("two_homes")
    if policy.exclude_business and (household.runs_business or household.employs_others):
        found.append("business")
    if policy.exclude_private_school and (household.child_private_high_fee or household.child_abroad_self_funded):
        found.append("private_school")
    if household.is_migrant and (
        household.residence_years < policy.min_residence_years
        or household.employment_months < policy.min_employment_months
        or not household.is_member
    ):
        found.append("migrant")
    return tuple(found)


def assess(household: Household, policy: Policy) -> Assessment:
    figure = per_capita_monthly(household)
    relative_line = (policy.dibao_monthly * policy.relative_multiplier).quantize(CENT)
    if figure < policy.dibao_monthly:
        tier = "deep"
    elif figure < relative_line:
        tier = "relative"
    elif (household.accident_costs - household.insurance_paid) > policy.accident_cost_ratio * household.annual_income:
        tier = "accident"
    else:
        tier = None
    return Assessment(figure, tier, exclusions(household, policy), relative_line)


def exit_line(tier: str, policy: Policy) -> Decimal | None:
    """The per-capita line a household of this tier must stay above; None where exit is a judgement
    (意外致困 ends when its cause is resolved)."""
    if tier == "deep":
        return (policy.dibao_monthly * policy.exit_deep_multiplier).quantize(CENT)
    if tier == "relative":
        return (policy.dibao_monthly * policy.exit_relative_multiplier).quantize(CENT)
    return None


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def months_above(records: list[tuple[date, Decimal]], line: Decimal) -> int:
    """How many consecutive calendar months, ending with the newest record, are strictly above the line."""
    ordered = sorted(records, key=lambda r: r[0], reverse=True)
    count, expected = 0, None
    for month, figure in ordered:
        index = _month_index(month)
        if expected is not None and index != expected:
            break  # a gap in the records breaks the run
        if figure <= line:
            break
        count += 1
        expected = index - 1
    return count


def may_exit(tier: str, records: list[tuple[date, Decimal]], policy: Policy) -> bool:
    line = exit_line(tier, policy)
    return line is not None and months_above(records, line) >= EXIT_MONTHS
