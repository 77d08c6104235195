import pytest
from hypothesis import given
from hypothesis import strategies as st

from gonghui.employment.data.education import EDUCATION_CHOICES, EDUCATION_LEVELS
from gonghui.employment.data.experience import EXPERIENCE_BANDS, EXPERIENCE_CHOICES
from gonghui.employment.data.occupations import MAJOR_GROUPS, OCCUPATIONS, occupation_label
from gonghui.employment.engine.education import EducationError, meets, parse_education
from gonghui.employment.engine.experience import ExperienceError, band_for, parse_experience
from gonghui.employment.engine.experience import meets as experience_meets


@pytest.mark.parametrize(
    ("text", "code", "full_time"),
    [
        ("本科及以上", "bachelor", False),
        ("大专以上学历", "associate", False),
        ("学历不限", "any", False),
        ("不限", "any", False),
        ("", "any", False),
        ("统招本科", "bachelor", True),
        ("全日制本科及以上学历", "bachelor", True),
        ("中专/技校", "secondary_vocational", False),
        ("中专及以上", "secondary_vocational", False),
        ("高中或中专", "high_school", False),
        ("初中", "junior_high", False),
        ("初中及以下", "junior_high", False),
        ("大专或本科", "associate", False),
        ("硕士研究生", "master", False),
        ("全日制硕士", "master", True),
        ("博士研究生", "doctorate", False),
        ("985本科", "bachelor", True),
        ("专科", "associate", False),
        ("职高", "secondary_vocational", False),
        ("MBA", "master", False),
    ],
)
def test_education_phrasings(text, code, full_time):
    parsed = parse_education(text)
    assert (parsed.code, parsed.full_time) == (code, full_time)


@pytest.mark.parametrize("text", ["xyz", "会开车", "3-5年"])
def test_education_nonsense_raises(text):
    with pytest.raises(EducationError):
        parse_education(text)


def test_education_ladder_and_meets():
    assert [c for c, _l in EDUCATION_CHOICES][0] == "any"
    assert len(EDUCATION_CHOICES) == len(EDUCATION_LEVELS) == 8
    assert meets("bachelor", "associate") and meets("high_school", "secondary_vocational")
    assert not meets("associate", "bachelor")
    assert meets(None, "any") and not meets(None, "junior_high")


@pytest.mark.parametrize(
    ("text", "low", "high", "fresh"),
    [
        ("3-5年", 3, 5, False),
        ("1-3年经验", 1, 3, False),
        ("３－５年", 3, 5, False),
        ("经验不限", 0, None, False),
        ("不限", 0, None, False),
        ("", 0, None, False),
        ("无经验可", 0, None, False),
        ("应届生", 0, 0, True),
        ("2026届应届毕业生", 0, 0, True),
        ("1年以上", 1, None, False),
        ("五年以上", 5, None, False),
        ("两年经验", 2, None, False),
        ("十年以上", 10, None, False),
        ("3年及以上工作经验", 3, None, False),
        ("一年以内", 0, 1, False),
        ("1年以下", 0, 1, False),
        ("三至五年", 3, 5, False),
        ("十二年以上", 12, None, False),
    ],
)
def test_experience_phrasings(text, low, high, fresh):
    parsed = parse_experience(text)
    assert (parsed.min_years, parsed.max_years, parsed.fresh_graduate) == (low, high, fresh)


@pytest.mark.parametrize("text", ["abc", "很多", "5-3年"])
def test_experience_nonsense_raises(text):
    with pytest.raises(ExperienceError):
        parse_experience(text)


def test_experience_bands():
    assert [code for code, _label in EXPERIENCE_CHOICES] == [b[0] for b in EXPERIENCE_BANDS]
    assert parse_experience("应届生").band == "graduate"
    assert parse_experience("经验不限").band == "any"
    assert parse_experience("3-5年").band == "3_5"
    assert (
        band_for(0.5) == "lt1" and band_for(2) == "1_3" and band_for(12) == "gt10" and band_for(None) == "any"
    )
    assert experience_meets(4, parse_experience("3-5年")) and not experience_meets(
        2, parse_experience("3-5年")
    )
    assert experience_meets(None, parse_experience("经验不限"))


@given(st.integers(0, 40), st.integers(0, 40))
def test_experience_ranges_are_ordered(a, b):
    try:
        parsed = parse_experience(f"{a}-{b}年")
    except ExperienceError:
        assert a > b
        return
    assert parsed.min_years <= parsed.max_years


def test_occupation_table_subset():
    assert [code for code, _l in MAJOR_GROUPS] == [str(n) for n in range(1, 9)]
    codes = [code for code, _l in OCCUPATIONS]
    assert len(codes) == len(set(codes))
    assert all(len(code.split("-")) == 4 and code[0] in "12345678" for code in codes)
    assert occupation_label("4-02-07-08") == "快递员"
    assert occupation_label("6-99-99-99") == MAJOR_GROUPS[5][1]  # unknown code: nearest listed group
    assert occupation_label("") == ""
