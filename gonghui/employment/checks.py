"""Checks shared by forms, the API and imports: unsafe text, discriminatory requirements, phone numbers.
The detection itself is the engine's; this module turns its findings into messages and stored data."""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.employment.engine import sanitize

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?|\d{7,8}|400-?\d{3}-?\d{4})$")


def valid_mobile(value: str) -> bool:
    return bool(_MOBILE.match((value or "").strip()))


def valid_phone(value: str) -> bool:
    return bool(_PHONE.match((value or "").strip().replace(" ", "")))


def unsafe_text(text: str) -> list[str]:
    """Messages for scripts, markup or links in a text shown to others (phishing and injection)."""
    if not text:
        return []
    messages = []
    for finding in sanitize.check_description(text):
        if finding.severity != "ban":
            continue
        excerpt = finding.excerpt
        messages.append(_("Remove scripts, markup and links from the text (found “%(excerpt)s”); "
                          "applicants contact you through the platform.") % {"excerpt": excerpt[:40]})
    return messages[:3]


def findings_for(fields: dict) -> list[dict]:
    """Discriminatory requirements in a posting, as stored data: ban (must be fixed) or flag (for the reviewer)."""
    text = "\n".join(str(fields.get(k) or "") for k in ("title", "description", "benefits"))
    return [{"code": f.code, "severity": f.severity, "excerpt": f.excerpt, "span": list(f.span)}
            for f in sanitize.check_all(text)]


FINDING_LABELS = {
    "gender": gettext_lazy("Gender requirement (banned)"),
    "ethnicity": gettext_lazy("Ethnicity requirement (banned)"),
    "region": gettext_lazy("Household-registration or regional limit (banned)"),
    "marital": gettext_lazy("Marital-status requirement (banned)"),
    "pregnancy": gettext_lazy("Pregnancy or child-bearing clause (banned)"),
    "religion": gettext_lazy("Religious requirement (banned)"),
    "disability": gettext_lazy("Refusal of persons with disabilities (banned)"),
    "hepatitis_b": gettext_lazy("Refusal of hepatitis B carriers (banned)"),
    "age": gettext_lazy("Age limit (check it is justified)"),
    "script": gettext_lazy("Script or markup (banned)"),
    "link": gettext_lazy("Link to another site (banned)"),
    "wechat": gettext_lazy("WeChat solicitation (check)"),
    "qq": gettext_lazy("QQ solicitation (check)"),
    "qr": gettext_lazy("QR-code solicitation (check)"),
    "phone": gettext_lazy("Phone number in the text (check)"),
}


def finding_label(code: str) -> str:
    return str(FINDING_LABELS.get(code, code))
