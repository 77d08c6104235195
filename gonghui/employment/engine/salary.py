"""Salary text as job sites write it, turned into a monthly range.

Handles ``10-15K·14薪``, ``8千-1.2万``, ``18-36万`` (a 万 figure of 10万 or more with no period is a yearly
package), ``面议``, ``5000-8000元/月``, ``200元/天``, ``25元/时``, ``1.5万以上``, ``3000起``, full-width digits
and dashes, ``~``/``至``/``到`` as separators, ``年薪``/``日薪``/``时薪`` prefixes, thousands separators.

Day and hour rates become monthly with the statutory averages (劳社部发〔2008〕3号): 21.75 working days and
174 working hours a month. Errors carry a stable ``code`` so callers can show a translated message.
"""

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

DAYS_PER_MONTH = Decimal("21.75")
HOURS_PER_MONTH = Decimal("174")
MAX_MONTHLY = 10_000_000  # above this a figure is a typo, not a salary
PERIODS = ("month", "year", "day", "hour")
_FACTOR = {
    "month": Decimal(1),
    "year": Decimal(1) / Decimal(12),
    "day": DAYS_PER_MONTH,
    "hour": HOURS_PER_MONTH,
}


class SalaryError(ValueError):
    """A salary text that cannot be read. ``code``: empty, unrecognised, min_above_max, implausible."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class SalaryRange:
    min_monthly: int | None
    max_monthly: int | None
    months: int = 12
    negotiable: bool = False
    period: str = "month"  # the period the text was stated in; amounts are always monthly

    def overlaps(self, low: int | None, high: int | None) -> bool:
        """Whether [low, high] (None = open) meets this range; a negotiable range meets anything."""
        if self.negotiable or (self.min_monthly is None and self.max_monthly is None):
            return True
        top = self.max_monthly if self.max_monthly is not None else 10**12
        bottom = self.min_monthly if self.min_monthly is not None else 0
        return (low is None or low <= top) and (high is None or high >= bottom)


NEGOTIABLE = SalaryRange(None, None, 12, True, "month")

_NEGOTIABLE_WORDS = ("面议", "面谈", "待遇面议", "薪资面议", "薪酬面议", "工资面议", "negotiable", "商议")
_PERIOD_WORDS = [  # (regex, period); checked in order, the first found wins
    (r"年薪|/年|每年|元年|万年|一年|per\s*year|/yr|/y\b", "year"),
    (r"日薪|/天|/日|每天|每日|元天|元日|一天|per\s*day|/d\b", "day"),
    (r"时薪|/时|/小时|每小时|元时|小时|per\s*hour|/h\b", "hour"),
    (r"月薪|/月|每月|元月|一个月|per\s*month|/m\b", "month"),
]
_MONTHS = re.compile(r"[·•*×x]?\s*(\d{2})\s*薪|[·•*×x]\s*(\d{2})\s*(?:个月)?$")
_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)\s*(k|千|w|万|元|块)?")
_SEPARATORS = re.compile(r"\s*(?:-|~|至|到|—|–|－|〜)\s*")
_UNIT = {
    "k": Decimal(1000),
    "千": Decimal(1000),
    "w": Decimal(10000),
    "万": Decimal(10000),
    "元": Decimal(1),
    "块": Decimal(1),
    None: None,
}
_OPEN_HIGH = ("以上", "起", "+", "及以上", "不封顶", "上不封顶")
_OPEN_LOW = ("以下", "以内", "封顶")
_EXTRAS = re.compile(r"\+?(?:提成|绩效|奖金|补贴|分红|加班费|计件).*$")
_BRACKETED = re.compile(r"[(\[【][^)\]】]*[)\]】]")
_BENEFITS = re.compile(r"包吃住|包吃|包住|五险一金|五险|双休|单休|月休\d+天|年终奖|[,，、;；]+$")
_NOISE = re.compile(
    r"人民币|rmb|cny|税前|税后|基本工资|底薪|综合薪资|综合工资|薪资|薪酬|工资|待遇|收入|[¥￥:：,，\s]"
)


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = text.replace("～", "~").replace("〜", "~").replace("—", "-").replace("–", "-").replace("−", "-")
    # thousands separators: 10,000 -> 10000 (only between digit groups of three)
    return re.sub(r"(?<=\d)[,，](?=\d{3}\b)", "", text)


def _detect_period(text: str) -> str | None:
    for pattern, period in _PERIOD_WORDS:
        if re.search(pattern, text):
            return period
    return None


def _to_monthly(amount: Decimal, period: str) -> int:
    return int((amount * _FACTOR[period]).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_salary(text: str) -> SalaryRange:
    """Parse one salary text; raises ``SalaryError`` for text that is not a salary or min > max."""
    if text is None or not str(text).strip():
        raise SalaryError("empty", "The salary is empty.")
    raw = str(text).strip()
    norm = _BRACKETED.sub("", _normalise(raw))  # "面议(6000起)", "5000元/月(税前)": asides are not the salary
    if any(word in norm for word in _NEGOTIABLE_WORDS) and (
        not re.search(r"\d", norm) or norm in _NEGOTIABLE_WORDS
    ):
        return NEGOTIABLE
    months = 12
    found = _MONTHS.search(norm)
    if found:
        months = int(found.group(1) or found.group(2))
        if not 12 <= months <= 24:
            raise SalaryError("unrecognised", f"{months} months' pay a year is not plausible: {raw}")
        norm = norm[: found.start()] + norm[found.end() :]
    period = _detect_period(norm)
    for pattern, _period in _PERIOD_WORDS:
        norm = re.sub(pattern, "", norm)
    norm = _BENEFITS.sub("", _NOISE.sub("", norm)).replace("/", "")
    extras = _EXTRAS.search(norm)  # "底薪3000+提成": a single base is the floor, the top is open
    if extras:
        norm = norm[: extras.start()]
        if not _SEPARATORS.search(norm) and not norm.endswith(_OPEN_LOW):
            norm += "以上"
    open_high = any(norm.endswith(w) for w in _OPEN_HIGH)
    open_low = any(norm.endswith(w) for w in _OPEN_LOW)
    for word in _OPEN_HIGH + _OPEN_LOW:
        if norm.endswith(word):
            norm = norm[: -len(word)]
            break
    parts = _SEPARATORS.split(norm, maxsplit=1) if norm else []
    if not parts or not all(parts):
        raise SalaryError("unrecognised", f"Not a salary: {raw}")
    amounts: list[tuple[Decimal, Decimal | None]] = []
    for part in parts:
        match = _AMOUNT.fullmatch(part)
        if not match:
            raise SalaryError("unrecognised", f"Not a salary: {raw}")
        amounts.append((Decimal(match.group(1)), _UNIT[match.group(2)]))
    # "10-15K": the unit written after the second figure applies to the first one too.
    last_unit = amounts[-1][1] or Decimal(1)
    values = [value * (unit or last_unit) for value, unit in amounts]
    if period is None:
        # A bare 万 figure of 10万 or more ("18-36万") is a yearly package on Chinese job sites.
        period = (
            "year" if any(u == Decimal(10000) for _v, u in amounts) and max(values) >= 100_000 else "month"
        )
    monthly = [_to_monthly(v, period) for v in values]
    if any(m <= 0 for m in monthly):
        raise SalaryError("implausible", f"A salary must be above zero: {raw}")
    if any(m > MAX_MONTHLY for m in monthly):
        raise SalaryError("implausible", f"The salary is implausibly high: {raw}")
    if len(monthly) == 2:
        low, high = monthly
        if open_high or open_low:
            raise SalaryError("unrecognised", f"Not a salary: {raw}")
        if low > high:
            raise SalaryError("min_above_max", f"The minimum is above the maximum: {raw}")
        return SalaryRange(low, high, months, False, period)
    (value,) = monthly
    if open_high:
        return SalaryRange(value, None, months, False, period)
    if open_low:
        return SalaryRange(None, value, months, False, period)
    return SalaryRange(value, value, months, False, period)


def make_range(min_monthly: int | None, max_monthly: int | None, *, months: int = 12) -> SalaryRange:
    """A range from form fields (monthly figures), with the same checks as the parser."""
    for value in (min_monthly, max_monthly):
        if value is not None and not 0 < value <= MAX_MONTHLY:
            raise SalaryError("implausible", f"Not a plausible monthly salary: {value}")
    if min_monthly is not None and max_monthly is not None and min_monthly > max_monthly:
        raise SalaryError("min_above_max", f"The minimum {min_monthly} is above the maximum {max_monthly}.")
    if min_monthly is None and max_monthly is None:
        return NEGOTIABLE
    return SalaryRange(min_monthly, max_monthly, months, False, "month")


_PERIOD_SUFFIX = {"month": "元/月", "year": "元/年", "day": "元/天", "hour": "元/时"}


def _stated(monthly: int, period: str) -> str:
    """The amount in the stated period, with the fewest decimals that convert back to the same month."""
    factor = _FACTOR[period]
    for places in range(-4, 7):  # round figures first: 100000元/年 rather than 99996元/年
        quantum = Decimal(1).scaleb(-places)
        value = (Decimal(monthly) / factor).quantize(quantum, rounding=ROUND_HALF_UP)
        if _to_monthly(value, period) == monthly:
            return f"{value:f}"
    return f"{Decimal(monthly) / factor:f}"


def format_salary(salary: SalaryRange) -> str:
    """Display text such as ``10000-15000元/月·14薪``, ``200元/天``, ``15000元/月以上``, ``面议``.
    ``parse_salary(format_salary(r)) == r`` for every range the parser produces."""
    if salary.negotiable or (salary.min_monthly is None and salary.max_monthly is None):
        return "面议"
    period = salary.period if salary.period in _FACTOR else "month"
    suffix = _PERIOD_SUFFIX[period]
    low = None if salary.min_monthly is None else _stated(salary.min_monthly, period)
    high = None if salary.max_monthly is None else _stated(salary.max_monthly, period)
    if low is not None and high is not None:
        body = (
            low + suffix
            if low == high and salary.min_monthly == salary.max_monthly
            else f"{low}-{high}{suffix}"
        )
    elif low is not None:
        body = f"{low}{suffix}以上"
    else:
        body = f"{high}{suffix}以下"
    return body + (f"·{salary.months}薪" if salary.months != 12 else "")
