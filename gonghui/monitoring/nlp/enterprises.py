"""Recognising enterprises of the registry in a text, by full name, registered aliases and derived short names."""

import re
from collections.abc import Iterable

import ahocorasick

# Longest first so that 上海市 is stripped before 上海 and 股份有限公司 before 有限公司.
REGION_PREFIXES = tuple(
    sorted(
        {
            "中国",
            "上海市",
            "上海",
            "北京市",
            "北京",
            "天津市",
            "天津",
            "重庆市",
            "重庆",
            "浦东新区",
            "浦东",
            "黄浦区",
            "黄浦",
            "徐汇区",
            "徐汇",
            "长宁区",
            "长宁",
            "静安区",
            "静安",
            "普陀区",
            "普陀",
            "虹口区",
            "虹口",
            "杨浦区",
            "杨浦",
            "闵行区",
            "闵行",
            "宝山区",
            "宝山",
            "嘉定区",
            "嘉定",
            "金山区",
            "金山",
            "松江区",
            "松江",
            "青浦区",
            "青浦",
            "奉贤区",
            "奉贤",
            "崇明区",
            "崇明",
            "临港新片区",
            "临港",
            "江苏省",
            "江苏",
            "浙江省",
            "浙江",
            "广东省",
            "广东",
            "苏州市",
            "苏州",
            "杭州市",
            "杭州",
            "深圳市",
            "深圳",
            "广州市",
            "广州",
            "南京市",
            "南京",
        },
        key=len,
        reverse=True,
    )
)
LEGAL_SUFFIXES = tuple(
    sorted(
        {
            "股份有限公司",
            "有限责任公司",
            "有限公司",
            "集团有限公司",
            "集团股份有限公司",
            "集团公司",
            "集团",
            "分公司",
            "总公司",
            "公司",
            "合伙企业（有限合伙）",
            "（有限合伙）",
            "有限合伙",
            "工作室",
            "商行",
            "经营部",
            "事务所",
            "总厂",
            "分厂",
            "厂",
        },
        key=len,
        reverse=True,
    )
)
_PAREN_REGION = re.compile(r"[（(][^（）()]{1,8}[)）]")
MIN_SHORT_NAME = 2


def short_names(name: str) -> set[str]:
    """Names people actually write for a registered enterprise: region prefixes and legal suffixes removed.

    上海某某物流有限公司 → {某某物流}; 某某科技（上海）股份有限公司 → {某某科技}; 上海某某集团有限公司上海分公司 → {某某}.
    """
    base = _PAREN_REGION.sub("", name.strip())
    for _ in range(4):
        changed = False
        for prefix in REGION_PREFIXES:
            if base.startswith(prefix) and len(base) - len(prefix) >= MIN_SHORT_NAME:
                base, changed = base[len(prefix) :], True
                break
        for suffix in LEGAL_SUFFIXES:
            if base.endswith(suffix):
                if len(base) - len(suffix) >= MIN_SHORT_NAME:
                    base, changed = base[: -len(suffix)], True
                break
        # A branch named after its region: 某某集团上海分公司 → 某某集团上海 → strip the trailing region too.
        for region in REGION_PREFIXES:
            if base.endswith(region) and len(base) - len(region) >= MIN_SHORT_NAME:
                base, changed = base[: -len(region)], True
                break
        if not changed:
            break
    return {base} if base != name and len(base) >= MIN_SHORT_NAME else set()


class EnterpriseMatcher:
    """Finds registry enterprises in texts with one Aho-Corasick automaton over names, aliases and short names.

    ``entries`` are (id, name, aliases). A derived short name shared by two enterprises is ambiguous and
    dropped; explicit aliases and full names are always kept. Overlapping matches keep the longest.
    """

    def __init__(self, entries: Iterable[tuple[int, str, Iterable[str]]]):
        explicit: dict[str, set[int]] = {}
        derived: dict[str, set[int]] = {}
        for enterprise_id, name, aliases in entries:
            names = {name, *(a for a in aliases or () if a)}
            for n in names:
                key = n.strip().lower()
                if len(key) >= MIN_SHORT_NAME:
                    explicit.setdefault(key, set()).add(enterprise_id)
            for n in names:
                for short in short_names(n.strip()):
                    derived.setdefault(short.lower(), set()).add(enterprise_id)
        vocabulary = dict(explicit)
        for short, ids in derived.items():
            if short not in vocabulary and len(ids) == 1:
                vocabulary[short] = ids
        self._automaton = ahocorasick.Automaton()
        for key, ids in vocabulary.items():
            self._automaton.add_word(key, (len(key), tuple(sorted(ids))))
        self._empty = not vocabulary
        if not self._empty:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[int]:
        """Ids of the enterprises mentioned, in order of first mention."""
        if self._empty or not text:
            return []
        hits = []
        for end, (length, ids) in self._automaton.iter(text.lower()):
            hits.append((end - length + 1, end, ids))
        # Longest leftmost, non-overlapping.
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        result: list[int] = []
        covered_until = -1
        for start, end, ids in hits:
            if start <= covered_until:
                continue
            covered_until = end
            for enterprise_id in ids:
                if enterprise_id not in result:
                    result.append(enterprise_id)
        return result
