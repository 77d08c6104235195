from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from gonghui.demo import data as demo
from gonghui.orgs import scale


class Command(BaseCommand):
    help = "Load demo personas (--demo) or N realistic enterprises with their unions (--scale N)."

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="Demo personas; idempotent, demo databases only.")
        parser.add_argument("--scale", type=int, default=0, metavar="N", help="Generate N enterprises in bulk.")
        parser.add_argument("--seed", type=int, default=42, help="Random seed for --scale (deterministic).")

    def handle(self, *args, demo_flag=None, **options):
        if not options["demo"] and not options["scale"]:
            raise CommandError("Say --demo or --scale N.")
        if options["demo"]:
            if demo.is_demo_database():
                self.stdout.write("Demo data is already loaded.")
            elif demo.has_data():
                raise CommandError("This database holds non-demo data: refusing to add demo accounts to it.")
            else:
                with transaction.atomic():
                    demo.build()
                    demo.build_stories()
                self.stdout.write("Demo data loaded.")
            self.stdout.write(demo.describe())
        if options["scale"]:
            if options["scale"] < 1:
                raise CommandError("--scale needs a positive number.")
            made = scale.generate(options["scale"], seed=options["seed"], progress=self.stdout.write)
            self.stdout.write(f"{made} enterprises generated.")
