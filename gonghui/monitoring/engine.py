"""The app's one doorway to the pure text engine (``monitoring.nlp``): rules from the policy, the enterprise
matcher built from the registry (cached until the registry changes), schemes turned into the engine's spec."""

import threading
import time
from importlib import import_module

from django.db.models import Count, Max
from django.utils.translation import gettext_lazy


class _Engine:
    """The engine module, imported on first use (the app loads without it; management commands start faster)."""

    def __getattr__(self, name):
        return getattr(import_module("gonghui.monitoring.nlp"), name)


nlp = _Engine()


def normalize(text, *, max_length: int = 5000) -> str:
    return nlp.normalize(text, max_length=max_length)


def redact(text: str) -> str:
    return nlp.redact(text)


def severity_rules():
    from gonghui.monitoring.models import MonitoringPolicy

    configured = MonitoringPolicy.current().severity_rules
    return nlp.SeverityRules.from_dict(configured) if configured else nlp.default_rules()


def classify_many(texts, rules=None):
    return nlp.classify_many(list(texts), rules=rules if rules is not None else severity_rules())


_lock = threading.Lock()
_matcher_cache: dict = {}
MATCHER_TTL_SECONDS = 300  # a renamed enterprise is recognised under its new name within five minutes


INDUSTRY_WORDS = ("机械", "精密", "物流", "软件", "科技", "信息", "技术", "服务", "设计", "电子", "制造", "实业",
                  "贸易", "建设", "工程", "家政", "餐饮", "食品", "服饰", "烘焙", "芯片")


def aliases(name: str) -> list[str]:
    """Short names beyond the engine's (上海浦江精密机械有限公司 → 浦江精密机械 by the engine; 浦江精密 here):
    the engine's short name without a trailing industry word, when at least three characters remain."""
    out = []
    for short in nlp.short_names(name):
        for word in INDUSTRY_WORDS:
            if short.endswith(word) and len(short) - len(word) >= 3:
                out.append(short[: -len(word)])
                break
    return out


def enterprise_matcher():
    """An EnterpriseMatcher over every operating enterprise; rebuilt when the registry changes."""
    from gonghui.orgs.models import Enterprise

    state = Enterprise.objects.filter(is_active=True).aggregate(n=Count("id"), last=Max("id"))
    key = (state["n"], state["last"])
    with _lock:
        if _matcher_cache.get("key") == key and time.monotonic() - _matcher_cache["at"] < MATCHER_TTL_SECONDS:
            return _matcher_cache["matcher"]
    entries = [(pk, name, aliases(name))
               for pk, name in Enterprise.objects.filter(is_active=True).values_list("id", "name")]
    matcher = nlp.EnterpriseMatcher(entries)
    with _lock:
        _matcher_cache.update(key=key, matcher=matcher, at=time.monotonic())
    return matcher


def find_enterprise(matcher, text: str) -> int | None:
    hits = matcher.find(text)
    return hits[0] if hits else None


SCHEME_GROUPS = ("region_terms", "subject_terms", "event_terms")

# The engine's scheme messages (nlp.SCHEME_MESSAGES, English, by code) in the user's language. The msgids are
# the engine's texts, so the English UI reads the same either way.
SCHEME_TEXTS = {
    "not_object": gettext_lazy("A scheme must be an object with all, any, none and window."),
    "unknown_fields": gettext_lazy("Unknown fields: {fields}."),
    "not_list_of_groups": gettext_lazy("Must be a list of groups."),
    "too_many_groups": gettext_lazy("At most {limit} groups."),
    "group_not_object": gettext_lazy("Each group must be an object with a name and terms."),
    "group_needs_name": gettext_lazy("A group needs a name."),
    "terms_not_list": gettext_lazy("Must be a list of words."),
    "term_not_text": gettext_lazy("Must be text."),
    "term_blank": gettext_lazy("Must not be blank."),
    "term_too_long": gettext_lazy("At most {limit} characters."),
    "window_not_number": gettext_lazy("Must be a whole number of characters or empty."),
    "window_out_of_range": gettext_lazy("Must be between 1 and {limit} characters."),
    "no_positive_group": gettext_lazy("Add at least one group of words in all or any."),
    "too_many_terms": gettext_lazy("At most {limit} words in all."),
    "required_group_empty": gettext_lazy("Required group “{group}” has no words: the scheme can never match."),
    "required_group_excluded": gettext_lazy(
        "Every word of required group “{group}” contains an excluded word: the scheme can never match."),
    "optional_groups_empty": gettext_lazy("The optional groups have no words: the scheme can never match."),
    "optional_words_excluded": gettext_lazy(
        "Every optional word contains an excluded word: the scheme can never match."),
    "excluded_group_empty": gettext_lazy("Excluded group “{group}” has no words and excludes nothing."),
    "window_too_short": gettext_lazy(
        "The window ({window}) is shorter than a required word: the scheme can never match."),
    "term_excluded": gettext_lazy("“{term}” in “{group}” also contains an excluded word and never counts."),
    "single_character": gettext_lazy("“{term}” in “{group}” is a single character: it matches almost everything."),
    "common_word": gettext_lazy("“{term}” in “{group}” is a very common word: it matches almost everything."),
}
GROUP_LABELS = {"region": gettext_lazy("region words"), "subject": gettext_lazy("subject words"),
                "event": gettext_lazy("event words"), "exclude": gettext_lazy("exclude words")}


def scheme_text(message) -> str:
    """One engine message in the user's language (falls back to the engine's English for an unknown code)."""
    code = getattr(message, "code", None)
    if code not in SCHEME_TEXTS:
        return str(message)
    params = dict(getattr(message, "params", {}))
    if "group" in params:
        params["group"] = str(GROUP_LABELS.get(params["group"], params["group"]))
    return str(SCHEME_TEXTS[code]).format(**params)


def scheme_spec(scheme) -> tuple[dict, list[str]]:
    """A scheme's term groups as the engine's spec: all of the filled groups (any of them, with OR), none of
    the excluded words, optionally within a proximity window. Also returns which form field each group is."""
    fields = [f for f in SCHEME_GROUPS if getattr(scheme, f)]
    groups = [{"name": f.removesuffix("_terms"), "terms": list(getattr(scheme, f))} for f in fields]
    spec = {"all": [] if scheme.any_of else groups, "any": groups if scheme.any_of else [],
            "none": [{"name": "exclude", "terms": list(scheme.exclude_terms)}] if scheme.exclude_terms else [],
            "window": scheme.window or None}
    return spec, fields


def compile_scheme(scheme):
    """The compiled scheme, or SchemeError whose ``field_errors`` name the form's fields."""
    spec, fields = scheme_spec(scheme)
    try:
        return nlp.compile_scheme(spec)
    except nlp.SchemeError as error:
        mapped: dict[str, list[str]] = {}
        for path, messages in error.errors.items():
            field = "event_terms"
            if path.startswith(("all[", "any[")):
                index = int(path[4:].split("]", 1)[0])
                field = fields[index] if index < len(fields) else field
            elif path.startswith("none"):
                field = "exclude_terms"
            elif path.startswith("window"):
                field = "window"
            mapped.setdefault(field, []).extend(scheme_text(m) for m in messages)
        error.field_errors = mapped
        raise


def signature_bytes(text: str) -> bytes:
    return nlp.to_bytes(nlp.fingerprint(text))
