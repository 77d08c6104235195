"""Labelled evaluation texts for the monitoring engine (written for this project).

Files: ``dev.jsonl`` (development), ``heldout.jsonl``, ``heldout2.jsonl`` and ``heldout3.jsonl`` (held-out sets
1–3, each scored once, then retired into development use), ``train/t1.jsonl`` … ``train/t11.jsonl`` (training
sets) and ``heldout4.jsonl`` (held-out set 4, never tuned against). ``GUIDELINES.md`` is the labelling guide every
set since set 4 follows. Each line: id, text, categories, sentiment
(positive|neutral|negative), severity (none|blue|yellow|orange|red), style, and for hard negatives
``negative_for`` (the categories whose words appear in the text without the text raising them: denials,
hypotheticals, other senses).

History, for honesty:

1. The first held-out part, ``heldout.jsonl`` (170 texts), was committed on its own (commit 5c960a9) before the
   engine was tuned; the engine was then tuned on ``dev.jsonl`` and ad-hoc probe sentences only. Its first and
   only scoring as a held-out set, after tuning, gave macro-F1 0.849 (wage 0.889, overtime 0.783, contract
   0.750, dismissal 0.786, social insurance 1.000, injury 0.941, collective 0.909, closure 0.783,
   discrimination 0.800), 3-class sentiment accuracy 0.724 and severity exact 0.806 — against dev macro-F1
   0.974 and sentiment 0.813 — just short of the 0.85 target.
2. ``heldout.jsonl`` was then RETIRED: it is development data from that point on, read and tuned against
   together with ``dev.jsonl``, and its figures no longer say anything about generalisation.
3. ``heldout2.jsonl`` was written independently by another person who did not have the classifier in view, and
   committed before the tuning changes that followed the retirement landed. It is scored, never read or tuned
   against; ``bench/monitoring.py --dev-only`` never opens it.
4. The tuning after the retirement changed general rules rather than adding the sets' phrases: overtime
   implied without the word 加班 (干到半夜, 周末也要到岗, 下班后还要…, 晚上十一点才下班, 单休/大小周 without
   needing other work words, awards of overtime pay), an employer's ultimatum (不签就辞退, 否则视为自动离职)
   counted as dismissal while it keeps other categories hypothetical within its clause, legal questions
   (来电人咨询…是否…), rebutted rumours (网传…，回应称不实 / 并非…) as denials and as neutral sentiment, weak
   weights for news statistics (同比增长), deposits and ID cards held on hiring, forced resignation, wages held
   for months, closure without the word 倒闭 (不再开工, 放假两个月, 机器都卖了), hiring bias by sex or age
   (这个岗位不考虑女生), extended probation, 综合工时 read as a regime unless abused. Development figures before → after on
   dev + retired heldout (421 texts): macro-F1 0.925 → 0.983, sentiment 0.777 → 0.841. Five development
   labels treat an ultimatum as not yet a dismissal; the rule follows the instruction that a threat, once made,
   counts as dismissal_layoff.
5. ``heldout2.jsonl`` (227 texts) was then scored once as a held-out set: macro-F1 0.775 (precision 0.82–1.00,
   recall 0.40–0.88 — the rules were precise but missed independently worded texts). It was RETIRED after that
   one scoring and is development data from then on.
6. A small learned component was added (``nlp/model.py``, trained by ``nlp/train.py``): per-category logistic
   regression over hashed character 1–3-grams, trained on dev + heldout + heldout2 (the retired sets), combined
   as rules OR model ≥ a per-category threshold chosen by 5-fold cross-validation on those texts, with the
   rules' denial / hypothetical / other-sense decisions vetoing the model. The cross-validated figures (rules
   alone vs rules + model) are stored in ``model_weights.npz`` and printed by the bench: on the 648 development
   texts, 5-fold macro-F1 0.908 (rules) → 0.917 (rules + model; 0.911 when each fold's thresholds are chosen on
   the other folds only). The model is switched on only where it added ≥ 0.02 F1 out of fold (overtime_hours
   0.889 → 0.932, contract 0.861 → 0.900); the model alone scores 0.557. Development figures printed for the
   combined engine are in-sample (the model was trained on those texts) and say nothing about generalisation.
7. ``heldout3.jsonl`` was written independently by another person who did not have the classifier in view, and
   committed before the model landed. It is never read, grepped or tuned against; it is scored by
   ``bench/monitoring.py`` only, and ``--dev-only`` never opens it.
8. ``heldout3.jsonl`` was scored once with the engine of step 6: macro-F1 0.812 (target 0.85 missed). It was
   RETIRED after that one scoring and is development data from then on.
9. A labelling guide (``GUIDELINES.md``) was written from the issue's definition and the conventions of the
   retired sets, and ``heldout4.jsonl`` (320 texts) was written to it by someone who never saw the engine, the
   other sets or the training texts, and committed on its own (commit 35aba46) before any of the work below.
10. Eleven training sets (``train/t1`` … ``t11``, 5,062 texts) were then written to the same guide by eleven
    other people, each with a different emphasis (social media; hotline notes and letters; news and rebuttals;
    court and arbitration wording; reviews, ads and unrelated texts; long mixed texts; borderline cases; the
    day-to-day mix; confusable categories; gig, women, older and migrant workers; noisy collected text), none of
    them with the engine or the held-out set in view.
11. The learned part was rebuilt (``nlp/model.py``, ``nlp/train.py``): a logistic regression per category over
    hashed character n-grams and the rules' view of the text, trained on all 5,934 development texts, its
    settings chosen by leave-one-set-out cross-validation (each set predicted by a model trained on the
    others), which is how a new writer's held-out set is met: macro-F1 out of set 0.725 (rules) → 0.862.
12. ``heldout4.jsonl`` was then scored once, with the engine of commit b0ca610: macro-F1 0.877 (target 0.85
    met; wage_arrears recall 0.611 the weak spot). It stays the held-out set ``bench/monitoring.py`` scores and is
    never read, grepped or tuned against; ``nlp/train.py`` and ``--dev-only`` never open it. The next round of
    tuning retires it and needs a set 5 written and committed first.
"""

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEV = HERE / "dev.jsonl"
HELDOUT = HERE / "heldout.jsonl"
HELDOUT2 = HERE / "heldout2.jsonl"
HELDOUT3 = HERE / "heldout3.jsonl"
HELDOUT4 = HERE / "heldout4.jsonl"
TRAIN = HERE / "train"


def development_sets() -> list[tuple[str, Path]]:
    """The sets tuned and trained on: dev, the retired held-out sets 1–3 and ``train/*.jsonl``, by name.
    The current held-out set (heldout4.jsonl) is not among them."""
    sets = [("dev", DEV), ("heldout", HELDOUT), ("heldout2", HELDOUT2), ("heldout3", HELDOUT3)]
    return sets + [(path.stem, path) for path in sorted(TRAIN.glob("*.jsonl"))]


def load(path: Path | str) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]
