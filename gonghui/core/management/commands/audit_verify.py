from django.core.management.base import BaseCommand, CommandError

from gonghui.core import audit


class Command(BaseCommand):
    help = "Check every audit row's HMAC, the seal chain and the signed checkpoints."

    def handle(self, *args, **options):
        report = audit.verify()
        if report.ok:
            self.stdout.write(f"audit log OK: {report.rows} rows, {report.sealed} sealed")
            return
        for problem in report.problems:
            self.stderr.write(problem)
        raise CommandError(f"audit log FAILED verification: first problem: {report.problems[0]}")
