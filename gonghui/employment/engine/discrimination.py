"""Requirements in a posting that the Employment Promotion Law forbids, and age limits to look at.

就业促进法 art. 3 (no discrimination by ethnicity, race, sex, religious belief), art. 26 (equal
opportunity), art. 27 (women: no refusing or raising the bar by sex; no clauses restricting marriage or
child-bearing), art. 28 (ethnic minorities), art. 29 (persons with disabilities), art. 30 (carriers of an
infectious pathogen such as hepatitis B may not be refused on that ground), art. 31 (rural workers: no
discriminatory limits on those moving to the city) → severity "ban": the posting must be fixed before it
goes live. Age limits (``35岁以下``) are not banned outright by the law but are widely criticised → "flag"
for the reviewer.

Phrases that are fine (``男女不限``, ``欢迎宝妈``, ``女职工权益保障完善``, ``民族不限``, ``户籍不限``, ``年满18周岁``)
are blanked out before matching, so they never fire.
"""

import re
import unicodedata

from gonghui.employment.engine.findings import Finding

_ALLOWED = [
    r"男女不限",
    r"男\s*[、/]\s*女\s*(?:不限|均可|皆可)",
    r"不限男女",
    r"性别不限",
    r"男女均可",
    r"男女皆可",
    r"男女都可",
    r"男女比例不限",
    r"民族不限",
    r"不限民族",
    r"各民族",
    r"户籍不限",
    r"不限户籍",
    r"户口不限",
    r"不限户口",
    r"地域不限",
    r"婚否不限",
    r"婚育不限",
    r"年龄不限",
    r"不限年龄",
    r"欢迎宝妈",
    r"宝妈(?:优先|友好|可)",
    r"尊重宗教信仰",
    r"女职工(?:权益|特殊|专项|保护)",
    r"(?:带薪)?(?:婚假|产假|育儿假|陪产假|哺乳假)",
    r"生育保险",
    r"生育津贴",
    r"乙肝疫苗",
    r"残疾人(?:就业|保障金|优先|岗位|友好|亦可|也可)",
    r"年满\s*1[68]\s*周?岁",
    r"1[68]\s*周?岁以上",
]
_ALLOWED_RE = re.compile("|".join(_ALLOWED))

_PROVINCES = (
    "北京|天津|河北|山西|内蒙古?|辽宁|吉林|黑龙江|东北|上海|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|广西|"
    "海南|重庆|四川|贵州|云南|西藏|陕西|甘肃|青海|宁夏|新疆|香港|澳门|台湾|潮汕|温州|苏北"
)
_ETHNIC = "少数民族|维族|维吾尔族|藏族|回族|蒙古族|壮族|彝族|苗族|满族|朝鲜族|哈萨克族"
_REQ = r"(?:仅限|只限|限|只招|只要|只收|仅招|要求|需|须|必须|招)"
_NO = r"(?:勿扰|免谈|不要|不招|不收|不考虑|谢绝|禁止|除外|不予录用|不录用|不予考虑|免进)"
_NOT = r"(?:不招|不要|不收|不考虑|谢绝|拒绝|不接受|不录用)"

# (code, severity, regex)
_RULES: list[tuple[str, str, re.Pattern]] = [
    (
        "gender",
        "ban",
        re.compile(
            _REQ + r"\s*[:：]?\s*(?:男|女)(?:性|士|生|工|孩)?(?![女男职方友朋装鞋包])"
            # a bare 男/女 as a list item: "任职要求：1、女，20-35岁"
            r"|(?:^|(?<=[\s、，,。；;:：）)\d]))(?:男|女)(?:性|士|生)?(?=\s*[，,、；;。]|\s*$)"
            r"|(?:男|女)(?:性|士|生)?\s*(?:优先|者优先|为佳|为主|最佳)"
            r"|性别\s*(?:要求)?\s*[:：]?\s*(?:男|女)(?!女)"
            r"|(?:男|女)(?:性|士|生)?\s*" + _NO + r"|" + _NOT + r"\s*(?:男|女)(?:性|士|生|工)?"
            r"|(?:男|女)\s*\d+\s*[名人位个]"
            r"|适合(?:男|女)(?:性|士|生)"
        ),
    ),
    (
        "ethnicity",
        "ban",
        re.compile(
            _REQ
            + r"\s*汉族|汉族\s*(?:优先|者优先|为佳)|民族\s*[:：]\s*汉|(?:"
            + _ETHNIC
            + r")\s*"
            + _NO
            + r"|"
            + _NOT
            + r"\s*(?:"
            + _ETHNIC
            + ")"
        ),
    ),
    (
        "region",
        "ban",
        re.compile(
            r"(?:本地|本市|本省|本区|沪籍|京籍|城镇|非农)(?:户籍|户口|人)\s*(?:优先|者优先|为佳|者|人员)"
            r"|" + _REQ + r"\s*(?:本地|本市|本省|本区|沪籍|京籍|城镇|非农)(?:户籍|户口|人)?"
            r"|(?:外地|外省|农村|农业)(?:户籍|户口|人)?\s*"
            + _NO
            + r"|(?:"
            + _PROVINCES
            + r")(?:籍|人|户籍|户口)\s*"
            + _NO
            + r"|"
            + _NOT
            + r"\s*(?:"
            + _PROVINCES
            + r"|外地|外省|农村)(?:籍|人|户籍|户口)?"
            r"|" + _REQ + r"\s*(?:" + _PROVINCES + r")(?:籍|户籍|户口)"
            r"|(?:" + _PROVINCES + r")(?:籍|户籍|户口)\s*(?:优先|者优先|为佳)"
            r"|(?:户籍|户口)\s*[:：]?\s*(?:要求|限|须为|必须为?)"
        ),
    ),
    (
        "marital",
        "ban",
        re.compile(
            r"(?:已婚已育|已婚未育|未婚未育|已婚|未婚|单身)\s*(?:优先|者优先|为佳|者|女性|人士)"
            r"|" + _REQ + r"\s*(?:已婚|未婚|单身)"
            r"|(?:已婚|未婚|离异)\s*" + _NO + r"|婚姻(?:状况)?\s*[:：]\s*(?:已婚|未婚)"
        ),
    ),
    (
        "pregnancy",
        "ban",
        re.compile(
            r"(?:\d+|[一二两三四五])\s*年内\s*(?:不|无|不得|不能|不准)\s*(?:生育|怀孕|要孩子|生孩子|结婚)"
            r"|(?:无|没有)\s*(?:近期)?\s*(?:生育|怀孕|二胎|三胎)\s*(?:计划|打算)"
            r"|(?:不得|不能|不准|不允许)\s*(?:怀孕|生育)"
            r"|(?:孕妇|孕期|怀孕|哺乳期)\s*(?:者)?\s*"
            + _NO
            + r"|"
            + _REQ
            + r"\s*(?:已育|未育)|(?:已育|未育)\s*(?:优先|者优先)"
        ),
    ),
    (
        "religion",
        "ban",
        re.compile(
            r"(?:无宗教信仰|不信教)\s*(?:者)?\s*(?:优先|者优先)?"
            r"|(?:信教|宗教信仰|穆斯林|信徒|基督徒)\s*(?:者|人士)?\s*"
            + _NO
            + r"|"
            + _NOT
            + r"\s*(?:信教|穆斯林|基督徒|宗教)"
            r"|" + _REQ + r"\s*(?:信仰|基督徒|佛教徒|穆斯林)"
        ),
    ),
    (
        "hepatitis_b",
        "ban",
        re.compile(
            r"乙肝(?:病毒)?(?:携带者|携带|患者|阳性|小三阳|大三阳)?\s*"
            + _NO
            + r"|(?:无|非|没有)\s*乙肝|乙肝\s*(?:两对半|五项)\s*(?:检查|阴性|正常)?|乙肝(?:表面抗原)?\s*阴性"
            r"|(?:查|检查|体检)\s*乙肝|hbsag|" + _NOT + r"\s*乙肝"
        ),
    ),
    ("disability", "ban", re.compile(r"残疾(?:人|人士)?\s*" + _NO + r"|" + _NOT + r"\s*残疾")),
    (
        "age",
        "flag",
        re.compile(
            r"(?:\d{2})\s*(?:周)?岁\s*(?:以下|以内|以上|之间|左右|及以下|及以上|内)"
            r"|(?:\d{2})\s*(?:-|~|至|到|—)\s*(?:\d{2})\s*(?:周)?岁"
            r"|年龄\s*(?:要求)?\s*[:：]?\s*(?:在\s*)?(?:不超过|不大于|小于|低于|限|\d{2})"
            r"|(?:\d{2})\s*后\s*(?:优先|为佳)|(?:年轻|年龄偏大|大龄)\s*(?:人)?\s*(?:优先|勿扰|不要|免谈)"
        ),
    ),
]


def _blank(text: str) -> str:
    """The text with allowed phrases replaced by spaces (same length, so spans stay true)."""
    return _ALLOWED_RE.sub(lambda m: " " * len(m.group(0)), text)


def check_posting(text: str) -> list[Finding]:
    """Findings in a posting's text (title, requirements, description joined), in text order."""
    if not text:
        return []
    norm = unicodedata.normalize("NFKC", text).lower()
    if len(norm) != len(text):  # NFKC changed the length (rare ligatures): spans are on the normalised text
        text = norm
    blanked = _blank(norm)
    findings: list[Finding] = []
    for code, severity, pattern in _RULES:
        for match in pattern.finditer(blanked):
            if not match.group(0).strip():
                continue
            start, end = match.span()
            findings.append(Finding(code, severity, (start, end), _excerpt(text, start, end)))
    findings.sort(key=lambda f: (f.span, f.code))
    return _dedupe(findings)


def _excerpt(text: str, start: int, end: int, pad: int = 8) -> str:
    return text[max(0, start - pad) : end + pad].replace("\n", " ").strip()


def _dedupe(findings: list[Finding]) -> list[Finding]:
    out: list[Finding] = []
    for finding in findings:
        if out and out[-1].code == finding.code and finding.span[0] < out[-1].span[1]:
            continue  # overlapping hits of one rule are one finding
        out.append(finding)
    return out


def banned(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "ban"]
