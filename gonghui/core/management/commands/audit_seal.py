from django.core.management.base import BaseCommand

from gonghui.core import audit


class Command(BaseCommand):
    help = "Seal committed audit rows into the hash chain now (the scheduler does this every minute)."

    def handle(self, *args, **options):
        self.stdout.write(f"sealed {audit.seal_pending()} rows")
