"""Scripts, links and off-platform solicitations in free text (posting descriptions, fair pages).

Postings are rendered as escaped text, so a script cannot run; but a description carrying markup, links or
"add my WeChat / scan the QR code" moves seekers off the platform, where recruitment scams happen. Scripts
and links → "ban" (must be removed); WeChat/QQ/QR solicitations and phone numbers in the text → "flag"
(the posting has its own contact field, shown by the seeker's and employer's choices).
"""

import re
import unicodedata

from gonghui.employment.engine.findings import Finding

_RULES: list[tuple[str, str, re.Pattern]] = [
    (
        "script",
        "ban",
        re.compile(
            r"<\s*/?\s*(?:script|iframe|object|embed|svg|img|a|form|style|link|meta)\b|javascript\s*:|vbscript\s*:"
            r"|data\s*:\s*text/html|\bon(?:load|error|click|mouseover|focus)\s*=|&#x?[0-9a-f]+;?",
            re.I,
        ),
    ),
    (
        "link",
        "ban",
        re.compile(
            r"(?:https?|ftp)\s*:\s*//\S+|www\.\S+|\b[a-z0-9][a-z0-9-]{0,62}(?:\.[a-z0-9-]{1,63})*"
            r"\.(?:com|cn|net|org|top|xyz|vip|cc|io|me|info|site|shop|club|link|ly|gl)(?:/\S*)?\b",
            re.I,
        ),
    ),
    ("qr", "flag", re.compile(r"二维码|扫码|扫一扫|扫描.{0,4}码|qr\s*code", re.I)),
    (
        "wechat",
        "flag",
        re.compile(r"微信|薇信|威信|徽信|v信|vx|wx\s*[:：]|加v|加微|wechat|企业微信|公众号", re.I),
    ),
    ("qq", "flag", re.compile(r"\bqq\s*(?:群|号)?\s*[:：]?\s*\d{5,}|\bqq群|扣扣|企鹅号", re.I)),
    ("phone", "flag", re.compile(r"(?<!\d)1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)")),
]


def check_description(text: str) -> list[Finding]:
    if not text:
        return []
    norm = unicodedata.normalize("NFKC", text)
    if len(norm) != len(text):
        text = norm
    findings = []
    for code, severity, pattern in _RULES:
        for match in pattern.finditer(norm):
            start, end = match.span()
            excerpt = text[max(0, start - 8) : end + 8].replace("\n", " ").strip()
            findings.append(Finding(code, severity, (start, end), excerpt))
    findings.sort(key=lambda f: (f.span, f.code))
    return findings


def check_all(text: str) -> list[Finding]:
    """Discrimination and sanitising checks together (what the posting review shows)."""
    from gonghui.employment.engine.discrimination import check_posting

    return sorted(check_posting(text) + check_description(text), key=lambda f: (f.span, f.code))
