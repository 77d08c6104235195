"""Experience bands as job sites show them (经验不限, 应届生, 1年以内, 1-3年, 3-5年, 5-10年, 10年以上).

Each band is (code, zh label, minimum years, maximum years or None for open-ended).
"""

EXPERIENCE_BANDS: list[tuple[str, str, int, int | None]] = [
    ("any", "经验不限", 0, None),
    ("graduate", "应届生", 0, 0),
    ("lt1", "1年以内", 0, 1),
    ("1_3", "1-3年", 1, 3),
    ("3_5", "3-5年", 3, 5),
    ("5_10", "5-10年", 5, 10),
    ("gt10", "10年以上", 10, None),
]

EXPERIENCE_CHOICES: list[tuple[str, str]] = [(code, label) for code, label, _lo, _hi in EXPERIENCE_BANDS]
