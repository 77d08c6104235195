"""The classifier: categories with their context rules, sentiment, severity rules and people counts."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gonghui.monitoring.nlp import (
    CATEGORIES,
    SEVERITIES,
    Classification,
    SeverityRules,
    classify,
    classify_many,
    default_rules,
    parse_people,
    sentiment,
    sentiment_label,
)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("公司拖欠我们三个月工资，老板一直躲着不见。", "wage_arrears"),
        ("原告称被告拖欠工资共计25600元。", "wage_arrears"),
        ("每天工作12个小时，一个月只休息两天，加班费一分没有。", "overtime_hours"),
        ("干了一年公司都没跟我签劳动合同。", "contract"),
        ("今天突然被公司辞退，补偿一分没给。", "dismissal_layoff"),
        ("公司一直没给我们交社保。", "social_insurance"),
        ("工友在车间被机器压伤了手，厂里不给报工伤。", "injury_safety"),
        ("三十多名工人聚集在厂门口讨要工资。", "collective_action"),
        ("老板跑路了，厂子已经人去楼空。", "enterprise_closure"),
        ("招聘写着仅限男性，35岁以上不要。", "discrimination"),
    ],
)
def test_each_category_is_recognised_when_raised(text, category):
    result = classify(text)
    assert category in result.categories
    assert result.terms, "the matched terms that counted are reported"


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("公司从未拖欠工资，每月10号准时发放。", "wage_arrears"),  # denial
        ("如果公司拖欠工资怎么办？", "wage_arrears"),  # hypothetical
        ("假如被公司辞退，经济补偿怎么算？", "dismissal_layoff"),
        ("网传某公司拖欠工资，经核实该信息不属实。", "wage_arrears"),  # rebuttal later in the sentence
        ("春运期间铁路部门加开加班车120对。", "overtime_hours"),  # other sense
        ("我司承接合同能源管理项目。", "contract"),
        ("这部剧里男主被公司开除后开了家面馆。", "dismissal_layoff"),  # fiction
        ("社保断缴怎么办？专业代缴，欢迎咨询。", "social_insurance"),  # advertisement
        ("受疫情影响，请市民避免人员聚集。", "collective_action"),
        ("这家奶茶店晚上十点关门。", "enterprise_closure"),
        ("电商平台被指价格歧视老用户。", "discrimination"),
        ("周末踢球把脚扭伤了。", "injury_safety"),
    ],
)
def test_denials_hypotheticals_and_other_senses_do_not_count(text, category):
    assert category not in classify(text).categories


def test_an_allegation_answered_by_a_denial_still_counts():
    result = classify("员工发帖称被欠薪，公司回应称工资均已按时足额发放。")
    assert "wage_arrears" in result.categories


def test_several_categories_and_their_order():
    result = classify("老板跑路了，二百多名工人三个月工资没拿到，大家堵在厂门口讨说法。")
    assert result.categories == ("wage_arrears", "collective_action", "enterprise_closure")
    assert list(result.categories) == [c for c in CATEGORIES if c in result.categories]


def test_classification_as_dict_is_json_serialisable():
    result = classify("公司拖欠工资三个月了")
    data = result.as_dict()
    assert set(data) == {"categories", "sentiment", "severity", "terms"}
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert isinstance(result, Classification)


def test_empty_and_unrelated_texts():
    for text in ("", "   ", "今天天气不错。"):
        result = classify(text)
        assert result.categories == ()
        assert result.severity == "none"


def test_classify_many_matches_classify():
    texts = ["公司拖欠工资", "今天很开心", ""]
    assert classify_many(texts) == [classify(t) for t in texts]


# --- sentiment ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("这家店的菜非常好吃，服务也很热情，强烈推荐！", "positive"),
        ("房间又脏又吵，前台态度恶劣，再也不来了。", "negative"),
        ("地铁14号线将于本周六起调整首末班车时间。", "neutral"),
        ("老板拖欠工资还威胁我们，太黑心了！", "negative"),
        ("感谢工会帮我追回了工资，真心点赞！", "positive"),
    ],
)
def test_sentiment_labels(text, label):
    assert sentiment_label(sentiment(text)) == label


def test_negation_flips_and_degree_strengthens():
    assert sentiment("服务不热情") < 0 < sentiment("服务热情")
    assert sentiment("服务非常热情") > sentiment("服务热情")


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("好差不很非常拖欠工资开心垃圾！？，。的了是我们公司没有太")),
        max_size=80,
    )
)
def test_sentiment_is_always_within_bounds(text):
    score = classify(text).sentiment
    assert -1.0 <= score <= 1.0


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_any_text_classifies_without_error(text):
    result = classify(text)
    assert result.severity in SEVERITIES
    assert set(result.categories) <= set(CATEGORIES)
    assert -1.0 <= result.sentiment <= 1.0


# --- people and severity -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "people"),
    [
        ("数十名工人", 30),
        ("上百名农民工", 100),
        ("200多名员工", 200),
        ("几十个工友", 30),
        ("二十多名骑手", 20),
        ("约60名建筑工人", 60),
        ("一百二十余人", 120),
        ("拖欠三个月工资", 0),
        ("第一名", 0),
        ("工资5000元", 0),
    ],
)
def test_parse_people(text, people):
    assert parse_people(text) == people


@pytest.mark.parametrize(
    ("text", "severity"),
    [
        ("公司拖欠我两个月工资。", "blue"),
        ("十几名保洁员被拖欠工资。", "yellow"),
        ("三十多名工人被拖欠工资，聚集在公司门口。", "orange"),
        ("讨了半年工资没结果，工友今天说要跳楼。", "red"),
        ("上百名农民工聚集在售楼处讨薪。", "red"),
        ("老板跑路了，厂子人去楼空。", "orange"),
        ("跳楼价大甩卖，全场五折！", "none"),
    ],
)
def test_default_severity(text, severity):
    assert classify(text).severity == severity


def test_denied_harm_does_not_raise_severity():
    result = classify("车间起火，所幸未造成人员死亡。")
    assert "injury_safety" in result.categories
    assert result.severity != "orange"


def test_rules_are_configurable_and_round_trip_as_json():
    rules = SeverityRules.from_dict(
        {"yellow_people": 3, "orange_people": 5, "red_people": 8, "red_words": ["断指"]}
    )
    assert classify("6名工人被拖欠工资", rules=rules).severity == "orange"
    assert classify("6名工人被拖欠工资").severity == "blue"
    assert classify("工人在车间断指", rules=rules).severity == "red"
    data = json.loads(json.dumps(rules.as_dict()))
    assert SeverityRules.from_dict(data) == rules
    assert SeverityRules.from_dict(None) == default_rules() == SeverityRules.from_dict({})


@pytest.mark.parametrize(
    "data",
    [
        {"nonsense": 1},
        {"red_people": 0},
        {"red_people": "many"},
        {"red_words": "跳楼"},
        {"base": "purple"},
        {"yellow_people": 50, "orange_people": 10},
        {"life_threats_need_category": "yes"},
        ["red_people"],
    ],
)
def test_bad_rules_are_refused(data):
    with pytest.raises(ValueError):
        SeverityRules.from_dict(data)


def test_life_threats_without_a_category_when_configured():
    text = "公司一名员工在宿舍楼顶扬言要跳楼。"
    strict = SeverityRules.from_dict({"life_threats_need_category": False})
    assert classify(text, rules=strict).severity == "red"


def test_the_engine_does_not_import_django():
    import subprocess
    import sys

    code = (
        "import sys; import gonghui.monitoring.nlp as n; n.classify('公司拖欠工资'); "
        "sys.exit(1 if any(m == 'django' or m.startswith('django.') for m in sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
