"""One finding type for every check on posting text (discrimination, scripts, links, solicitations)."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Finding:
    code: str  # what was found, e.g. "gender", "age", "script", "link", "wechat"
    severity: str  # "ban": must be fixed before the posting goes live; "flag": for the reviewer to judge
    span: tuple[int, int]  # [start, end) in the checked text
    excerpt: str  # the hit with a little context, for the reviewer
