import time

from django.conf import settings
from django.core.management.base import BaseCommand

from gonghui.core import scheduler


class Command(BaseCommand):
    help = "Run periodic jobs. Safe on several machines at once: each slot is claimed in the database."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run one tick and exit.")

    def handle(self, *args, once=False, **options):
        while True:
            ran = scheduler.tick()
            if ran:
                self.stdout.write(f"ran: {', '.join(ran)}")
            if once:
                return
            time.sleep(settings.SCHEDULER_TICK_SECONDS)
