"""The labelled evaluation sets parse, and every category has positives and hard negatives in both parts."""

import pytest

from gonghui.monitoring.evaluation import DEV, HELDOUT, load
from gonghui.monitoring.nlp import CATEGORIES, SEVERITIES

SENTIMENTS = {"positive", "neutral", "negative"}
MINIMUM = {DEV: 240, HELDOUT: 160}


@pytest.mark.parametrize("path", [DEV, HELDOUT], ids=["dev", "heldout"])
def test_evaluation_set_is_well_formed(path):
    rows = load(path)
    assert len(rows) >= MINIMUM[path]
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    for row in rows:
        assert {"id", "text", "categories", "sentiment", "severity", "style"} <= set(row)
        assert row["text"].strip()
        assert set(row["categories"]) <= set(CATEGORIES)
        assert row["sentiment"] in SENTIMENTS
        assert row["severity"] in SEVERITIES
        assert (row["severity"] == "none") == (not row["categories"])
        assert set(row.get("negative_for", [])) <= set(CATEGORIES)
        assert not set(row.get("negative_for", [])) & set(row["categories"])


@pytest.mark.parametrize("path", [DEV, HELDOUT], ids=["dev", "heldout"])
def test_every_category_has_positives_and_hard_negatives(path):
    rows = load(path)
    for category in CATEGORIES:
        assert sum(category in r["categories"] for r in rows) >= 5, category
        assert sum(category in r.get("negative_for", []) for r in rows) >= 3, category


def test_the_parts_do_not_share_texts_and_cover_the_styles():
    dev, held = load(DEV), load(HELDOUT)
    assert not {r["text"] for r in dev} & {r["text"] for r in held}
    styles = {"weibo", "douyin", "forum", "hotline", "news", "court", "arbitration", "letter", "review"}
    assert styles <= {r["style"] for r in dev}
    assert styles <= {r["style"] for r in held}
