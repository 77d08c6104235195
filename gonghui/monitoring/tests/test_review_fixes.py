"""Regression tests for the review findings (SSRF, feed deadline, ownership of pushed posts, redaction order,
feed dates, upload ids, alert counts and the like)."""

import hashlib
import json
from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from gonghui.hall import services as hall
from gonghui.hall.choices import Channel
from gonghui.hall.models import ServiceType
from gonghui.monitoring import channels, ingestion
from gonghui.monitoring.models import Alert, Post, Source, WarningCase
from gonghui.monitoring.tests.helpers import BURST_TEXTS, push, serve, source

RSS = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>
<item><guid>n1</guid><title>浦江精密拖欠工资</title><link>http://news.example/1</link>
<description>拖欠工资</description><pubDate>Wed, 25 Nov 2026 01:00:00 +0000</pubDate></item></channel></rss>""".encode()


# --- 1. SSRF -------------------------------------------------------------------------------------------------

@override_settings(MONITORING_FEED_ALLOW_PRIVATE=False)
@pytest.mark.parametrize("url", ["http://127.0.0.1:9/rss", "http://localhost/rss", "http://169.254.169.254/latest",
                                 "http://10.0.0.5/", "http://[::1]/", "http://0.0.0.0/", "file:///etc/passwd",
                                 "ftp://news.example/rss"])
def test_feeds_from_internal_addresses_or_other_schemes_are_refused(url):
    with pytest.raises(channels.FeedError):
        channels.fetch(url)


def test_only_http_feeds_even_where_private_addresses_are_allowed():
    with override_settings(MONITORING_FEED_ALLOW_PRIVATE=True), pytest.raises(channels.FeedError):
        channels.fetch("file:///etc/passwd")


def test_a_redirect_to_an_internal_address_is_refused(world, monkeypatch):
    # The server on 127.0.0.1 counts as public here; the redirect target 127.0.0.2 does not.
    monkeypatch.setattr(channels, "_refused_address", lambda ip: str(ip) != "127.0.0.1")
    with override_settings(MONITORING_FEED_ALLOW_PRIVATE=False), \
            serve({"/rss.xml": (RSS, "application/rss+xml")}, redirects={"/go": "http://127.0.0.2:9/secret"}) as url:
        assert channels.fetch(f"{url}/rss.xml") == RSS
        with pytest.raises(channels.FeedError):
            channels.fetch(f"{url}/go")
        feed = source(world, "redir", kind="feed", url=f"{url}/go")
        assert channels.pull_feed(feed) is None


def test_the_address_is_checked_again_when_connecting(monkeypatch):
    # As if the DNS answer changed after the URL was checked (rebinding): the connection itself refuses.
    monkeypatch.setattr(channels, "check_feed_url", lambda url: None)
    with override_settings(MONITORING_FEED_ALLOW_PRIVATE=False), \
            serve({"/rss.xml": (RSS, "application/rss+xml")}) as url, pytest.raises(channels.FeedError):
        channels.fetch(f"{url}/rss.xml")


def test_private_feeds_follow_the_setting_which_is_off_outside_debug_and_testing():
    import re
    from pathlib import Path

    with override_settings(MONITORING_FEED_ALLOW_PRIVATE=False):
        assert channels.allow_private_feeds() is False
    with override_settings(MONITORING_FEED_ALLOW_PRIVATE=True):
        assert channels.allow_private_feeds() is True
    # The default is computed in settings.py from DEBUG and TESTING only.
    text = (Path(__file__).resolve().parents[2] / "settings.py").read_text()
    assert re.search(r'MONITORING_FEED_ALLOW_PRIVATE = env_bool\("GONGHUI_MONITORING_FEED_ALLOW_PRIVATE", DEBUG or TESTING\)',
                     text)


# --- 2. overall deadline -------------------------------------------------------------------------------------

def test_a_feed_read_stops_at_the_overall_deadline(monkeypatch):
    monkeypatch.setattr(channels, "FEED_DEADLINE_SECONDS", -1)
    with serve({"/rss.xml": (RSS, "application/rss+xml")}) as url, pytest.raises(channels.FeedError):
        channels.fetch(f"{url}/rss.xml")


# --- 3. / 4. pushes -------------------------------------------------------------------------------------------

def test_a_district_push_cannot_create_posts_owned_by_another_district(world):
    b1 = world.enterprises["b1"]
    region_b = world.orgs["district_b"].region_id
    assert region_b
    now = timezone.now()
    ingestion.ingest(source=source(world), items=[
        {"external_id": "e", "text": f"{b1.name}拖欠工资三个月", "published_at": now},
        {"external_id": "r", "text": "某公司拖欠工资三个月", "region": region_b, "published_at": now}])
    for post in Post.objects.filter(source__code="partner"):
        assert post.owner_organization == world.orgs["district_a"], post.external_id
        assert post.region_id != region_b
    assert Post.objects.visible_to(world.users["district_b"], "monitoring.view").count() == 0
    # A city source still routes to the district.
    city = world.orgs["district_a"].parent
    city_source = Source.objects.create(code="city", name="city", kind="push", owner_organization=city)
    ingestion.ingest(source=city_source, items=[
        {"external_id": "r", "text": "某公司拖欠工资三个月", "region": region_b, "published_at": now}])
    assert Post.objects.get(source__code="city").owner_organization == world.orgs["district_b"]


def test_only_an_active_push_source_takes_pushes(world):
    source(world, "feedsrc", kind="feed", url="http://news.example/rss")
    inactive = source(world, "off")
    Source.objects.filter(pk=inactive.pk).update(is_active=False)
    client = world.client("district_a")
    for code in ("feedsrc", "off"):
        body = {"source": code, "items": [{"external_id": "a", "text": "浦江精密拖欠工资"}]}
        response = client.post("/api/v1/monitoring/push", json.dumps(body), content_type="application/json")
        assert response.status_code == 404, code
    assert not Post.objects.exists()


# --- 5. redaction after normalisation ------------------------------------------------------------------------

def test_internal_notes_are_redacted_after_normalisation(world):
    service = ServiceType.objects.get(code="general-consultation")
    summaries = ["浦江精密拖欠工资，电话1380013&#56;000", "浦江精密拖欠工资，手机138<b></b>00138000",
                 "浦江精密拖欠工资，身份证11010119900307&#49;23X"]
    for i, summary in enumerate(summaries):
        hall.submit_request(actor=world.users["union_a1"], service_type=service, channel=Channel.HOTLINE,
                            organization=world.orgs["union_a1"], applicant_name="王小明",
                            idempotency_key=f"red-{i}", summary=summary)
    channels.take_in_hall_requests()
    texts = list(Post.objects.filter(source__code="internal-hotline").values_list("text", flat=True))
    assert len(texts) == 3
    for text in texts:
        assert "13800138000" not in text and "110101199003071" not in text, text


def test_internal_posts_take_the_district_region_and_reread_behind_the_cursor(world):
    service = ServiceType.objects.get(code="general-consultation")
    first, _created = hall.submit_request(actor=world.users["union_a1"], service_type=service, channel=Channel.HOTLINE,
                                organization=world.orgs["union_a1"], applicant_name="王小明", idempotency_key="one",
                                summary="浦江精密拖欠工资两个月。")
    channels.take_in_hall_requests()
    post = Post.objects.get(source__code="internal-hotline", external_id=first.reference)
    assert post.region_id == world.orgs["district_a"].region_id
    # A request that committed late (its pk lies behind the cursor) is still taken in.
    hotline = Source.objects.get(code="internal-hotline")
    Post.objects.filter(source=hotline).delete()
    assert channels.take_in_hall_requests() == 1


# --- 7. / 8. dates and upload ids -----------------------------------------------------------------------------

def test_feed_dates_are_read_as_utc():
    (item,) = channels.parse_feed(RSS)
    assert item["published_at"] == datetime(2026, 11, 25, 1, 0, tzinfo=UTC)


def test_upload_rows_without_an_id_get_a_stable_digest():
    items = channels.items_from_upload("a.csv", "正文\n浦江精密拖欠工资\n".encode())
    assert items[0]["external_id"] == "row-2-" + hashlib.sha256("浦江精密拖欠工资".encode()).hexdigest()[:16]


# --- 19. uploads that unpack or parse badly ------------------------------------------------------------------

def test_a_zip_bomb_and_an_oversized_csv_field_are_refused_with_a_message(monkeypatch):
    import io
    import zipfile

    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (2 * 1024 * 1024))
    monkeypatch.setattr(channels, "MAX_UNZIPPED_BYTES", 1024 * 1024)
    with pytest.raises(ValidationError):
        channels.items_from_upload("bomb.xlsx", data.getvalue())
    with pytest.raises(ValidationError):
        channels.items_from_upload("big.csv", ("正文\n\"" + "字" * 140_000 + "\"\n").encode())


# --- 10. / 15. / 16. alerts and retries ----------------------------------------------------------------------

def test_a_text_alert_counts_every_post_it_links(world):
    push(world, [BURST_TEXTS[0]], prefix="one")
    alert = Alert.objects.filter(enterprise=world.enterprises["a1"], rule__isnull=True).first()
    assert alert is not None
    before = alert.post_count
    push(world, ["浦江精密机械的工人今天又在厂门口集体停工聚集讨薪，要求老板支付拖欠的工资。"], prefix="two")
    alert.refresh_from_db()
    assert alert.posts.count() > 1 and alert.post_count == alert.posts.count() > before


def test_a_failed_alert_evaluation_is_retried_by_the_sweep(world, monkeypatch):
    from gonghui.monitoring import detection

    real = detection.evaluate_alerts

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(detection, "evaluate_alerts", broken)
    result = push(world, BURST_TEXTS, prefix="burst")
    assert result.created == len(BURST_TEXTS) and not Alert.objects.exists()
    assert Post.objects.filter(alerts_pending=True).count() == len(BURST_TEXTS)
    monkeypatch.setattr(detection, "evaluate_alerts", real)
    assert ingestion.sweep_unevaluated(now=timezone.now() + ingestion.EVALUATION_GRACE * 2) == len(BURST_TEXTS)
    assert Alert.objects.exists() and not Post.objects.filter(alerts_pending=True).exists()


def test_the_integrity_retry_stores_fresh_posts_and_is_audited(world, monkeypatch):
    from django.db import IntegrityError

    from gonghui.core.models import AuditEvent

    calls = {"n": 0}
    real = ingestion._store

    def racing(posts, index, result):
        calls["n"] += 1
        real(posts, index, result)
        if calls["n"] == 1:
            raise IntegrityError("a concurrent push won")

    monkeypatch.setattr(ingestion, "_store", racing)
    text = "上海浦江精密机械有限公司拖欠工资三个月，一百多名工人在厂门口聚集讨薪，要求老板出面解决。"
    result = push(world, [text, text + "转发"])
    assert result.created == 2 and result.near_duplicates == 1 and len(result.posts) == 2
    assert Post.objects.count() == 2
    dup = Post.objects.get(external_id="x1")
    assert dup.duplicate_of == Post.objects.get(external_id="x0")
    assert AuditEvent.objects.filter(action="monitoring.ingest", after__retry=True).exists()


# --- 6. warnings -----------------------------------------------------------------------------------------------

def test_joining_a_case_never_lowers_its_severity(world):
    push(world, BURST_TEXTS, prefix="burst")
    case = WarningCase.objects.get()
    assert case.severity == "red"
    alert = Alert.objects.create(key="x:y", category="wage_arrears", enterprise=world.enterprises["a1"],
                                 owner_organization=world.orgs["union_a1"], severity="yellow", reason="r")
    from gonghui.monitoring.warnings import open_warning

    assert open_warning(alert=alert) == case.request
    case.refresh_from_db()
    assert case.severity == "red"


# --- 9. / 11. alerts without a case -------------------------------------------------------------------------

def _small_alert(world):
    from gonghui.monitoring.models import MonitoringPolicy

    MonitoringPolicy.objects.update(warning_threshold="red", text_alert_threshold="blue")
    push(world, ["浦江精密拖欠工资两个月了，希望工会帮忙问问。", "浦江精密这个月工资又晚发了，拖欠半个月。"], prefix="few")
    alert = Alert.objects.filter(warning__isnull=True).first()
    assert alert is not None
    return alert


def test_an_alert_without_a_case_can_be_closed(world):
    from gonghui.monitoring import services

    alert = _small_alert(world)
    with pytest.raises(PermissionDenied):
        services.close_alert(actor=world.users["union_a1"], alert=alert)
    response = world.client("district_a").post(f"/work/monitoring/alerts/{alert.pk}/close/")
    alert.refresh_from_db()
    assert response.status_code == 302 and alert.status == "closed"
    with pytest.raises(ValidationError):
        services.close_alert(actor=world.users["district_a"], alert=alert)
    page = world.client("district_a").get("/work/monitoring/alerts/").content.decode()
    assert 'data-testid="close-alert"' not in page


def test_a_new_alert_below_the_warning_threshold_notifies_the_people_on_duty(world,
                                                                            django_capture_on_commit_callbacks):
    from gonghui.core.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        _small_alert(world)
    assert Notification.objects.filter(user=world.users["union_a1"], url="/work/monitoring/alerts/").exists()
    assert not Notification.objects.filter(user=world.users["district_b"]).exists()


# --- 13. / 14. scope -----------------------------------------------------------------------------------------

def test_other_organisations_copies_stay_out_of_the_post_page_and_warning_panel(world):
    text = "上海浦江精密机械有限公司拖欠工资三个月，一百多名工人在厂门口聚集讨薪，要求老板出面解决。"
    push(world, [text], prefix="a")
    original = Post.objects.get(external_id="a0")
    source(world, "bsource", org="district_b")
    ingestion.ingest(source=Source.objects.get(code="bsource"),
                     items=[{"external_id": "b0", "text": text + "转发", "published_at": timezone.now()}])
    copy = Post.objects.get(external_id="b0")
    assert copy.duplicate_of == original and copy.owner_organization == world.orgs["district_b"]
    page = world.client("union_a1").get(f"/work/monitoring/posts/{original.pk}/").content.decode()
    assert f"/work/monitoring/posts/{copy.pk}/" not in page
    page = world.client("district_b").get(f"/work/monitoring/posts/{copy.pk}/").content.decode()
    assert f"/work/monitoring/posts/{original.pk}/" not in page
    # The warning panel lists only the posts the viewer may see.
    from gonghui.monitoring.views.work import warning_panel

    push(world, BURST_TEXTS, prefix="burst")
    alert = Alert.objects.exclude(warning__isnull=True).first()
    alert.posts.add(copy)
    panel = warning_panel(alert.warning, world.users["union_a1"])
    assert panel and copy not in list(panel["alert_posts"])


def test_only_team_members_or_managers_complete_a_commentator_task(world):
    from gonghui.monitoring import services
    from gonghui.monitoring.models import CommentTask, CommentTeam

    push(world, ["浦江精密拖欠工资"])
    team = CommentTeam.objects.create(name="t", owner_organization=world.orgs["union_a1"])
    task = CommentTask.objects.create(post=Post.objects.get(), kind="clarify", team=team,
                                      owner_organization=team.owner_organization, due_at=timezone.now(),
                                      created_by=world.users["district_a"])
    with pytest.raises(PermissionDenied):
        services.complete_task(actor=world.users["union_a1"], task=task, note="done")
    team.members.add(world.users["union_a1"])
    assert services.complete_task(actor=world.users["union_a1"], task=task, note="done").status == "done"


# --- 23. briefs -----------------------------------------------------------------------------------------------

def test_regenerating_needs_manage_and_keeps_finished_briefs(world):
    from datetime import timedelta

    from gonghui.monitoring import briefs

    finished, _created = briefs.generate(actor=None, organization=world.orgs["district_a"], kind="daily")
    with pytest.raises(PermissionDenied):
        briefs.regenerate(actor=world.users["union_a1"], brief=finished)
    with pytest.raises(ValidationError):
        briefs.regenerate(actor=world.users["district_a"], brief=finished)
    running, _created = briefs.generate(actor=None, organization=world.orgs["district_a"], kind="daily",
                                        day=timezone.localdate() + timedelta(days=1))
    assert briefs.regenerate(actor=world.users["district_a"], brief=running).generated_by == world.users["district_a"]


def test_the_first_stage_deadline_comes_from_the_policy(world):
    from gonghui.hall import calendar
    from gonghui.monitoring.models import MonitoringPolicy

    MonitoringPolicy.objects.update(stage_days=7)
    push(world, BURST_TEXTS, prefix="burst")
    request = WarningCase.objects.get().request
    assert request.due_date == calendar.add_working_days(timezone.localdate(), 7)


# --- 12. saved schemes act on ingested posts ------------------------------------------------------------------

def test_saved_schemes_match_ingested_posts_and_filter_the_lists(world):
    from gonghui.monitoring import services

    push(world, ["浦江精密拖欠工资三个月", "社区举办读书会"], prefix="old")
    scheme = services.save_scheme(actor=world.users["district_a"], organization=world.orgs["district_a"],
                                  name="欠薪", region_terms="", subject_terms="", event_terms="拖欠工资",
                                  exclude_terms="", confirm_warnings=True)
    assert list(scheme.posts.values_list("external_id", flat=True)) == ["old0"]  # recent posts, on saving
    push(world, ["汇城软件拖欠工资两个月", "今天天气很好"], prefix="new")
    assert set(scheme.posts.values_list("external_id", flat=True)) == {"old0", "new0"}
    page = world.client("district_a").get(f"/work/monitoring/posts/?scheme={scheme.pk}").content.decode()
    assert "浦江精密拖欠工资三个月" in page and "社区举办读书会" not in page
    rows = world.client("district_a").get(f"/api/v1/monitoring/posts?scheme={scheme.pk}").json()["items"]
    assert {r["text"] for r in rows} == {"浦江精密拖欠工资三个月", "汇城软件拖欠工资两个月"}
    rows = world.client("district_b").get(f"/api/v1/monitoring/posts?scheme={scheme.pk}").json()["items"]
    assert rows == []  # another district's scheme filters to nothing
