"""Working days: Monday to Friday, except the public holidays and make-up working days the State Council
announces each year, which are data (CalendarDay) so a new year's notice is entered, not coded."""

from datetime import date, timedelta

from gonghui.hall.models import CalendarDay


def _exceptions(start: date, end: date) -> dict[date, bool]:
    return dict(CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "is_working_day"))


def is_working_day(day: date, exceptions: dict[date, bool] | None = None) -> bool:
    exceptions = _exceptions(day, day) if exceptions is None else exceptions
    if day in exceptions:
        return exceptions[day]
    return day.weekday() < 5


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (the start day itself does not count)."""
    if days < 0:
        raise ValueError("days must not be negative")
    # A working day is never more than a few weeks away even around Spring Festival.
    exceptions = _exceptions(start, start + timedelta(days=days * 2 + 40))
    current, left = start, days
    while left:
        current += timedelta(days=1)
        if is_working_day(current, exceptions):
            left -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days in (start, end]; negative if end is before start."""
    if end < start:
        return -working_days_between(end, start)
    exceptions = _exceptions(start, end)
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current, exceptions):
            count += 1
    return count
