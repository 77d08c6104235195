"""Experience requirements → a year range: ``3-5年``, ``经验不限``, ``应届生``, ``1年以上``, ``五年以上``,
``一年以内``, ``3年及以上工作经验``, ``无经验可``, ``10年以上``."""

import re
import unicodedata
from dataclasses import dataclass

from gonghui.core.cn_numerals import CN_DIGITS
from gonghui.employment.data.experience import EXPERIENCE_BANDS, EXPERIENCE_CHOICES

__all__ = ["EXPERIENCE_CHOICES", "ExperienceError", "ExperienceRequirement", "band_for", "parse_experience"]


class ExperienceError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class ExperienceRequirement:
    min_years: int = 0
    max_years: int | None = None  # None = open-ended
    fresh_graduate: bool = False  # the posting is for 应届生 (this year's graduates)

    @property
    def band(self) -> str:
        if self.fresh_graduate:
            return "graduate"
        if self.min_years == 0 and self.max_years is None:
            return "any"
        return band_for(self.min_years)


_CN_DIGITS = CN_DIGITS


def _cn_number(word: str) -> int | None:
    """一…九十九 (enough for years of experience)."""
    if word.isdigit():
        return int(word)
    if word == "十":
        return 10
    if "十" in word:
        tens, _, units = word.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(units, 0) if units else 0)
    if len(word) == 1 and word in _CN_DIGITS:
        return _CN_DIGITS[word]
    return None


_NUM = r"(\d+|[零一二两三四五六七八九十]+|半)"
_RANGE = re.compile(_NUM + r"\s*(?:年)?\s*(?:-|~|至|到|—)\s*" + _NUM + r"\s*年")
_SINGLE = re.compile(_NUM + r"\s*年\s*(以上|及以上|或以上|以下|以内|及以下|内)?")
_ANY = re.compile(r"(经验)?(不限|无要求|无限制|不要求)|无经验|零经验|无需经验|不需要经验|可接受小白|小白可")
_GRADUATE = re.compile(r"应届|毕业生|在校生|实习生")


def _years(word: str) -> int:
    if word == "半":
        return 0
    value = _cn_number(word)
    if value is None:
        raise ExperienceError("unrecognised", f"Not a number of years: {word}")
    return value


def parse_experience(text: str) -> ExperienceRequirement:
    if text is None or not str(text).strip():
        return ExperienceRequirement()
    norm = unicodedata.normalize("NFKC", str(text)).replace(" ", "")
    fresh = bool(_GRADUATE.search(norm))
    match = _RANGE.search(norm)
    if match:
        low, high = _years(match.group(1)), _years(match.group(2))
        if low > high:
            raise ExperienceError("min_above_max", f"The minimum is above the maximum: {text}")
        return ExperienceRequirement(low, high, fresh)
    match = _SINGLE.search(norm)
    if match:
        years = _years(match.group(1))
        qualifier = match.group(2) or "以上"  # "3年经验" asks for at least three years
        if qualifier in ("以下", "以内", "及以下", "内"):
            return ExperienceRequirement(0, max(years, 1) if match.group(1) == "半" else years, fresh)
        return ExperienceRequirement(years, None, fresh)
    if fresh:
        return ExperienceRequirement(0, 0, True)
    if _ANY.search(norm):
        return ExperienceRequirement()
    raise ExperienceError("unrecognised", f"Not an experience requirement: {text}")


def band_for(years: float | None) -> str:
    """The band a number of years falls in (for statistics and choices)."""
    if years is None:
        return "any"
    for code, _label, low, high in EXPERIENCE_BANDS[2:]:
        if low <= years < (high if high is not None else 10**6):
            return code
    return "gt10"


def meets(years: float | None, requirement: ExperienceRequirement) -> bool:
    if requirement.min_years == 0:
        return True
    return years is not None and years >= requirement.min_years
