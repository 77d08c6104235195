"""The HR bureau's token fetches the scheduled weekly archive: only its own scope, every download audited."""

import io

from django.test import Client
from openpyxl import load_workbook

from gonghui.core.models import AuditEvent
from gonghui.employment.exchange import write_weekly_archive
from gonghui.employment.tests import factories
from gonghui.employment.tests.test_api import _token


def test_a_bureau_token_lists_and_downloads_its_weekly_archive_only(world):
    posting = factories.posting(world)  # published in district A
    write_weekly_archive()
    client = Client()
    listing = client.get("/api/v1/employment/archives", **_token(world, "district_a")).json()
    names = [item["name"] for item in listing["items"]]
    assert names and all(f"-{world.orgs['district_a'].pk}-" in n for n in names)
    postings_file = next(item for item in listing["items"] if item["name"].startswith("postings"))
    response = client.get(f"/api/v1/employment/archives/{postings_file['id']}", **_token(world, "district_a"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    assert posting.title in [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert AuditEvent.objects.filter(action="file.read", object_id=postings_file["id"]).exists()
    # District B's token neither lists nor fetches it.
    other = client.get("/api/v1/employment/archives", **_token(world, "district_b")).json()
    assert postings_file["id"] not in [item["id"] for item in other["items"]]
    assert client.get(f"/api/v1/employment/archives/{postings_file['id']}",
                      **_token(world, "district_b")).status_code == 404
    # A token without the exchange permission is refused.
    assert client.get("/api/v1/employment/archives",
                      **_token(world, "district_a", permissions=("enterprises.view",))).status_code == 403
