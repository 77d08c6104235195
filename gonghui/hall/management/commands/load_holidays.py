from django.core.management.base import BaseCommand

from gonghui.hall.holidays import calendar_rows, newest_year
from gonghui.hall.models import CalendarDay


class Command(BaseCommand):
    help = "Load public holidays and make-up working days from the chinese-calendar package (upgrade it first)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="Only this year (default: every year the package knows)")

    def handle(self, *args, year=None, **options):
        rows = calendar_rows(year)
        for row in rows:
            CalendarDay.objects.update_or_create(date=row["date"], defaults=row)
        self.stdout.write(f"{len(rows)} calendar exceptions loaded; the package knows up to {newest_year()}.")
