from django.core.management.base import BaseCommand

from gonghui.orgs.models import Industry, Region
from gonghui.orgs.reference import load


class Command(BaseCommand):
    help = "Load or refresh administrative divisions (GB/T 2260) and industries (GB/T 4754-2017) from orgs/data."

    def handle(self, *args, **options):
        regions, industries = load(Region, Industry)
        self.stdout.write(f"{regions} divisions, {industries} industry classes loaded")
