"""Classify texts from the command line: JSON lines in, JSON lines out.

    echo '{"text": "老板跑路了，工资三个月没发"}' | manage.py monitoring_classify

Each input line is an object with a "text" (and optionally an "id", echoed back); each output line is
{"categories": [...], "sentiment": float, "severity": str, "terms": [...]}. A line that is not JSON or has no
text gives {"line": n, "error": "..."} and the run goes on. Blank lines are skipped.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gonghui.monitoring.nlp import SeverityRules, classify, normalize

MAX_LINE_CHARS = 1_000_000


class Command(BaseCommand):
    help = "Classify JSON lines {'text': ...} from stdin into risk categories, sentiment and severity."
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument(
            "--rules",
            metavar="FILE",
            help="JSON file with severity rules (the fields of SeverityRules); the defaults otherwise.",
        )
        parser.add_argument(
            "--policy",
            action="store_true",
            help="Use the severity rules of the stored monitoring policy (needs the database).",
        )

    def handle(self, *args, **options):
        rules = None
        if options.get("rules") and options.get("policy"):
            raise CommandError("Give either --rules or --policy, not both.")
        if options.get("policy"):
            from gonghui.monitoring.models import MonitoringPolicy

            try:
                rules = SeverityRules.from_dict(MonitoringPolicy.current().severity_rules or None)
            except ValueError as exc:
                raise CommandError(f"The stored severity rules are not usable: {exc}") from exc
        if options.get("rules"):
            try:
                rules = SeverityRules.from_dict(
                    json.loads(Path(options["rules"]).read_text(encoding="utf-8"))
                )
            except (OSError, ValueError) as exc:
                raise CommandError(f"Cannot use the severity rules in {options['rules']}: {exc}") from exc
        stdin = options.get("stdin") or sys.stdin
        errors = 0
        for number, line in enumerate(stdin, start=1):
            if not line.strip():
                continue
            result = self.classify_line(number, line, rules)
            errors += "error" in result
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        if errors:
            self.stderr.write(f"{errors} line(s) could not be classified.")

    @staticmethod
    def classify_line(number: int, line: str, rules) -> dict:
        if len(line) > MAX_LINE_CHARS:
            return {"line": number, "error": f"Line longer than {MAX_LINE_CHARS} characters."}
        try:
            item = json.loads(line)
        except ValueError as exc:
            return {"line": number, "error": f"Not JSON: {exc.msg}."}
        if not isinstance(item, dict):
            return {"line": number, "error": "Expected an object with a text."}
        text = item.get("text")
        if not isinstance(text, str):
            return {"line": number, "error": "No text: give a string in the field text."}
        result = classify(normalize(text), rules=rules).as_dict()
        if "id" in item and isinstance(item["id"], str | int):
            result = {"id": item["id"], **result}
        return result
