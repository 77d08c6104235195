"""A SUBSET of the national occupation classification (《中华人民共和国职业分类大典》, 2022 edition).

What is here: the 8 major groups (大类), the medium groups (中类) of major group 4 that job postings use
most (labels as worded in the 2015 edition), and a few dozen common occupations (细类) whose codes are widely published with the occupation
(several are new occupations announced by the Ministry of Human Resources and Social Security in 2019–2020
and kept in the 2022 edition). It is NOT the full table (1,636 occupations): codes not listed here are not
guessed; a posting whose exact occupation is missing takes its major group code (e.g. "6"), which the
matcher treats as a broad match. Replace this module with the full table when the HR bureau supplies it.

Codes are written as in the 大典: major-medium-minor-detail, e.g. "4-02-07-08".
"""

MAJOR_GROUPS: list[tuple[str, str]] = [
    ("1", "党的机关、国家机关、群众团体和社会组织、企事业单位负责人"),
    ("2", "专业技术人员"),
    ("3", "办事人员和有关人员"),
    ("4", "社会生产服务和生活服务人员"),
    ("5", "农、林、牧、渔业生产及辅助人员"),
    ("6", "生产制造及有关人员"),
    ("7", "军人"),
    ("8", "不便分类的其他从业人员"),
]

MEDIUM_GROUPS: list[tuple[str, str]] = [
    ("4-01", "批发与零售服务人员"),
    ("4-02", "交通运输、仓储和邮政业服务人员"),
    ("4-03", "住宿和餐饮服务人员"),
    ("4-04", "信息传输、软件和信息技术服务人员"),
    ("4-05", "金融服务人员"),
    ("4-07", "租赁和商务服务人员"),
    ("4-10", "居民服务人员"),
    ("4-12", "修理及制作服务人员"),
]

# Detailed occupations (细类) with their published codes.
OCCUPATIONS: list[tuple[str, str]] = [
    ("2-02-10-09", "人工智能工程技术人员"),
    ("2-02-10-10", "物联网工程技术人员"),
    ("2-02-10-11", "大数据工程技术人员"),
    ("2-02-10-12", "云计算工程技术人员"),
    ("4-01-02-07", "互联网营销师"),
    ("4-02-07-08", "快递员"),
    ("4-02-07-10", "网约配送员"),
    ("4-03-02-01", "中式烹调师"),
    ("4-07-05-01", "保安员"),
    ("4-07-05-04", "消防设施操作员"),
    ("4-10-01-02", "育婴员"),
    ("4-10-01-03", "保育员"),
    ("4-10-01-05", "养老护理员"),
    ("4-10-01-06", "家政服务员"),
    ("4-12-01-01", "汽车维修工"),
    ("4-14-02-02", "健康管理师"),
    ("6-18-02-04", "焊工"),
    ("6-30-99-00", "工业机器人系统操作员"),
    ("6-31-01-03", "电工"),
    ("6-31-01-10", "工业机器人系统运维员"),
]

OCCUPATION_LABELS: dict[str, str] = dict(MAJOR_GROUPS + MEDIUM_GROUPS + OCCUPATIONS)
OCCUPATION_CHOICES: list[tuple[str, str]] = [
    (code, f"{code} {label}") for code, label in MAJOR_GROUPS + MEDIUM_GROUPS + OCCUPATIONS
]


def occupation_label(code: str) -> str:
    """The label of a code, or of its nearest listed ancestor ("" if none)."""
    parts = (code or "").split("-")
    while parts:
        label = OCCUPATION_LABELS.get("-".join(parts))
        if label:
            return label
        parts.pop()
    return ""


def is_known(code: str) -> bool:
    return code in OCCUPATION_LABELS
