"""Enterprise recognition with registry names, aliases and derived short names."""

import pytest

from gonghui.monitoring.nlp import EnterpriseMatcher, short_names


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("上海某某物流有限公司", "某某物流"),
        ("上海市宏达电子股份有限公司", "宏达电子"),
        ("某某科技（上海）有限公司", "某某科技"),
        ("浦东新区金桥精密机械厂", "金桥精密机械"),
        ("上海浦江集团有限公司闵行分公司", "浦江"),
    ],
)
def test_short_names(name, short):
    assert short in short_names(name)


def test_short_names_never_shrink_below_two_characters():
    # the legal suffix stays rather than leave a single letter
    assert short_names("上海A有限公司") == {"A有限公司"}
    assert short_names("宏达") == set()


def test_matcher_finds_full_names_aliases_and_short_names_in_order():
    matcher = EnterpriseMatcher(
        [
            (1, "上海某某物流有限公司", []),
            (2, "上海宏达电子有限公司", ["宏达厂"]),
            (3, "上海金桥精密机械有限公司", ()),
        ]
    )
    assert matcher.find("某某物流又拖欠工资了") == [1]
    assert matcher.find("宏达厂门口聚集了很多人，金桥精密机械也停产了") == [2, 3]
    assert matcher.find("上海宏达电子有限公司发布公告") == [2]
    assert matcher.find("今天天气很好") == []
    assert matcher.find("") == []


def test_ambiguous_short_names_are_dropped_but_full_names_kept():
    matcher = EnterpriseMatcher([(1, "上海宏达电子有限公司", []), (2, "江苏宏达电子有限公司", [])])
    assert matcher.find("宏达电子欠薪") == []
    assert matcher.find("江苏宏达电子有限公司欠薪") == [2]


def test_longest_match_wins():
    matcher = EnterpriseMatcher([(1, "上海宏达电子有限公司", []), (2, "上海宏达电子科技有限公司", [])])
    assert matcher.find("宏达电子科技裁员") == [2]


def test_empty_registry():
    assert EnterpriseMatcher([]).find("某某物流") == []
