"""normalize() and redact(): hostile HTML never survives, personal data never leaks into monitoring."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from gonghui.monitoring.nlp import normalize, redact

MARKUP = re.compile(r"<\s*[a-zA-Z/!?]")


def test_normalize_strips_html_scripts_and_entities():
    raw = (
        '<div class="post"><p>老板&amp;包工头&nbsp;跑路了</p><script>alert("x")</script>'
        "<style>p{color:red}</style>&lt;script&gt;alert(1)&lt;/script&gt;<br>第二行</div>"
    )
    text = normalize(raw)
    assert "老板&包工头 跑路了" in text
    assert "alert" not in text and "color" not in text
    assert not MARKUP.search(text)
    assert "第二行" in text


def test_normalize_collapses_whitespace_and_caps_length():
    assert normalize("  a \t\t b \n\n\n c  ") == "a b\nc"
    assert len(normalize("欠薪" * 10_000, max_length=100)) == 100


def test_normalize_handles_bytes_none_and_control_characters():
    assert normalize(None) == ""
    assert normalize("讨薪".encode()) == "讨薪"
    assert normalize(b"\xff\xfe bad") != ""
    assert normalize("老板跑路，工资没发".encode("gbk")) == "老板跑路，工资没发"
    assert normalize("a\x00b\u200bc") == "abc"


def test_normalize_survives_huge_entity_floods():
    text = normalize("&amp;" * 200_000 + "<b>x</b>", max_length=5000)
    assert len(text) <= 5000


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/!?&;#ascriptbdiv=\"' 欠薪ltgamp")), max_size=120))
def test_normalize_never_returns_markup(raw):
    assert not MARKUP.search(normalize(raw))


def test_redact_masks_ids_phones_addresses_and_names():
    text = (
        "我叫王小明，身份证310101199001011234，手机13812345678，座机021-62345678，"
        "住浦东新区张杨路123号4号楼501室，找过李经理和张某某，老王也知道。公司拖欠工资30000元，每天12小时。"
    )
    out = redact(text)
    for secret in (
        "王小明",
        "310101199001011234",
        "13812345678",
        "62345678",
        "张杨路123号",
        "李经理",
        "张某某",
        "老王",
    ):
        assert secret not in out
    # what monitoring needs survives
    assert "拖欠工资30000元" in out and "每天12小时" in out


def test_redact_leaves_ordinary_words_alone():
    text = "公司经理说项目经理不管，每天工作12小时，小于规定标准。"
    assert redact(text) == text


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("工资拖欠，。 abc")), max_size=20),
    st.from_regex(r"\A\d{17}[\dX]\Z"),
    st.from_regex(r"\A1[3-9]\d{9}\Z"),
    st.text(alphabet=st.sampled_from(list("工资拖欠，。 ")), max_size=20),
)
def test_redact_removes_any_id_number_and_mobile(prefix, id_number, mobile, suffix):
    out = redact(f"{prefix}{id_number}{suffix}{mobile}{prefix}")
    assert id_number not in out
    assert mobile not in out
