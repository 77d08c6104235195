"""Education requirements in the usual Chinese phrasings → ladder codes.

``本科及以上``, ``大专以上学历``, ``学历不限``, ``统招本科``, ``中专/技校``, ``全日制硕士``… A text naming several
levels (``中专/高中``, ``大专或本科``) means the lowest of them is enough.
"""

import re
import unicodedata
from dataclasses import dataclass

from gonghui.employment.data.education import EDUCATION_CHOICES, EDUCATION_LEVELS, EDUCATION_RANK

__all__ = ["EDUCATION_CHOICES", "EducationError", "EducationRequirement", "meets", "parse_education", "rank"]


class EducationError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class EducationRequirement:
    code: str  # ladder code ("any" when not limited)
    full_time: bool = False  # 统招/全日制: the degree must come from regular full-time study

    @property
    def rank(self) -> int:
        return EDUCATION_RANK[self.code]


_ANY = re.compile(r"(学历)?(不限|无要求|无限制|不要求)|^无$|^不限$")
_FULL_TIME = ("统招", "全日制", "普通高校", "一本", "二本", "211", "985", "双一流")
_WORDS = sorted(
    ((word, code) for code, _l, _r, words in EDUCATION_LEVELS if code != "any" for word in words),
    key=lambda item: -len(item[0]),
)


def parse_education(text: str) -> EducationRequirement:
    if text is None or not str(text).strip():
        return EducationRequirement("any")
    norm = unicodedata.normalize("NFKC", str(text)).lower().replace(" ", "")
    full_time = any(word in norm for word in _FULL_TIME)
    found: list[str] = []
    rest = norm
    for word, code in _WORDS:
        if word in rest:
            found.append(code)
            rest = rest.replace(word, " ")
    if "一本" in norm or "二本" in norm or "211" in norm or "985" in norm or "双一流" in norm:
        found.append("bachelor")
    if not found:
        if _ANY.search(norm):
            return EducationRequirement("any")
        raise EducationError("unrecognised", f"Not an education level: {text}")
    lowest = min(found, key=lambda code: EDUCATION_RANK[code])
    return EducationRequirement(lowest, full_time)


def rank(code: str | None) -> int:
    return EDUCATION_RANK.get(code or "any", 0)


def meets(has: str | None, required: str | None) -> bool:
    """Whether a person with education ``has`` meets a requirement ``required`` (unknown meets "any")."""
    return rank(has) >= rank(required)
