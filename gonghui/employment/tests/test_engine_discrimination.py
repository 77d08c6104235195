import pytest

from gonghui.employment.engine.discrimination import banned, check_posting
from gonghui.employment.engine.sanitize import check_all, check_description


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("限男性", "gender"),
        ("男性优先", "gender"),
        ("仅招女生", "gender"),
        ("性别：男", "gender"),
        ("女士勿扰", "gender"),
        ("不招女工", "gender"),
        ("招聘普工：男3名，女2名", "gender"),
        ("适合男性", "gender"),
        ("只要男的", "gender"),
        ("要求：女性", "gender"),
        ("1、女，20-35岁", "gender"),
        ("性别：女；", "gender"),
        ("限汉族", "ethnicity"),
        ("汉族优先", "ethnicity"),
        ("少数民族勿扰", "ethnicity"),
        ("不招维族", "ethnicity"),
        ("新疆人勿扰", "region"),
        ("不招河南人", "region"),
        ("限本地户口", "region"),
        ("本地户籍优先", "region"),
        ("农村户口勿扰", "region"),
        ("要求上海户籍", "region"),
        ("外地人免谈", "region"),
        ("已婚已育优先", "marital"),
        ("限未婚", "marital"),
        ("婚姻状况：未婚", "marital"),
        ("两年内不生育", "pregnancy"),
        ("无生育计划", "pregnancy"),
        ("孕妇勿扰", "pregnancy"),
        ("入职三年内不得怀孕", "pregnancy"),
        ("无宗教信仰", "religion"),
        ("穆斯林勿扰", "religion"),
        ("乙肝携带者勿扰", "hepatitis_b"),
        ("无乙肝", "hepatitis_b"),
        ("入职体检查乙肝两对半", "hepatitis_b"),
        ("残疾人勿扰", "disability"),
    ],
)
def test_banned_requirements_are_found(text, code):
    findings = check_posting(f"岗位职责：负责仓库管理。任职要求：{text}，有责任心。")
    assert code in {f.code for f in findings}
    hit = next(f for f in findings if f.code == code)
    assert hit.severity == "ban"
    start, end = hit.span
    assert end > start and hit.excerpt


@pytest.mark.parametrize("text", ["年龄35岁以下", "25-35岁", "年龄：45周岁以内", "90后优先", "年龄不超过40"])
def test_age_limits_are_flagged_not_banned(text):
    findings = check_posting(text)
    assert [f.code for f in findings] == ["age"]
    assert findings[0].severity == "flag"
    assert banned(findings) == []


@pytest.mark.parametrize(
    "text",
    [
        "男女不限",
        "不限男女",
        "性别不限，年龄不限",
        "欢迎宝妈",
        "宝妈优先",
        "女职工权益保障完善",
        "享受带薪婚假、产假，缴纳生育保险",
        "民族不限",
        "户籍不限，可协助办理居住证",
        "年满18周岁",
        "16周岁以上",
        "免费接种乙肝疫苗",
        "残疾人就业岗位",
        "女装店导购",
        "男装销售",
        "熟悉男女装搭配",
        "提供男女宿舍",
        "招聘仓库管理员2名",
        "本岗位适合应届毕业生",
        "限本科以上学历",
        "要求持有叉车证",
        "工作地点：浦东新区",
        "35人团队",
        "公司成立于2015年，员工500人",
        "尊重宗教信仰，提供清真餐",
        "工会设立女职工委员会",
        "婚否不限",
        "男、女不限",
        "提供男、女宿舍",
        "1、男女不限，能吃苦",
        "服务对象：男女老少",
    ],
)
def test_legitimate_texts_do_not_fire(text):
    assert check_posting(text) == []


def test_spans_point_into_the_text():
    text = "招聘叉车司机。要求：男性优先，年龄35岁以下，欢迎宝妈。"
    findings = check_posting(text)
    assert [f.code for f in findings] == ["gender", "age"]
    for finding in findings:
        assert text[finding.span[0] : finding.span[1]] in finding.excerpt


def test_empty_text():
    assert check_posting("") == [] and check_description("") == []


@pytest.mark.parametrize(
    ("text", "code", "severity"),
    [
        ("<script>alert(1)</script>", "script", "ban"),
        ('<img src=x onerror="alert(1)">', "script", "ban"),
        ("点击 javascript:void(0)", "script", "ban"),
        ("<iframe src=//evil>", "script", "ban"),
        ("详情见 http://x.cn/a", "link", "ban"),
        ("报名：https://jobs.example.com/apply?id=1", "link", "ban"),
        ("www.jobs.com", "link", "ban"),
        ("登录 job-abc.top 查看", "link", "ban"),
        ("加微信 abc123 详聊", "wechat", "flag"),
        ("加vx：hr2026", "wechat", "flag"),
        ("扫码进群", "qr", "flag"),
        ("扫描下方二维码报名", "qr", "flag"),
        ("QQ群：12345678", "qq", "flag"),
        ("联系电话13800138000", "phone", "flag"),
    ],
)
def test_scripts_links_and_solicitations(text, code, severity):
    findings = check_description(text)
    assert (code, severity) in {(f.code, f.severity) for f in findings}


@pytest.mark.parametrize(
    "text",
    [
        "负责Excel报表",
        "熟悉Node.js和Vue",
        "月薪6000元。",
        "持有C1驾照",
        "熟悉ISO9001体系",
        "会用PS、AI",
        "工作时间9:00-18:00",
        "熟练使用WMS系统",
    ],
)
def test_ordinary_descriptions_are_clean(text):
    assert check_description(text) == []


def test_check_all_merges_both():
    codes = {f.code for f in check_all("男性优先，详情见 http://x.cn")}
    assert codes == {"gender", "link"}
