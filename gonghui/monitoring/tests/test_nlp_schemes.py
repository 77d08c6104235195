"""Monitoring schemes: AND / OR / NOT, proximity window, field-level errors, warnings before saving."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gonghui.monitoring.nlp import SchemeError, compile_scheme


def scheme(**spec):
    return compile_scheme(spec)


REGION = {"name": "地区", "terms": ["浦东", "闵行"]}
EVENT = {"name": "事件", "terms": ["欠薪", "讨薪", "罢工"]}
SUBJECT = {"name": "企业", "terms": ["某某物流", "宏达电子"]}


def test_all_groups_are_required():
    s = scheme(all=[REGION, EVENT])
    match = s.match("浦东某某物流又欠薪了")
    assert match is not None
    assert match.terms == ("浦东", "欠薪")
    assert match.groups == ("地区", "事件")
    assert match.positions == (("浦东", 0, 2), ("欠薪", 7, 9))
    assert s.match("浦东今天天气很好") is None


def test_any_groups_need_one_term():
    s = scheme(all=[EVENT], any=[SUBJECT, REGION])
    assert s.match("宏达电子罢工") is not None
    assert s.match("闵行有人讨薪") is not None
    assert s.match("有人讨薪") is None


def test_only_any_groups():
    s = scheme(any=[SUBJECT])
    assert s.match("宏达电子发布新品").terms == ("宏达电子",)


def test_none_groups_exclude():
    s = scheme(all=[EVENT], none=[{"name": "广告", "terms": ["招聘"]}])
    assert s.match("某厂讨薪") is not None
    assert s.match("某厂讨薪，另：高薪招聘普工") is None


def test_window_requires_terms_close_together():
    s = scheme(all=[REGION, EVENT], window=10)
    assert s.match("浦东一家工厂欠薪") is not None
    assert s.match("浦东" + "，" * 30 + "欠薪") is None
    # a later close pair is found even when the first occurrences are far apart
    assert s.match("浦东" + "。" * 30 + "闵行工厂欠薪") is not None


def test_matching_is_case_insensitive():
    s = scheme(any=[{"name": "企业", "terms": ["ABC Logistics"]}])
    assert s.match("abc logistics 欠薪") is not None


@pytest.mark.parametrize(
    ("spec", "field"),
    [
        ("not a dict", "spec"),
        ({}, "all"),
        ({"all": "x"}, "all"),
        ({"all": [{"name": "", "terms": ["a"]}]}, "all[0].name"),
        ({"all": [{"name": "g", "terms": "欠薪"}]}, "all[0].terms"),
        ({"all": [{"name": "g", "terms": ["欠薪", " "]}]}, "all[0].terms[1]"),
        ({"all": [{"name": "g", "terms": ["欠薪", 5]}]}, "all[0].terms[1]"),
        ({"all": [{"name": "g", "terms": ["x" * 51]}]}, "all[0].terms[0]"),
        ({"any": [EVENT], "window": "near"}, "window"),
        ({"any": [EVENT], "window": 0}, "window"),
        ({"any": [EVENT], "extra": 1}, "spec"),
        ({"any": ["欠薪"]}, "any[0]"),
    ],
)
def test_bad_specs_raise_field_level_errors(spec, field):
    with pytest.raises(SchemeError) as info:
        compile_scheme(spec)
    assert field in info.value.errors
    assert all(info.value.errors[field])


def test_warnings_for_schemes_that_can_never_match():
    s = scheme(all=[{"name": "空", "terms": []}, EVENT])
    assert any("can never match" in w for w in s.warnings())
    s = scheme(all=[{"name": "事件", "terms": ["欠薪"]}], none=[{"name": "排除", "terms": ["欠薪"]}])
    assert any("can never match" in w for w in s.warnings())
    s = scheme(all=[{"name": "长词", "terms": ["拖欠农民工工资"]}], window=3)
    assert any("can never match" in w for w in s.warnings())


def test_warnings_for_schemes_that_match_almost_everything():
    s = scheme(any=[{"name": "宽", "terms": ["的", "公司"]}])
    warnings = s.warnings()
    assert any("“的”" in w and "single character" in w for w in warnings)
    assert any("“公司”" in w and "very common" in w for w in warnings)


def test_messages_carry_codes_and_params_for_translation():
    from gonghui.monitoring.nlp import SCHEME_MESSAGES, Message

    warning = scheme(any=[{"name": "宽", "terms": ["的"]}]).warnings()[0]
    assert isinstance(warning, Message) and isinstance(warning, str)
    assert warning.code == "single_character" and warning.params == {"term": "的", "group": "宽"}
    assert warning == SCHEME_MESSAGES["single_character"].format(**warning.params)
    with pytest.raises(SchemeError) as info:
        compile_scheme({"any": [EVENT], "window": 0})
    assert info.value.errors["window"][0].code == "window_out_of_range"


def test_a_sound_scheme_has_no_warnings():
    assert (
        scheme(
            all=[REGION, EVENT], any=[SUBJECT], none=[{"name": "广告", "terms": ["招聘"]}], window=50
        ).warnings()
        == []
    )


def test_spec_is_normalised_and_match_serialises():
    s = scheme(all=[{"name": " 事件 ", "terms": [" 欠薪 ", "欠薪", "ABC"]}])
    assert s.spec["all"] == [{"name": "事件", "terms": ["欠薪", "abc"]}]
    assert s.match("欠薪").as_dict() == {"terms": ["欠薪"], "positions": [["欠薪", 0, 2]], "groups": ["事件"]}


ALPHABET = list("欠薪讨浦东闵行罢工招聘，。")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(ALPHABET), max_size=60))
def test_and_or_not_semantics_hold_for_any_text(text):
    s = scheme(all=[REGION], any=[EVENT], none=[{"name": "广告", "terms": ["招聘"]}])
    expected = (
        any(t in text for t in REGION["terms"])
        and any(t in text for t in EVENT["terms"])
        and "招聘" not in text
    )
    match = s.match(text)
    assert (match is not None) == expected
    if match:
        for term, start, end in match.positions:
            assert text[start:end] == term


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(ALPHABET), max_size=80), st.integers(min_value=2, max_value=30))
def test_a_window_match_fits_in_the_window(text, window):
    match = scheme(all=[REGION, EVENT], window=window).match(text)
    if match:
        assert max(e for _, _, e in match.positions) - min(s for _, s, _ in match.positions) <= window
