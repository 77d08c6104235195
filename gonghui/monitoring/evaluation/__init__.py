"""Labelled evaluation texts for the monitoring engine (written for this project).

``heldout.jsonl`` was committed before any tuning and is only scored, never tuned against;
``dev.jsonl`` is the development part. Each line: id, text, categories, sentiment (positive|neutral|negative),
severity (none|blue|yellow|orange|red), style, and for hard negatives ``negative_for`` (the categories whose
words appear in the text without the text raising them: denials, hypotheticals, other senses).

History, for honesty: the held-out part was committed on its own (commit 5c960a9) before the engine was tuned;
the engine was then tuned on ``dev.jsonl`` and ad-hoc probe sentences only. The first scoring of the held-out
part, after tuning, gave macro-F1 0.849 (wage 0.889, overtime 0.783, contract 0.750, dismissal 0.786, social
insurance 1.000, injury 0.941, collective 0.909, closure 0.783, discrimination 0.800), 3-class sentiment
accuracy 0.724 and severity exact 0.806 — against dev macro-F1 0.974 and sentiment 0.813. The lexicons were
not changed after that scoring.
"""

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEV = HERE / "dev.jsonl"
HELDOUT = HERE / "heldout.jsonl"


def load(path: Path | str) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]
