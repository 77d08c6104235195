"""Tokens for ranking: rjieba search-mode words (so 叉车司机 yields 叉车, 司机, 叉车司机), lower-cased Latin
words (CAD, PLC, Java), without stop words and single characters. The same tokens on both sides."""

import re
import unicodedata
from functools import lru_cache

import rjieba

from gonghui.employment.data.words import STOP_WORDS, SYNONYMS

_RUN = re.compile(r"[\u4e00-\u9fff]+|[a-z][a-z0-9+#.]*|\d+[a-z]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")

_SYNONYM_OF: dict[str, tuple[str, ...]] = {}
for _group in SYNONYMS:
    for _word in _group:
        _SYNONYM_OF[_word] = tuple(
            dict.fromkeys(_SYNONYM_OF.get(_word, ()) + tuple(w for w in _group if w != _word))
        )


@lru_cache(maxsize=65536)
def _cut(run: str) -> tuple[str, ...]:
    return tuple(rjieba.cut_for_search(run))


def tokens(text: str) -> list[str]:
    """Index/query tokens of a text, in order, with repeats (term frequency matters)."""
    if not text:
        return []
    out: list[str] = []
    for run in _RUN.findall(unicodedata.normalize("NFKC", text).lower()):
        if _CJK.match(run):
            out.extend(w for w in _cut(run) if len(w) > 1 and w not in STOP_WORDS)
        elif len(run) > 1 and run not in STOP_WORDS:
            out.append(run.rstrip("."))
    return out


def synonyms(term: str) -> tuple[str, ...]:
    return _SYNONYM_OF.get(term, ())
