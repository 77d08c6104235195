"""General rules added after the first held-out set was retired: implied overtime, ultimatums, legal questions,
rebutted rumours and neutral statistics. The sentences are written for these tests, not taken from the sets.

These test the rule layer, so the learned part is switched off here: the final decision is the model's, which
weighs what the rules saw against the rest of the text (``test_nlp_model.py``; its quality is measured on whole
sets by ``bench/monitoring.py``)."""

import pytest

from gonghui.monitoring.nlp import classifier as engine
from gonghui.monitoring.nlp import classify, sentiment_label


@pytest.fixture(autouse=True)
def rules_alone(monkeypatch):
    monkeypatch.setattr(engine, "USE_MODEL", False)


@pytest.mark.parametrize(
    "text",
    [
        "我们厂每天干到半夜还不让走，老板说订单急。",
        "公司规定周末也要到岗，没有任何补贴。",
        "下班后还要在群里回复客户消息，没有加班费。",
        "我每天晚上十一点才下班，第二天八点又要打卡。",
        "现在公司实行大小周，累得不行。",
        "饭店服务员基本都是单休，一个月就休四天。",
        "法院判决被告支付原告加班工资12000元。",
    ],
)
def test_overtime_without_the_word(text):
    assert "overtime_hours" in classify(text).categories


@pytest.mark.parametrize(
    "text",
    [
        "店长通知：明天起到郊区仓库上班，否则视为自动离职。",
        "主管说不签这份协议就辞退我们。",
        "老板让我们写辞职报告，说这样好走流程。",
    ],
)
def test_an_ultimatum_to_leave_is_dismissal(text):
    assert "dismissal_layoff" in classify(text).categories


def test_an_ultimatum_leaves_other_categories_hypothetical():
    assert "wage_arrears" not in classify("下周一之前必须到新门店报到，否则扣工资。").categories


def test_a_legal_question_raises_nothing_but_a_complaint_with_a_question_does():
    assert classify("来电人咨询用人单位未缴纳社保是否可以解除劳动合同并要求经济补偿。").categories == ()
    assert "wage_arrears" in classify("来电人反映公司拖欠工资三个月，咨询是否可以申请劳动仲裁。").categories


@pytest.mark.parametrize(
    "text",
    [
        "网传某快递公司大规模裁员，公司回应称消息不实。",
        "有人说公司要倒闭了，老板出面澄清并非如此，订单充足。",
    ],
)
def test_a_rebutted_rumour_is_neither_a_category_nor_negative(text):
    result = classify(text)
    assert result.categories == ()
    assert sentiment_label(result.sentiment) == "neutral"


def test_a_confirmed_rumour_still_counts():
    text = "网传某电子厂拖欠工资，记者调查发现确有此事，工人已三个月没拿到工资。"
    assert "wage_arrears" in classify(text).categories


def test_statistics_in_news_are_neutral():
    assert sentiment_label(classify("前三季度全市社会消费品零售总额同比增长6.1%。").sentiment) == "neutral"


def test_deposits_and_residential_relocation():
    assert "contract" in classify("公司要求新员工交2000元培训押金，离职时不退。").categories
    assert classify("房东一直不退押金，太气人了。").categories == ()
    assert "enterprise_closure" not in classify("老城区改造启动居民搬迁签约，首日签约过半。").categories


def test_after_work_hours_need_an_obligation():
    assert "overtime_hours" in classify("公司规定员工下班后参加一小时的安全学习，不算工时。").categories
    assert "overtime_hours" not in classify("我下班后去参加了一个读书会，收获很多。").categories


def test_bias_by_sex_or_age_emptied_factories_and_probation():
    assert "discrimination" in classify("面试官说这个岗位不考虑女生，太辛苦。").categories
    assert "enterprise_closure" in classify("老板把厂里的机器都卖了，工人第二天来上班发现大门上了锁。").categories
    assert "contract" in classify("入职后试用期已经延长了两次，说我表现不够好。").categories
    assert "overtime_hours" not in classify("综合工时制是一种经审批的工时制度。").categories


def test_a_question_about_the_callers_own_case_counts():
    assert "dismissal_layoff" in classify("来电人咨询被公司辞退能否要求二倍工资。").categories
    assert "dismissal_layoff" in classify("公司要搬到外地的新园区，员工不去就算主动离职。").categories
