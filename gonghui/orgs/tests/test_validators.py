"""Property tests for the national-code validators (python-stdnum does the arithmetic)."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric, uscc

from gonghui.members.validators import gender_of, normalise_id_number
from gonghui.orgs.validators import normalise_uscc

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
body17 = st.builds(
    lambda head, tail: head + tail,
    st.text(alphabet="0123456789", min_size=8, max_size=8),
    st.text(alphabet=USCC_ALPHABET, min_size=9, max_size=9),
)


@given(body17)
def test_every_code_with_its_check_character_is_accepted(body):
    code = body + uscc.calc_check_digit(body)
    assert normalise_uscc(code.lower()) == code


@given(body17, st.sampled_from(USCC_ALPHABET))
def test_a_wrong_check_character_is_rejected(body, check):
    if check == uscc.calc_check_digit(body):
        return
    with pytest.raises(ValidationError) as info:
        normalise_uscc(body + check)
    assert info.value.code == "checksum"


@given(st.text(max_size=30).filter(lambda s: len(s.strip().replace(" ", "")) != 18))
def test_wrong_lengths_are_rejected_with_a_clear_code(text):
    with pytest.raises(ValidationError):
        normalise_uscc(text)


@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z"])
def test_letters_outside_the_alphabet_are_rejected(letter):
    with pytest.raises(ValidationError) as info:
        normalise_uscc("91310115MA1K0000" + letter + "0")
    assert info.value.code == "format"


@given(st.dates(min_value=__import__("datetime").date(1950, 1, 1), max_value=__import__("datetime").date(2008, 12, 31)),
       st.integers(min_value=0, max_value=999))
def test_id_numbers_for_a_real_region_and_date_are_accepted(birth, seq):
    body = f"310104{birth:%Y%m%d}{seq:03d}"
    number = body + ric.calc_check_digit(body + "0")
    assert normalise_id_number(number) == number
    assert gender_of(number) == ("M" if seq % 2 else "F")


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("31010419881123001", "length"),
        ("310104198811230012", "checksum"),
        ("310104198802300011", "component"),  # 30 February
        ("999999198811230019", "component"),  # no such region
        ("31011519800101001X", "component"),  # Pudong New Area did not exist in 1980
        ("3101041988112300A1", "format"),
    ],
)
def test_bad_id_numbers_say_what_is_wrong(number, code):
    fixed = number
    if code == "component":
        fixed = number[:17] + ric.calc_check_digit(number[:17] + "0")
    with pytest.raises(ValidationError) as info:
        normalise_id_number(fixed)
    assert info.value.code == code
