"""National vocational skill levels (国家职业资格/职业技能等级, five levels) and the policy priority groups.

``rank`` grows with the level: 五级/初级工 = 1 … 一级/高级技师 = 5; 0 means no certificate.
"""

# (code, zh label, rank, phrasings)
SKILL_LEVELS: list[tuple[str, str, int, tuple[str, ...]]] = [
    ("none", "无等级要求", 0, ("不限", "无要求")),
    ("level5", "五级/初级工", 1, ("五级", "初级工", "初级")),
    ("level4", "四级/中级工", 2, ("四级", "中级工", "中级")),
    ("level3", "三级/高级工", 3, ("三级", "高级工")),
    ("level2", "二级/技师", 4, ("二级", "技师")),
    ("level1", "一级/高级技师", 5, ("一级", "高级技师")),
]
SKILL_LEVEL_CHOICES: list[tuple[str, str]] = [(code, label) for code, label, _rank, _words in SKILL_LEVELS]
SKILL_RANK: dict[str, int] = {code: rank for code, _label, rank, _words in SKILL_LEVELS}

# Groups that employment-assistance policy puts first (the list).
PRIORITY_GROUPS: list[tuple[str, str]] = [
    ("hardship_graduate", "困难家庭高校毕业生"),
    ("closed_enterprise", "关停并转企业职工"),
    ("migrant_worker", "农民工"),
    ("veteran", "退役军人"),
    ("disability", "残疾人"),
]
