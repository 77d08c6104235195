"""The education ladder used on postings and seeker profiles.

Codes are our own stable identifiers; ``rank`` orders them (a requirement is met by any rank at or above
it). 高中 and 中专/技校/职高 are the same rung: both are upper-secondary schooling (GB/T 4658 puts them side
by side), so a posting asking for 中专 is met by a 高中 graduate and the other way round.
"""

# (code, zh label, rank, phrasings that name it — longest first matters only inside the parser)
EDUCATION_LEVELS: list[tuple[str, str, int, tuple[str, ...]]] = [
    ("any", "学历不限", 0, ("学历不限", "不限学历", "学历无要求", "无学历要求", "不限")),
    ("junior_high", "初中及以下", 1, ("初中及以下", "初中以下", "初中", "小学", "文盲")),
    ("high_school", "高中", 2, ("高中", "普高")),
    (
        "secondary_vocational",
        "中专/技校/职高",
        2,
        ("中专", "中技", "技校", "职高", "职校", "中职", "技工学校"),
    ),
    ("associate", "大专", 3, ("大专", "专科", "高职", "高专")),
    ("bachelor", "本科", 4, ("本科", "学士", "大学")),
    ("master", "硕士", 5, ("硕士研究生", "硕士", "研究生", "mba", "mpa")),
    ("doctorate", "博士", 6, ("博士研究生", "博士后", "博士")),
]

EDUCATION_CHOICES: list[tuple[str, str]] = [(code, label) for code, label, _rank, _words in EDUCATION_LEVELS]
EDUCATION_RANK: dict[str, int] = {code: rank for code, _label, rank, _words in EDUCATION_LEVELS}
