"""Monitoring schemes (监测方案): term groups combined by AND / OR / NOT with a proximity window.

A spec is JSON: ``{"all": [group, ...], "any": [group, ...], "none": [group, ...], "window": int | None}``
with ``group = {"name": str, "terms": [str, ...]}``. A text matches when every ``all`` group has a term in
it, at least one term of the ``any`` groups occurs (when there are any), and no ``none`` term occurs. With a
window, one occurrence from each ``all`` group and one ``any`` occurrence must fit in ``window`` characters.
Matching is case-insensitive; the spec compiles into one Aho-Corasick automaton.
"""

from dataclasses import dataclass

import ahocorasick

MAX_TERMS = 5000
MAX_TERM_LENGTH = 50
MAX_GROUPS = 50
MAX_WINDOW = 5000
# Words so frequent in posts that a scheme relying on them alone matches nearly everything.
COMMON_TERMS = frozenset(
    "的 了 是 在 我 你 他 她 我们 他们 公司 企业 工作 工人 员工 上海 今天 时间 问题 情况 大家 一个 没有 这个 "
    "什么 可以 还是 就是 知道 现在 自己 不是 怎么 单位 老板 工资 事情 中国 城市".split()
)


# Every message the scheme checks give, by code: English text with {placeholders}. The messages are ``Message``
# strings carrying ``code`` and ``params``, so an app can show its own translation of MESSAGES[code].
MESSAGES = {
    "not_object": "A scheme must be an object with all, any, none and window.",
    "unknown_fields": "Unknown fields: {fields}.",
    "not_list_of_groups": "Must be a list of groups.",
    "too_many_groups": "At most {limit} groups.",
    "group_not_object": "Each group must be an object with a name and terms.",
    "group_needs_name": "A group needs a name.",
    "terms_not_list": "Must be a list of words.",
    "term_not_text": "Must be text.",
    "term_blank": "Must not be blank.",
    "term_too_long": "At most {limit} characters.",
    "window_not_number": "Must be a whole number of characters or empty.",
    "window_out_of_range": "Must be between 1 and {limit} characters.",
    "no_positive_group": "Add at least one group of words in all or any.",
    "too_many_terms": "At most {limit} words in all.",
    "required_group_empty": "Required group “{group}” has no words: the scheme can never match.",
    "required_group_excluded": (
        "Every word of required group “{group}” contains an excluded word: the scheme can never match."
    ),
    "optional_groups_empty": "The optional groups have no words: the scheme can never match.",
    "optional_words_excluded": "Every optional word contains an excluded word: the scheme can never match.",
    "excluded_group_empty": "Excluded group “{group}” has no words and excludes nothing.",
    "window_too_short": "The window ({window}) is shorter than a required word: the scheme can never match.",
    "term_excluded": "“{term}” in “{group}” also contains an excluded word and never counts.",
    "single_character": "“{term}” in “{group}” is a single character: it matches almost everything.",
    "common_word": "“{term}” in “{group}” is a very common word: it matches almost everything.",
}


class Message(str):
    """A message string that also carries its ``code`` and ``params`` (see MESSAGES)."""

    code: str
    params: dict

    def __new__(cls, code: str, **params):
        message = super().__new__(cls, MESSAGES[code].format(**params))
        message.code = code
        message.params = params
        return message


class SchemeError(ValueError):
    """A spec that cannot be compiled; ``errors`` maps a field path (``all[0].terms[2]``) to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in errors.items()))


@dataclass(frozen=True)
class SchemeMatch:
    terms: tuple[str, ...]  # distinct matched terms, in order of first occurrence
    positions: tuple[tuple[str, int, int], ...]  # (term, start, end) with end exclusive
    groups: tuple[str, ...]  # names of the groups that matched

    def as_dict(self) -> dict:
        return {
            "terms": list(self.terms),
            "positions": [list(p) for p in self.positions],
            "groups": list(self.groups),
        }


def _clean_groups(spec: dict, key: str, errors: dict[str, list[str]]) -> list[tuple[str, tuple[str, ...]]]:
    raw = spec.get(key, [])
    if raw is None:
        return []
    if not isinstance(raw, list):
        errors.setdefault(key, []).append(Message("not_list_of_groups"))
        return []
    if len(raw) > MAX_GROUPS:
        errors.setdefault(key, []).append(Message("too_many_groups", limit=MAX_GROUPS))
        return []
    groups = []
    for i, group in enumerate(raw):
        where = f"{key}[{i}]"
        if not isinstance(group, dict):
            errors.setdefault(where, []).append(Message("group_not_object"))
            continue
        unknown = set(group) - {"name", "terms"}
        if unknown:
            errors.setdefault(where, []).append(
                Message("unknown_fields", fields=", ".join(sorted(map(str, unknown))))
            )
        name = group.get("name", "")
        if not isinstance(name, str) or not name.strip():
            errors.setdefault(f"{where}.name", []).append(Message("group_needs_name"))
            name = f"{key}[{i}]"
        terms = group.get("terms", [])
        if not isinstance(terms, list):
            errors.setdefault(f"{where}.terms", []).append(Message("terms_not_list"))
            continue
        cleaned: list[str] = []
        for j, term in enumerate(terms):
            if not isinstance(term, str):
                errors.setdefault(f"{where}.terms[{j}]", []).append(Message("term_not_text"))
                continue
            term = " ".join(term.split()).lower()
            if not term:
                errors.setdefault(f"{where}.terms[{j}]", []).append(Message("term_blank"))
            elif len(term) > MAX_TERM_LENGTH:
                errors.setdefault(f"{where}.terms[{j}]", []).append(
                    Message("term_too_long", limit=MAX_TERM_LENGTH)
                )
            elif term not in cleaned:
                cleaned.append(term)
        groups.append((name.strip(), tuple(cleaned)))
    return groups


def validate_spec(spec) -> tuple[list, list, list, int | None]:
    errors: dict[str, list[str]] = {}
    if not isinstance(spec, dict):
        raise SchemeError({"spec": [Message("not_object")]})
    unknown = set(spec) - {"all", "any", "none", "window"}
    if unknown:
        errors["spec"] = [Message("unknown_fields", fields=", ".join(sorted(map(str, unknown))))]
    all_groups = _clean_groups(spec, "all", errors)
    any_groups = _clean_groups(spec, "any", errors)
    none_groups = _clean_groups(spec, "none", errors)
    window = spec.get("window")
    if window is not None and (isinstance(window, bool) or not isinstance(window, int)):
        errors.setdefault("window", []).append(Message("window_not_number"))
        window = None
    elif window is not None and not 1 <= window <= MAX_WINDOW:
        errors.setdefault("window", []).append(Message("window_out_of_range", limit=MAX_WINDOW))
    if not errors and not all_groups and not any_groups:
        errors.setdefault("all", []).append(Message("no_positive_group"))
    total = sum(len(t) for _, t in all_groups + any_groups + none_groups)
    if total > MAX_TERMS:
        errors.setdefault("spec", []).append(Message("too_many_terms", limit=MAX_TERMS))
    if errors:
        raise SchemeError(errors)
    return all_groups, any_groups, none_groups, window


class CompiledScheme:
    def __init__(self, spec: dict):
        self.all_groups, self.any_groups, self.none_groups, self.window = validate_spec(spec)
        self.spec = {
            "all": [{"name": n, "terms": list(t)} for n, t in self.all_groups],
            "any": [{"name": n, "terms": list(t)} for n, t in self.any_groups],
            "none": [{"name": n, "terms": list(t)} for n, t in self.none_groups],
            "window": self.window,
        }
        # role index: 0..len(all)-1 = all groups, -1 = any, -2 = none
        roles: dict[str, set[tuple[int, str]]] = {}
        for index, (name, terms) in enumerate(self.all_groups):
            for term in terms:
                roles.setdefault(term, set()).add((index, name))
        for name, terms in self.any_groups:
            for term in terms:
                roles.setdefault(term, set()).add((-1, name))
        for name, terms in self.none_groups:
            for term in terms:
                roles.setdefault(term, set()).add((-2, name))
        self._automaton = ahocorasick.Automaton()
        for term, term_roles in roles.items():
            self._automaton.add_word(term, (term, tuple(sorted(term_roles))))
        self._empty = not roles
        if not self._empty:
            self._automaton.make_automaton()
        self._required = len(self.all_groups) + (1 if self.any_groups else 0)

    def occurrences(self, text: str) -> list[tuple[int, int, str, tuple]]:
        if self._empty or not text:
            return []
        return [
            (end - len(term) + 1, end + 1, term, roles)
            for end, (term, roles) in self._automaton.iter(text.lower())
        ]

    def match(self, text: str) -> SchemeMatch | None:
        occurrences = self.occurrences(text)
        if not occurrences:
            return None
        events: list[tuple[int, int, int, str, str]] = []  # (start, end, slot, term, group)
        any_slot = len(self.all_groups)
        for start, end, term, roles in occurrences:
            for index, group in roles:
                if index == -2:
                    return None
                events.append((start, end, any_slot if index == -1 else index, term, group))
        if len({e[2] for e in events}) < self._required:
            return None
        if self.window is None:
            chosen = events
        else:
            chosen = self._within_window(sorted(events))
            if chosen is None:
                return None
        chosen = sorted(chosen)
        terms: list[str] = []
        groups: list[str] = []
        positions = []
        for start, end, _slot, term, group in chosen:
            if term not in terms:
                terms.append(term)
            if group not in groups:
                groups.append(group)
            if (term, start, end) not in positions:
                positions.append((term, start, end))
        return SchemeMatch(tuple(terms), tuple(positions), tuple(groups))

    def _within_window(self, events):
        """The smallest stretch of text holding one occurrence of every required slot, if ≤ window."""
        counts: dict[int, int] = {}
        best = None
        left = 0
        for right, event in enumerate(events):
            counts[event[2]] = counts.get(event[2], 0) + 1
            while len(counts) == self._required:
                span_start = events[left][0]
                span_end = max(e[1] for e in events[left : right + 1])
                if span_end - span_start <= self.window and (best is None or span_end - span_start < best[0]):
                    best = (span_end - span_start, left, right)
                slot = events[left][2]
                counts[slot] -= 1
                if not counts[slot]:
                    del counts[slot]
                left += 1
        if best is None:
            return None
        return events[best[1] : best[2] + 1]

    def warnings(self) -> list[str]:
        """Problems worth showing before saving: groups that can never match, words that match almost anything."""
        result: list[str] = []
        excluded = [t for _, terms in self.none_groups for t in terms]

        def dead(term: str) -> bool:
            return any(x in term for x in excluded)

        for name, terms in self.all_groups:
            if not terms:
                result.append(Message("required_group_empty", group=name))
            elif all(dead(t) for t in terms):
                result.append(Message("required_group_excluded", group=name))
        any_terms = [t for _, terms in self.any_groups for t in terms]
        if self.any_groups and not any_terms:
            result.append(Message("optional_groups_empty"))
        elif any_terms and all(dead(t) for t in any_terms):
            result.append(Message("optional_words_excluded"))
        for name, terms in self.none_groups:
            if not terms:
                result.append(Message("excluded_group_empty", group=name))
        if self.window is not None:
            longest = max(
                (min((len(t) for t in terms), default=0) for _, terms in self.all_groups), default=0
            )
            if longest > self.window:
                result.append(Message("window_too_short", window=self.window))
        for name, terms in self.all_groups + self.any_groups:
            for term in terms:
                if dead(term):
                    result.append(Message("term_excluded", term=term, group=name))
                elif len(term) == 1:
                    result.append(Message("single_character", term=term, group=name))
                elif term in COMMON_TERMS:
                    result.append(Message("common_word", term=term, group=name))
        return result


def compile_scheme(spec: dict) -> CompiledScheme:
    """Validate and compile a scheme spec; raises SchemeError with field-level messages."""
    return CompiledScheme(spec)
