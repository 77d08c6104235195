"""Public holidays on weekdays and make-up working days on weekends, from the chinese-calendar package
(the State Council's yearly notices). A year the package does not know yet is entered in the admin."""

from datetime import date

from chinese_calendar import constants

NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节", "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节", "National Day": "国庆节", "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


def calendar_rows(year: int | None = None) -> list[dict]:
    rows = []
    for day, name in constants.holidays.items():
        if day.weekday() < 5 and (year is None or day.year == year):
            rows.append({"date": day, "is_working_day": False, "name": NAMES.get(name, name)[:40]})
    for day, name in constants.workdays.items():
        if day.weekday() >= 5 and (year is None or day.year == year):
            rows.append({"date": day, "is_working_day": True, "name": f"{NAMES.get(name, name)}调休上班"[:40]})
    return sorted(rows, key=lambda r: r["date"])


def newest_year() -> int:
    return max(max(constants.holidays), max(constants.workdays), date(2000, 1, 1)).year
