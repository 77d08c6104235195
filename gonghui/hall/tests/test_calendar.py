from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from gonghui.hall.calendar import add_working_days, is_working_day, working_days_between


def test_national_day_2026_is_skipped_and_the_make_up_saturday_counts(db):
    assert not is_working_day(date(2026, 10, 1)) and not is_working_day(date(2026, 10, 7))
    assert is_working_day(date(2026, 10, 10))  # Saturday, make-up working day
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert add_working_days(date(2026, 10, 9), 1) == date(2026, 10, 10)


def test_spring_festival_2026(db):
    # 15 working days from the Friday before the holiday land well into March.
    assert add_working_days(date(2026, 2, 13), 15) > date(2026, 3, 5)


@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 1)), st.integers(min_value=0, max_value=40))
def test_adding_then_counting_gives_back_the_days(django_db_blocker, start, days):
    with django_db_blocker.unblock():
        end = add_working_days(start, days)
        assert working_days_between(start, end) == days
        if days:
            assert is_working_day(end)
            assert end > start
        else:
            assert end == start
        assert end - start <= timedelta(days=days * 2 + 14)
