import json
import random
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gonghui.monitoring import detection
from gonghui.monitoring.models import Post, PostTag, Source
from gonghui.monitoring.tests.helpers import BURST_TEXTS, push, source


def test_the_overview_shows_hot_topics_bursts_and_the_timeline(world):
    push(world, BURST_TEXTS)
    page = world.client("district_a").get("/work/monitoring/").content.decode()
    assert 'data-testid="hot-topics"' in page and "上海浦江精密机械有限公司" in page
    assert 'data-testid="burst"' in page and 'data-mchart="chart-timeline"' in page
    other = world.client("district_b").get("/work/monitoring/").content.decode()
    assert "上海浦江精密机械有限公司" not in other and 'data-testid="burst"' not in other


def test_a_burst_is_measured_against_its_own_baseline(world):
    push(world, BURST_TEXTS[:4])
    tags = PostTag.objects.all()
    assert any(b["key"] == "上海浦江精密机械有限公司" for b in detection.bursts(tags, dimension="enterprise"))
    # The same volume every day of the week before is the baseline, not a burst.
    rng = random.Random(5)
    for day in range(1, 8):
        texts = [
            "浦江精密又拖欠工资了，工友们都没拿到钱。" + "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(40))
            for _ in range(4)
        ]
        push(world, texts, prefix=f"d{day}-", hours_ago=24 * day + 1)
    assert PostTag.objects.filter(published_at__lt=timezone.now() - timedelta(days=1)).count() >= 28
    assert not detection.bursts(PostTag.objects.all(), dimension="enterprise")


def test_staff_add_a_feed_and_upload_a_file(world):
    client = world.client("district_a")
    response = client.post("/work/monitoring/sources/", {
        "name": "新闻", "code": "news", "kind": "feed", "url": "http://127.0.0.1:9/feed.xml", "interval_minutes": 30,
        "organization": world.orgs["district_a"].pk})
    assert response.status_code == 302 and Source.objects.get(code="news").owner_organization == world.orgs["district_a"]
    page = client.post("/work/monitoring/sources/", {"name": "x", "code": "news", "kind": "feed", "url": "",
                                                     "interval_minutes": 30,
                                                     "organization": world.orgs["district_a"].pk}).content.decode()
    assert page.count('class="field-error"') >= 1
    upload = source(world, "upload", kind="upload")
    data = "正文\n浦江精密拖欠工资\n".encode("gbk")
    page = client.post(f"/work/monitoring/sources/{upload.pk}/upload/",
                       {"file": SimpleUploadedFile("a.csv", data, content_type="text/csv")}).content.decode()
    assert 'data-testid="upload-result"' in page and Post.objects.filter(source=upload).count() == 1
    bad = client.post(f"/work/monitoring/sources/{upload.pk}/upload/",
                      {"file": SimpleUploadedFile("a.xlsx", b"PK\x03\x04junk", content_type="application/zip")})
    assert 'class="field-error"' in bad.content.decode()
    assert world.client("union_a1").get("/work/monitoring/sources/").status_code == 403


def test_api_lists_are_scoped_and_paginated(world):
    source(world, "citywide", org="city")  # a city source routes each post to its district
    push(world, ["浦江精密拖欠工资", "汇城软件强制加班不给加班费"], code="citywide")
    rows = world.client("district_b").get("/api/v1/monitoring/posts").json()["items"]
    assert [r["enterprise"] for r in rows] == ["上海汇城软件有限公司"]
    rows = world.client("city").get("/api/v1/monitoring/posts?limit=1").json()
    assert len(rows["items"]) == 1 and rows["next_cursor"]
    filtered = world.client("city").get("/api/v1/monitoring/posts?category=overtime_hours").json()["items"]
    assert [r["enterprise"] for r in filtered] == ["上海汇城软件有限公司"]


def test_a_partner_token_pushes_only_to_its_own_sources(world):
    from gonghui.accounts.services import create_api_token

    source(world, "pudong", org="district_a")
    source(world, "xuhui", org="district_b")
    _token, raw = create_api_token(actor=world.users["security"], name="12345", organization=world.orgs["district_a"],
                                   permissions=["monitoring.push"], days=30)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    from django.test import Client

    client = Client()
    body = {"source": "pudong", "items": [{"external_id": "1", "text": "<p>浦江精密拖欠工资</p>",
                                           "published_at": (timezone.now() - timedelta(hours=1)).isoformat()}]}
    assert client.post("/api/v1/monitoring/push", json.dumps(body), content_type="application/json",
                       **headers).json()["created"] == 1
    body["source"] = "xuhui"
    assert client.post("/api/v1/monitoring/push", json.dumps(body), content_type="application/json",
                       **headers).status_code == 404
    bad = {"source": "pudong", "items": [{"external_id": "2", "text": "x", "published_at": "yesterday"}]}
    assert client.post("/api/v1/monitoring/push", json.dumps(bad), content_type="application/json",
                       **headers).status_code == 422
