"""Hall stories: submitting (online, walk-in, twice), materials, rating and rectification, reminders and
escalation."""

import json
import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import Http404

from gonghui.core.models import Notification
from gonghui.hall import services
from gonghui.hall.choices import Channel, RectificationStatus
from gonghui.hall.models import ServiceRequest, ServiceType

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


@pytest.fixture
def service(db):
    return ServiceType.objects.get(code="general-consultation")


def test_alice_applies_online_and_her_union_handles_it(world, service, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request, created = services.submit_request(actor=world.users["alice"], service_type=service,
                                                   summary="咨询加班费", idempotency_key="k1")
    assert created and request.handling_organization == world.orgs["union_a1"]
    assert request.reference.startswith("GH") and request.status == "submitted" and request.due_date > date.today()
    assert Notification.objects.filter(user=world.users["alice"], title__contains=request.reference).exists()
    assert Notification.objects.filter(user=world.users["union_a1"], title__contains=request.reference).exists()


def test_references_are_readable_and_unique_per_day(world, service):
    refs = [services.submit_request(actor=world.users["alice"], service_type=service, summary="x",
                                    idempotency_key=f"r{i}")[0].reference for i in range(3)]
    assert len(set(refs)) == 3 and all(len(r) == len("GH20261125-00001") for r in refs)


def test_a_second_submit_of_the_same_form_returns_the_first_request(world, service):
    first, created = services.submit_request(actor=world.users["alice"], service_type=service, summary="x",
                                             idempotency_key="same")
    again, created_again = services.submit_request(actor=world.users["alice"], service_type=service, summary="x",
                                                   idempotency_key="same")
    assert created and not created_again and again.pk == first.pk
    assert ServiceRequest.objects.filter(idempotency_key="same").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_identical_submissions_racing_create_one_request():
    from gonghui.core.testing.personas import build_world

    world = build_world()
    service = ServiceType.objects.get(code="general-consultation")
    results, barrier = [], threading.Barrier(4)

    def submit():
        try:
            barrier.wait()
            results.append(services.submit_request(actor=world.users["alice"], service_type=service, summary="x",
                                                   idempotency_key="race")[0].pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert len(results) == 4 and len(set(results)) == 1
    assert ServiceRequest.objects.filter(idempotency_key="race").count() == 1


@pytest.mark.parametrize(("summary", "field"), [("", "summary"), ("   ", "summary"), ("x" * 2001, "summary")])
def test_bad_summaries_get_a_field_message(world, service, summary, field):
    with pytest.raises(ValidationError) as info:
        services.submit_request(actor=world.users["alice"], service_type=service, summary=summary,
                                idempotency_key="bad")
    assert field in info.value.message_dict
    assert not ServiceRequest.objects.exists() or not ServiceRequest.objects.filter(idempotency_key="bad").exists()


def test_uploads_are_checked_by_content_and_size(world, service):
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as info:
        services.submit_request(actor=world.users["alice"], service_type=service, summary="x",
                                idempotency_key="up1", uploads=[fake])
    assert "attachment" in info.value.message_dict
    assert not ServiceRequest.objects.filter(idempotency_key="up1").exists()  # nothing half-written
    big = SimpleUploadedFile("big.png", PNG + b"0" * (11 * 1024 * 1024), content_type="image/png")
    with pytest.raises(ValidationError):
        services.submit_request(actor=world.users["alice"], service_type=service, summary="x",
                                idempotency_key="up2", uploads=[big])
    ok = SimpleUploadedFile("contract.png", PNG, content_type="image/png")
    request, _ = services.submit_request(actor=world.users["alice"], service_type=service, summary="x",
                                         idempotency_key="up3", uploads=[ok])
    attachment = request.attachments.get()
    assert attachment.file.content_type == "image/png" and attachment.file.organization == request.handling_organization


def test_member_only_services_refuse_non_members(world, service):
    service.applicant_kind = "member"
    service.save()
    with pytest.raises(ValidationError) as info:
        services.submit_request(actor=world.users["carol"], service_type=service, summary="x", idempotency_key="m")
    assert "service_type" in info.value.message_dict
    services.submit_request(actor=world.users["alice"], service_type=service, summary="x", idempotency_key="m2")


def test_staff_enter_a_hotline_call_only_for_unions_in_scope(world, service):
    request, _ = services.submit_request(
        actor=world.users["union_a1"], service_type=service, summary="来电咨询工伤认定", idempotency_key="tel1",
        channel=Channel.HOTLINE, applicant_name="赵师傅", applicant_mobile="13911112222",
        organization=world.orgs["union_a1"])
    assert request.applicant is None and request.entered_by == world.users["union_a1"]
    assert request.channel == Channel.HOTLINE
    with pytest.raises(Http404):
        services.submit_request(actor=world.users["union_a1"], service_type=service, summary="x",
                                idempotency_key="tel2", channel=Channel.WALK_IN, applicant_name="钱",
                                organization=world.orgs["union_b1"])
    with pytest.raises(PermissionDenied):
        services.submit_request(actor=world.users["alice"], service_type=service, summary="x",
                                idempotency_key="tel3", channel=Channel.WALK_IN, applicant_name="钱",
                                organization=world.orgs["union_a1"])


def _closed(world, service, key="c"):
    request, _ = services.submit_request(actor=world.users["alice"], service_type=service, summary="x",
                                         idempotency_key=key)
    services.transition(actor=world.users["union_a1"], request=request, name="accept")
    return services.transition(actor=world.users["union_a1"], request=request, name="complete", note="已答复")


def test_a_bad_rating_is_verified_fixed_and_answered(world, service, settings, tmp_path,
                                                     django_capture_on_commit_callbacks):
    settings.RATING_PUSH_FILE = tmp_path / "push.jsonl"
    request = _closed(world, service)
    with django_capture_on_commit_callbacks(execute=True):
        rating = services.rate(actor=world.users["alice"], request=request, score=2, comment="答复太慢")
    rectification = rating.rectification
    assert rectification.status == RectificationStatus.OPEN and rectification.organization == world.orgs["union_a1"]
    pushed = json.loads(settings.RATING_PUSH_FILE.read_text().splitlines()[-1])
    assert pushed["reference"] == request.reference and pushed["score"] == 2
    with pytest.raises(Http404):
        services.advance_rectification(actor=world.users["district_b"], rectification=rectification, text="x")
    with pytest.raises(ValidationError):
        services.advance_rectification(actor=world.users["union_a1"], rectification=rectification, text=" ")
    for text in ("经核实，受理后 3 天才回复", "已调整值班安排，当日回复", "感谢您的意见，我们已改进。"):
        rectification = services.advance_rectification(actor=world.users["union_a1"], rectification=rectification,
                                                        text=text)
    assert rectification.status == RectificationStatus.ANSWERED and rectification.answered_at
    assert request.events.filter(kind="rectification", public=True, note__contains="感谢").exists()
    # The union above sees the rating and its rectification.
    from gonghui.hall.selectors import ratings

    assert ratings(world.users["district_a"]).filter(pk=rating.pk).exists()
    assert not ratings(world.users["district_b"]).filter(pk=rating.pk).exists()
    with pytest.raises(ValidationError):
        services.advance_rectification(actor=world.users["union_a1"], rectification=rectification, text="again")


def test_ratings_are_for_the_applicant_once_after_closing(world, service):
    open_request, _ = services.submit_request(actor=world.users["alice"], service_type=service, summary="x",
                                              idempotency_key="o")
    with pytest.raises(ValidationError):
        services.rate(actor=world.users["alice"], request=open_request, score=5)
    request = _closed(world, service)
    with pytest.raises(Http404):
        services.rate(actor=world.users["bob"], request=request, score=1)
    for bad in (0, 6):
        with pytest.raises(ValidationError):
            services.rate(actor=world.users["alice"], request=request, score=bad)
    rating = services.rate(actor=world.users["alice"], request=request, score=5)
    assert not hasattr(rating, "rectification") or rating.rectification is None
    with pytest.raises(ValidationError):
        services.rate(actor=world.users["alice"], request=request, score=4)


def test_an_overdue_request_escalates_to_the_union_above_once(world, service):
    request, _ = services.submit_request(actor=world.users["alice"], service_type=service, summary="x",
                                         idempotency_key="late")
    ServiceRequest.objects.filter(pk=request.pk).update(due_date=date(2026, 11, 2))
    assert services.escalate_overdue(today=date(2026, 11, 4)) == 1
    request.refresh_from_db()
    assert request.handling_organization == world.orgs["street_a"] and request.escalation_count == 1
    assert request.owner_organization == world.orgs["union_a1"]
    assert request.events.filter(kind="escalated").exists()
    # Not again the next day; again three working days later, one level up.
    assert services.escalate_overdue(today=date(2026, 11, 5)) == 0
    assert services.escalate_overdue(today=date(2026, 11, 9)) == 1
    request.refresh_from_db()
    assert request.handling_organization == world.orgs["district_a"]
    # The escalated union sees it in its overdue tab.
    from gonghui.hall.selectors import inbox

    assert inbox(world.users["district_a"], tab="overdue").filter(pk=request.pk).exists()


def test_closed_and_paused_requests_do_not_escalate(world, service):
    closed = _closed(world, service, key="cl")
    ServiceRequest.objects.filter(pk=closed.pk).update(due_date=date(2026, 11, 2))
    paused, _ = services.submit_request(actor=world.users["alice"], service_type=service, summary="x",
                                        idempotency_key="pa")
    services.transition(actor=world.users["union_a1"], request=paused, name="request_materials", note="请补充")
    services.escalate_overdue(today=date(2026, 12, 30))
    for request in (closed, paused):
        request.refresh_from_db()
        assert request.escalation_count == 0 and request.handling_organization == world.orgs["union_a1"]


def test_handlers_are_reminded_before_the_due_date_once_a_day(world, service, django_capture_on_commit_callbacks):
    request, _ = services.submit_request(actor=world.users["alice"], service_type=service, summary="x",
                                         idempotency_key="rem")
    ServiceRequest.objects.filter(pk=request.pk).update(due_date=date(2026, 11, 26))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_due(today=date(2026, 11, 25)) == 1
    assert services.remind_due(today=date(2026, 11, 25)) == 0
    assert Notification.objects.filter(user=world.users["union_a1"], title__contains="2026-11-26").exists()
    # Far from the due date nobody is disturbed.
    ServiceRequest.objects.filter(pk=request.pk).update(last_reminded_on=None, due_date=date(2026, 12, 31))
    assert services.remind_due(today=date(2026, 11, 26)) == 0


def test_bulk_assign_needs_both_people_in_scope(world, service):
    request, _ = services.submit_request(actor=world.users["alice"], service_type=service, summary="x",
                                         idempotency_key="as")
    assert services.assign(actor=world.users["district_a"], requests=[request], assignee=world.users["union_a1"]) == 1
    with pytest.raises(ValidationError):
        services.assign(actor=world.users["district_a"], requests=[request], assignee=world.users["district_b"])
    with pytest.raises(Http404):
        services.assign(actor=world.users["district_b"], requests=[request], assignee=world.users["district_b"])
    request.refresh_from_db()
    assert request.assigned_to == world.users["union_a1"]


def test_due_dates_count_working_days(world, service):
    request, _ = services.submit_request(actor=world.users["alice"], service_type=service, summary="x",
                                         idempotency_key="due")
    from gonghui.hall.calendar import working_days_between

    assert working_days_between(request.submitted_at.date(), request.due_date) in (5, 6)
    assert request.due_date - request.submitted_at.date() >= timedelta(days=5)
