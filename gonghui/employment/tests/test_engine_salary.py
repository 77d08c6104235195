import pytest
from hypothesis import given
from hypothesis import strategies as st

from gonghui.employment.engine.salary import (
    SalaryError,
    SalaryRange,
    format_salary,
    make_range,
    parse_salary,
)


@pytest.mark.parametrize(
    ("text", "low", "high", "months", "period"),
    [
        ("10-15K·14薪", 10000, 15000, 14, "month"),
        ("15-25k·13薪", 15000, 25000, 13, "month"),
        ("10-15K", 10000, 15000, 12, "month"),
        ("8千-1.2万", 8000, 12000, 12, "month"),
        ("18-36万", 15000, 30000, 12, "year"),
        ("10-15万/年", 8333, 12500, 12, "year"),
        ("年薪30万", 25000, 25000, 12, "year"),
        ("5000-8000元/月", 5000, 8000, 12, "month"),
        ("5000-8000元", 5000, 8000, 12, "month"),
        ("200元/天", 4350, 4350, 12, "day"),
        ("150元/日", 3263, 3263, 12, "day"),
        ("日薪300", 6525, 6525, 12, "day"),
        ("25元/时", 4350, 4350, 12, "hour"),
        ("25元/小时", 4350, 4350, 12, "hour"),
        ("时薪23.5元", 4089, 4089, 12, "hour"),
        ("1.5万以上", 15000, None, 12, "month"),
        ("3000起", 3000, None, 12, "month"),
        ("底薪3000+提成", 3000, None, 12, "month"),
        ("3000元以下", None, 3000, 12, "month"),
        ("１０－１５ｋ", 10000, 15000, 12, "month"),
        ("６０００～８０００元／月", 6000, 8000, 12, "month"),
        ("6000~8000", 6000, 8000, 12, "month"),
        ("6000至8000元", 6000, 8000, 12, "month"),
        ("6000到8000", 6000, 8000, 12, "month"),
        ("10,000-15,000元/月", 10000, 15000, 12, "month"),
        ("¥8000", 8000, 8000, 12, "month"),
        ("税前 7k", 7000, 7000, 12, "month"),
        ("2-3万", 20000, 30000, 12, "month"),
        ("20-30K x 15", 20000, 30000, 15, "month"),
        ("8000-10000元/月+绩效", 8000, 10000, 12, "month"),
        ("4000-6000元/月 包吃住", 4000, 6000, 12, "month"),
        ("5000元/月（税前）", 5000, 5000, 12, "month"),
        ("【急招】6-8K", 6000, 8000, 12, "month"),
        ("时薪20-25元", 3480, 4350, 12, "hour"),
        ("120-150元/天", 2610, 3263, 12, "day"),
        ("年薪15-30万", 12500, 25000, 12, "year"),
        ("12-20K*13", 12000, 20000, 13, "month"),
        ("月薪：5千至8千", 5000, 8000, 12, "month"),
        ("2.5万-3万·15薪", 25000, 30000, 15, "month"),
    ],
)
def test_real_world_salary_texts(text, low, high, months, period):
    parsed = parse_salary(text)
    assert (parsed.min_monthly, parsed.max_monthly, parsed.months, parsed.period) == (
        low,
        high,
        months,
        period,
    )
    assert parsed.negotiable is False


@pytest.mark.parametrize("text", ["面议", "薪资面议", " 面议 ", "Negotiable", "面议（6000起）"])
def test_negotiable(text):
    parsed = parse_salary(text)
    assert parsed.negotiable and parsed.min_monthly is None and parsed.max_monthly is None
    assert format_salary(parsed) == "面议"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("abc", "unrecognised"),
        ("很高", "unrecognised"),
        ("-5", "unrecognised"),
        ("5000-", "unrecognised"),
        ("9000-6000", "min_above_max"),
        ("1.2万-8千", "min_above_max"),
        ("0", "implausible"),
        ("0-0", "implausible"),
        ("99999999", "implausible"),
        ("10-15K·40薪", "unrecognised"),
        ("5000-8000-9000", "unrecognised"),
    ],
)
def test_bad_salary_texts_raise_with_a_code(text, code):
    with pytest.raises(SalaryError) as caught:
        parse_salary(text)
    assert caught.value.code == code
    assert caught.value.message


def test_none_is_empty():
    with pytest.raises(SalaryError):
        parse_salary(None)


def test_make_range_checks_order_and_plausibility():
    assert make_range(5000, 8000) == SalaryRange(5000, 8000)
    assert make_range(None, None).negotiable
    with pytest.raises(SalaryError) as caught:
        make_range(9000, 6000)
    assert caught.value.code == "min_above_max"
    with pytest.raises(SalaryError):
        make_range(-1, 6000)


def test_overlap():
    job = parse_salary("8-12K")
    assert job.overlaps(10000, None) and job.overlaps(None, 8000)
    assert not job.overlaps(13000, 20000)
    assert parse_salary("面议").overlaps(50000, None)
    assert parse_salary("1.5万以上").overlaps(40000, None)


def test_format_examples():
    assert format_salary(parse_salary("10-15K·14薪")) == "10000-15000元/月·14薪"
    assert format_salary(parse_salary("18-36万")) == "180000-360000元/年"
    assert format_salary(parse_salary("10-15万/年")) == "100000-150000元/年"
    assert format_salary(parse_salary("200元/天")) == "200元/天"
    assert format_salary(parse_salary("1.5万以上")) == "15000元/月以上"


_units = st.sampled_from(["", "元", "k", "K", "千", "万", "w"])
_periods = st.sampled_from(["", "/月", "/年", "/天", "/时", "元/月", "元/天"])
_numbers = st.decimals(min_value="0.5", max_value="99999", places=1).map(lambda d: f"{d.normalize():f}")


@given(_numbers, _units, _numbers, _units, _periods, st.sampled_from(["-", "~", "至", "－", "—"]))
def test_parsed_ranges_are_ordered_or_refused(a, unit_a, b, unit_b, period, sep):
    text = f"{a}{unit_a}{sep}{b}{unit_b}{period}"
    try:
        parsed = parse_salary(text)
    except SalaryError as error:
        assert error.code in {"unrecognised", "min_above_max", "implausible"}
        return
    assert parsed.min_monthly is not None and parsed.max_monthly is not None
    assert 0 < parsed.min_monthly <= parsed.max_monthly


@given(
    st.integers(1, 200_000),
    st.integers(0, 200_000),
    st.sampled_from(["month", "year", "day", "hour"]),
    st.integers(12, 16),
    st.sampled_from(["both", "low", "high"]),
)
def test_format_then_parse_is_identity(low, extra, period, months, shape):
    high = low + extra
    candidate = SalaryRange(
        low if shape != "high" else None, high if shape != "low" else None, months, False, period
    )
    text = format_salary(candidate)
    parsed = parse_salary(text)
    # the period is only kept where the text can state it; amounts always survive exactly
    assert (parsed.min_monthly, parsed.max_monthly, parsed.months) == (
        candidate.min_monthly,
        candidate.max_monthly,
        candidate.months,
    )
    assert format_salary(parsed) == text


@given(st.text(max_size=20))
def test_arbitrary_text_never_crashes(text):
    try:
        parsed = parse_salary(text)
    except SalaryError:
        return
    if parsed.min_monthly is not None and parsed.max_monthly is not None:
        assert parsed.min_monthly <= parsed.max_monthly
