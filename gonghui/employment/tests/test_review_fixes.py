"""Regression tests for the review findings on the employment app (each failed before its fix)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.core import consent
from gonghui.core.models import AuditEvent, Notification
from gonghui.employment import exchange, fairs, recommendations, services
from gonghui.employment.choices import (
    ApplicationStatus,
    ContactVisibility,
    EmployerStatus,
    FairStatus,
    PostingStatus,
)
from gonghui.employment.forms import PostingForm
from gonghui.employment.models import Application, IndexVersion, JobFair, JobPosting, Placement
from gonghui.employment.tests import factories
from gonghui.employment.tests.test_api import _token
from gonghui.employment.tests.test_exchange import _row


def _jobs_version() -> int:
    found = IndexVersion.objects.filter(name="jobs").first()
    return found.version if found else 0


def _campaign(world, key, name):
    today = timezone.localdate()
    return services.create_campaign(actor=world.users[key], organization=world.orgs[key], name=name,
                                    theme="graduate", starts_on=today, ends_on=today + timedelta(days=60))


def _hire(posting, application):
    for step in ("interview", "offer", "hired"):
        application = services.move_application(actor=posting.employer.user, application=application, status=step)
    return application


# ---- 1. a re-import of a published posting goes back to review ---------------------------------------

def test_a_reimport_sends_a_published_posting_back_to_review(world):
    factories.employer(world)
    records, errors = exchange.parse_rows([_row(world)])
    assert not errors
    exchange.write_postings(actor=world.users["district_a"], records=records)
    posting = services.review_posting(actor=world.users["district_a"], posting=JobPosting.objects.get(),
                                      approve=True)
    assert posting.status == PostingStatus.PUBLISHED
    version = _jobs_version()
    again, _errors = exchange.parse_rows([_row(world, 职位描述="只招男性，负责仓库收发货。")])
    assert exchange.write_postings(actor=world.users["district_a"], records=again) == (0, 1)
    posting.refresh_from_db()
    assert posting.status == PostingStatus.PENDING and posting.published_at is None
    assert any(f["severity"] == "ban" for f in posting.findings)
    assert _jobs_version() > version


# ---- 2. campaign tags limited to the employer's own unions; staff see and edit them ------------------

def test_employers_tag_only_campaigns_of_their_union_and_the_unions_above(world):
    city = _campaign(world, "city", "全市会聘行动")
    own = _campaign(world, "district_a", "浦东高校毕业生专场")
    other = _campaign(world, "district_b", "徐汇再就业行动")
    employer = factories.employer(world)
    choices = set(PostingForm(employer=employer).fields["campaigns"].queryset)
    assert choices == {city, own}
    with pytest.raises(ValidationError) as excinfo:
        services.submit_posting(actor=employer.user, campaigns=[other], **factories.posting_data(world))
    assert "campaigns" in excinfo.value.message_dict
    posting = services.submit_posting(actor=employer.user, campaigns=[own], **factories.posting_data(world))
    assert set(posting.campaigns.all()) == {own}
    with pytest.raises(ValidationError):
        services.update_posting(actor=employer.user, posting=posting, campaigns=[other],
                                **factories.posting_data(world))


def test_the_review_page_shows_and_edits_the_campaign_tags(world):
    own = _campaign(world, "district_a", "浦东高校毕业生专场")
    city = _campaign(world, "city", "全市会聘行动")
    employer = factories.employer(world)
    posting = services.submit_posting(actor=employer.user, campaigns=[own], **factories.posting_data(world))
    client = world.client("district_a")
    page = client.get(reverse("employment:posting_review", args=[posting.pk]))
    assert page.status_code == 200 and own.name in page.content.decode()
    response = client.post(reverse("employment:posting_decide", args=[posting.pk]),
                           {"decision": "approve", "note": "", "campaigns": [city.pk]})
    assert response.status_code == 302
    posting.refresh_from_db()
    assert posting.status == PostingStatus.PUBLISHED and set(posting.campaigns.all()) == {city}


# ---- 3. a suspended employer no longer sees its postings' applicants ---------------------------------

def test_a_suspended_employer_no_longer_sees_its_posting_and_applicants(world):
    posting = factories.posting(world)
    factories.seeker(world, "alice")
    services.apply(actor=world.users["alice"], posting=posting, idempotency_key="suspend-apply-1")
    client = world.client("hr_a1")
    url = reverse("employment:employer_posting", args=[posting.pk])
    assert client.get(url).status_code == 200
    services.decide_employer(actor=world.users["district_a"], employer=posting.employer, approve=False,
                             note="营业执照已吊销")
    assert client.get(url).status_code == 404
    assert client.get(reverse("employment:employer_posting_edit", args=[posting.pk])).status_code == 404


# ---- 4 and 5. placements pull: priority groups only with consent; the audit lists what was served ----

def test_placements_share_priority_groups_only_with_hr_consent_and_the_pull_is_audited(world):
    posting = factories.posting(world, headcount=2)
    alice = factories.seeker(world, "alice", priority_groups=["veteran"])
    consent.grant(actor=world.users["alice"], subject=alice, purpose="share_hr_bureau", version="test")
    factories.seeker(world, "bob", priority_groups=["migrant_worker"])
    hired = []
    for username in ("alice", "bob"):
        application, _ = services.apply(actor=world.users[username], posting=posting,
                                        idempotency_key=f"consent-{username}-1")
        hired.append(_hire(posting, application))
    response = Client().get("/api/v1/employment/placements", **_token(world))
    groups = {item["id"]: item["priority_groups"] for item in response.json()["items"]}
    alice_placement, bob_placement = (Placement.objects.get(application=a) for a in hired)
    assert groups == {alice_placement.pk: ["veteran"], bob_placement.pk: []}
    event = AuditEvent.objects.filter(action="employment.exchange_placements").latest("id")
    assert sorted(event.after["ids"]) == sorted(groups)
    assert event.after["seeker_ids"] == sorted(a.seeker_id for a in hired)
    assert event.after["posting_ids"] == [posting.pk]


def test_the_postings_pull_audits_the_posting_ids(world):
    posting = factories.posting(world)
    Client().get("/api/v1/employment/postings", **_token(world))
    event = AuditEvent.objects.filter(action="employment.exchange_postings").latest("id")
    assert event.after["ids"] == [posting.pk] and event.after["posting_ids"] == [posting.pk]


# ---- 6. a second run on the same day notifies nobody again -------------------------------------------

def test_a_second_daily_run_the_same_day_does_not_notify_again(world):
    factories.posting(world)
    factories.seeker(world, "alice")
    recommendations.run_daily()
    assert Notification.objects.filter(user=world.users["alice"]).count() == 1
    second = recommendations.run_daily()
    assert second["notified"] == 0
    assert Notification.objects.filter(user=world.users["alice"]).count() == 1


# ---- 7. no hire beyond the head count ----------------------------------------------------------------

def test_no_hire_beyond_the_head_count(world):
    posting = factories.posting(world, headcount=1)
    factories.seeker(world, "alice")
    factories.seeker(world, "bob")
    first, _ = services.apply(actor=world.users["alice"], posting=posting, idempotency_key="headcount-a")
    second, _ = services.apply(actor=world.users["bob"], posting=posting, idempotency_key="headcount-b")
    for step in ("interview", "offer"):
        second = services.move_application(actor=posting.employer.user, application=second, status=step)
    _hire(posting, first)
    with pytest.raises(ValidationError, match="places of this posting are filled"):
        services.move_application(actor=posting.employer.user, application=second, status="hired")
    assert Placement.objects.count() == 1
    assert Application.objects.get(pk=second.pk).status == ApplicationStatus.OFFER


# ---- 8. the import key is unique among open postings; a conflict becomes an update --------------------

def test_the_import_key_is_unique_among_open_postings(world):
    posting = factories.posting(world, publish=False)
    JobPosting.objects.filter(pk=posting.pk).update(external_key="k" * 40)
    duplicate = JobPosting.objects.get(pk=posting.pk)
    duplicate.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    JobPosting.objects.filter(pk=posting.pk).update(status=PostingStatus.CLOSED)
    duplicate.pk = None
    duplicate.save()  # a closed posting no longer holds the key


def test_a_concurrent_import_conflict_turns_into_an_update(world, monkeypatch):
    factories.employer(world)
    records, _errors = exchange.parse_rows([_row(world)])
    exchange.write_postings(actor=world.users["district_a"], records=records)
    real = exchange._existing_postings
    calls = []

    def racing(keys):  # the other import's rows were not visible when this one looked
        calls.append(keys)
        return {} if len(calls) == 1 else real(keys)

    monkeypatch.setattr(exchange, "_existing_postings", racing)
    again, _errors = exchange.parse_rows([_row(world, 招聘人数="7")])
    assert exchange.write_postings(actor=world.users["district_a"], records=again) == (0, 1)
    assert JobPosting.objects.get().headcount == 7


# ---- 9. imported postings are keyed by the enterprise, the employer chosen deterministically --------

def test_imports_are_keyed_by_enterprise_and_go_to_its_earliest_approved_employer(world):
    first = factories.employer(world)
    user = User.objects.create_user(username="hr_a1_second", mobile="13900000099", display_name="hr_a1_second")
    second = services.register_employer(actor=user, uscc=world.enterprises["a1"].uscc, contact_name="李主管",
                                        contact_phone="13900000099")
    services.decide_employer(actor=world.users["district_a"], employer=second, approve=True)
    records, errors = exchange.parse_rows([_row(world)])
    assert not errors
    ((key, record),) = records.items()
    assert record["employer"] == first
    assert key == exchange.dedupe_key(world.enterprises["a1"].pk, "仓库管理员", "310115")


# ---- 12. the seeker declines an offer; the employer is told -----------------------------------------

def test_a_seeker_declines_an_offer_and_the_employer_is_told(world, django_capture_on_commit_callbacks):
    posting = factories.posting(world)
    factories.seeker(world, "alice")
    application, _ = services.apply(actor=world.users["alice"], posting=posting, idempotency_key="decline-1")
    for step in ("interview", "offer"):
        application = services.move_application(actor=posting.employer.user, application=application, status=step)
    client = world.client("alice")
    assert "decline-offer" in client.get(reverse("employment:applications")).content.decode()
    told = Notification.objects.filter(user=posting.employer.user)
    before = told.count()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("employment:withdraw", args=[application.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.WITHDRAWN
    assert told.count() == before + 1
    assert told.latest("id").title in (f"{posting.title}: the offer was declined", f"{posting.title}：求职者已拒绝录用通知")


# ---- 11. a withdrawn application does not open the seeker's mobile -----------------------------------

def test_a_withdrawn_application_no_longer_opens_the_mobile(world):
    posting = factories.posting(world)
    alice = factories.seeker(world, "alice", contact_visibility=ContactVisibility.APPLIED)
    application, _ = services.apply(actor=world.users["alice"], posting=posting, idempotency_key="withdrawn-1")
    assert services.can_see_contact(posting.employer.user, alice) is True
    services.withdraw_application(actor=world.users["alice"], application=application)
    assert services.can_see_contact(posting.employer.user, alice) is False


# ---- 13. a refused employer can send the request again -----------------------------------------------

def test_a_refused_employer_can_send_the_request_again(world):
    employer = factories.employer(world, approve=False)
    services.decide_employer(actor=world.users["district_a"], employer=employer, approve=False, note="联系人不符")
    employer.refresh_from_db()
    assert employer.status == EmployerStatus.REJECTED
    with pytest.raises(ValidationError):  # another enterprise: not through a refused request
        services.register_employer(actor=employer.user, uscc=world.enterprises["b1"].uscc, contact_name="王经理",
                                   contact_phone="13900000011")
    client = world.client("hr_a1")
    assert "resubmit-employer" in client.get(reverse("employment:employer")).content.decode()
    response = client.post(reverse("employment:employer"), {"uscc": world.enterprises["a1"].uscc,
                                                             "contact_name": "赵主任", "contact_phone": "13900000011"})
    assert response.status_code == 302
    employer.refresh_from_db()
    assert employer.status == EmployerStatus.PENDING and employer.contact_name == "赵主任"
    services.decide_employer(actor=world.users["district_a"], employer=employer, approve=True)
    employer.refresh_from_db()
    assert employer.is_approved


# ---- 14. "nobody" holds for union staff too ----------------------------------------------------------

def test_union_staff_respect_a_seekers_nobody_choice(world):
    alice = factories.seeker(world, "alice", contact_visibility=ContactVisibility.PRIVATE)
    assert services.can_see_contact(world.users["union_a1"], alice) is False
    assert services.can_see_contact(world.users["alice"], alice) is True


# ---- 15. fairs: scope of booths and campaigns, the check-in window, closing finished fairs ------------

def _fair(world, key="district_a", start=None, **over):
    start = start or timezone.now() + timedelta(days=2)
    data = {"name": "高校毕业生专场", "theme": "graduate", "mode": "onsite", "starts_at": start,
            "ends_at": start + timedelta(hours=4), "quota": 10, "venue": "浦东就业促进中心"}
    data.update(over)
    return fairs.create_fair(actor=world.users[key], organization=world.orgs[key], **data)


def test_a_fair_takes_booths_and_campaigns_only_from_its_own_scope(world):
    employer_a = factories.employer(world, "hr_a1")
    fair_b = _fair(world, key="district_b")
    with pytest.raises(Http404):
        fairs.add_booth(actor=world.users["district_b"], fair=fair_b, employer=employer_a)
    campaign_a = _campaign(world, "district_a", "浦东高校毕业生专场")
    with pytest.raises(Http404):
        _fair(world, key="district_b", campaign=campaign_a)
    assert not JobFair.objects.filter(campaign=campaign_a).exists()


def test_no_check_in_after_the_fair_and_finished_fairs_close(world):
    later = _fair(world)
    now = timezone.now()
    over = _fair(world, name="已结束的招聘会", start=now - timedelta(hours=1))
    JobFair.objects.filter(pk=over.pk).update(ends_at=now - timedelta(minutes=1))
    assert fairs.close_finished() == 1
    over.refresh_from_db()
    later.refresh_from_db()
    assert over.status == FairStatus.CLOSED and later.status == FairStatus.OPEN
    with pytest.raises(ValidationError, match="over"):
        fairs.check_in(actor=world.users["district_a"], fair=over, token="x")


# ---- 16. an industry union covering the employer reviews its postings -------------------------------

def test_an_industry_union_covering_the_enterprise_reviews_its_postings(world):
    user = User.objects.create_user(username="hr_platform", mobile="13900000077", display_name="hr_platform")
    employer = services.register_employer(actor=user, uscc=world.enterprises["platform"].uscc,
                                          contact_name="周经理", contact_phone="13900000077")
    services.decide_employer(actor=world.users["district_a"], employer=employer, approve=True)
    data = factories.posting_data(world, title="外卖骑手站长", industry=world.enterprises["platform"].industry)
    posting = services.submit_posting(actor=user, **data)
    industry = world.users["industry"]
    assert JobPosting.objects.visible_to(industry, "employment.review").filter(pk=posting.pk).exists()
    assert not JobPosting.objects.visible_to(world.users["district_b"], "employment.review").filter(
        pk=posting.pk).exists()
    published = services.review_posting(actor=industry, posting=posting, approve=True)
    assert published.status == PostingStatus.PUBLISHED


# ---- 17. the row cap holds when the file does not say how many rows it has -------------------------

def test_the_row_cap_holds_without_a_row_count(world, monkeypatch):
    factories.employer(world)
    monkeypatch.setattr(exchange, "IMPORT_MAX_ROWS", 3)
    rows = (_row(world, 职位名称=f"岗位{n}") for n in range(5))
    records, errors = exchange.parse_rows(rows)
    assert len(records) == 3
    assert [(number, message) for number, _column, message in errors] == [
        (5, "At most 3 rows per file; the rest of the file was not read.")]


# ---- 10. the weekly archive for the HR bureau, fetched with its token ---------------------------------

def test_the_weekly_archive_is_written_and_listed_for_the_staff_in_scope(world):
    import io

    from openpyxl import load_workbook

    from gonghui.core.scheduler import jobs

    assert "employment.weekly_hr_archive" in {job.name for job in jobs()}
    posting = factories.posting(world)
    alice = factories.seeker(world, "alice", priority_groups=["veteran"])
    consent.grant(actor=world.users["alice"], subject=alice, purpose="share_hr_bureau", version="test")
    factories.seeker(world, "bob", priority_groups=["migrant_worker"])
    hired = []
    for username in ("alice", "bob"):
        application, _ = services.apply(actor=world.users[username], posting=posting,
                                        idempotency_key=f"archive-{username}")
        if username == "alice":
            hired.append(_hire(posting, application))
    factories.posting(world, "hr_b1", title="软件测试工程师", region=world.enterprises["b1"].region)
    written = exchange.write_weekly_archive()
    district_a = world.orgs["district_a"]
    mine = {f.original_name: f for f in written if f.organization_id == district_a.pk}
    day = f"{timezone.localdate():%Y%m%d}"
    assert set(mine) == {f"postings-{district_a.pk}-{day}.xlsx", f"placements-{district_a.pk}-{day}.xlsx"}
    client = world.client("district_a")
    page = client.get(reverse("employment:exchange")).content.decode()
    assert f"postings-{district_a.pk}-{day}.xlsx" in page
    city_file = next(f for f in written if f.organization_id == world.orgs["city"].pk)
    assert city_file.original_name not in page
    response = client.get(reverse("core:file_download", args=[mine[f"placements-{district_a.pk}-{day}.xlsx"].pk]))
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert [(row[1], row[-1]) for row in rows[1:]] == [(posting.pk, "veteran")]
    response = client.get(reverse("core:file_download", args=[mine[f"postings-{district_a.pk}-{day}.xlsx"].pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == [posting.title]
    assert world.client("district_b").get(reverse("core:file_download", args=[city_file.pk])).status_code == 404


def test_staff_export_consenting_seekers_and_placements_as_excel(world, django_capture_on_commit_callbacks):
    import io

    from openpyxl import load_workbook

    from gonghui.core import files
    from gonghui.core.models import Job

    posting = factories.posting(world)
    alice = factories.seeker(world, "alice", priority_groups=["veteran"])
    consent.grant(actor=world.users["alice"], subject=alice, purpose="share_hr_bureau", version="test")
    factories.seeker(world, "bob")  # no consent: never exported
    application, _ = services.apply(actor=world.users["alice"], posting=posting, idempotency_key="export-1")
    _hire(posting, application)
    client = world.client("city")
    today = timezone.localdate().isoformat()
    results = {}
    for what in ("seekers", "placements"):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("employment:exchange"), {"exp-since": today, "exp-until": today, "exp-what": what})
        job = Job.objects.get(kind=f"employment.export_{what}")
        assert job.status == "done"
        with files.storage().open(job.result_file.storage_name, "rb") as handle:
            results[what] = list(load_workbook(io.BytesIO(handle.read())).active.iter_rows(values_only=True))
    assert [row[1] for row in results["seekers"][1:]] == [alice.name]
    assert [(row[1], row[-1]) for row in results["placements"][1:]] == [(posting.pk, "veteran")]


def test_the_migration_rekeys_imported_postings_by_enterprise(world):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("gonghui.employment.migrations.0002_posting_import_key_unique")
    first = factories.posting(world, publish=False)
    second = factories.posting(world, publish=False)  # same enterprise, title and district
    JobPosting.objects.filter(pk=first.pk).update(external_key="old-1")
    JobPosting.objects.filter(pk=second.pk).update(external_key="old-2", status=PostingStatus.RETURNED)
    with transaction.atomic():
        migration.rekey_by_enterprise(apps, None)
    expected = exchange.dedupe_key(world.enterprises["a1"].pk, first.title, first.region_id)
    assert JobPosting.objects.get(pk=first.pk).external_key == expected
    assert JobPosting.objects.get(pk=second.pk).external_key == ""
