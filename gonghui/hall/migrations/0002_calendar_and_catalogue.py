"""Working-day exceptions from the chinese-calendar package (State Council notices, 2004 up to the newest
year the package knows), and the first entries of the catalogue."""

from django.db import migrations


def load_calendar(apps, schema_editor):
    from gonghui.hall.holidays import calendar_rows

    CalendarDay = apps.get_model("hall", "CalendarDay")
    CalendarDay.objects.bulk_create([CalendarDay(**row) for row in calendar_rows()], ignore_conflicts=True)


def load_catalogue(apps, schema_editor):
    ServiceType = apps.get_model("hall", "ServiceType")
    ServiceType.objects.get_or_create(
        code="general-consultation",
        defaults={
            "name": "政策咨询与诉求受理",
            "description": "向工会咨询政策、反映诉求。工会在规定时限内答复。",
            "materials": ["身份证明（可选）", "相关材料照片或 PDF（可选）"],
            "handling_level": "grassroots",
            "deadline_days": 5,
            "sort_order": 10,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("hall", "0001_initial")]
    operations = [
        migrations.RunPython(load_calendar, migrations.RunPython.noop),
        migrations.RunPython(load_catalogue, migrations.RunPython.noop),
    ]
