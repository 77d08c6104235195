import sqlite3
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone


class Command(BaseCommand):
    help = "Online backup of the SQLite database (for PostgreSQL use pg_dump; see docs/operations.md)."

    def add_arguments(self, parser):
        parser.add_argument("--to", help="Target file (default: var/backups/gonghui-<time>.sqlite3)")

    def handle(self, *args, to=None, **options):
        if connection.vendor != "sqlite":
            raise CommandError("This database is PostgreSQL: back it up with pg_dump (docs/operations.md).")
        source_path = Path(connection.settings_dict["NAME"])
        target = Path(to) if to else source_path.parent / "backups" / f"gonghui-{timezone.now():%Y%m%d-%H%M%S}.sqlite3"
        target.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(source_path) as source, sqlite3.connect(target) as dest:
            source.backup(dest)
        self.stdout.write(f"backup written to {target}")
