"""Reference data shipped as CSV (GB/T 2260 districts, GB/T 4754-2017 industries); reloaded by
``manage.py load_reference_data`` when the standards change."""

import csv
from pathlib import Path

DATA = Path(__file__).parent / "data"


def load(region_model, industry_model) -> tuple[int, int]:
    with (DATA / "regions.csv").open(encoding="utf-8") as handle:
        regions = list(csv.DictReader(handle))
    for row in regions:  # parents come first in the file
        region_model.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "parent_id": row["parent"] or None}
        )
    with (DATA / "industries.csv").open(encoding="utf-8") as handle:
        industries = list(csv.DictReader(handle))
    for row in industries:
        industry_model.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "section_id": row["section"] or None}
        )
    return len(regions), len(industries)
