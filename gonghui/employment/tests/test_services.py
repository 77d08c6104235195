import secrets
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.core.models import AuditEvent
from gonghui.employment import matching, services
from gonghui.employment.choices import ApplicationStatus, ContactVisibility, EmployerStatus, PostingStatus
from gonghui.employment.models import Application, JobPosting, Placement
from gonghui.employment.tests import factories


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


# ---- employers ---------------------------------------------------------------------------------------

def test_an_employer_needs_an_enterprise_in_the_registry(world):
    user = User.objects.create_user(username="stranger", mobile="13900009999")
    with pytest.raises(ValidationError) as bad_code:
        services.register_employer(actor=user, uscc="91310115MA1K0000X", contact_name="张", contact_phone="13900009999")
    assert "uscc" in _errors(bad_code)
    from stdnum.cn import uscc

    unknown = "91310115MA1K77777" + uscc.calc_check_digit("91310115MA1K77777")
    with pytest.raises(ValidationError) as not_registered:
        services.register_employer(actor=user, uscc=unknown, contact_name="张", contact_phone="13900009999")
    assert "registered with the union" in " ".join(_errors(not_registered)["uscc"])


def test_an_unverified_employer_cannot_post(world):
    employer = factories.employer(world, "hr_a1", approve=False)
    assert employer.status == EmployerStatus.PENDING
    with pytest.raises(ValidationError) as excinfo:
        services.submit_posting(actor=employer.user, **factories.posting_data(world))
    assert "approved" in " ".join(_errors(excinfo)["title"])
    assert not JobPosting.objects.exists()


def test_district_b_cannot_approve_an_employer_of_district_a(world):
    employer = factories.employer(world, "hr_a1", approve=False)
    with pytest.raises(Http404):
        services.decide_employer(actor=world.users["district_b"], employer=employer, approve=True)
    employer.refresh_from_db()
    assert employer.status == EmployerStatus.PENDING


def test_suspending_an_employer_takes_its_postings_down(world):
    posting = factories.posting(world)
    services.decide_employer(actor=world.users["district_a"], employer=posting.employer, approve=False,
                             note="营业执照已吊销")
    posting.refresh_from_db()
    assert posting.status == PostingStatus.CLOSED
    assert matching.quick_match(text="数控车床") == []


# ---- postings: bad input -----------------------------------------------------------------------------

@pytest.mark.parametrize(("over", "field"), [
    ({"salary_min": Decimal("15000"), "salary_max": Decimal("9000")}, "salary_max"),
    ({"closes_on": timezone.localdate() - timedelta(days=1)}, "closes_on"),
    ({"description": "详情请看 <script>alert(1)</script>"}, "description"),
    ({"description": "投递简历请访问 http://jobs.example.com/apply"}, "description"),
    ({"title": "招聘 www.scam.cn"}, "title"),
    ({"salary_min": None, "salary_max": None}, "salary_min"),
    ({"contact_phone": "abc"}, "contact_phone"),
    ({"headcount": 0}, "headcount"),
])
def test_bad_postings_get_field_messages_and_nothing_is_written(world, over, field):
    employer = factories.employer(world)
    with pytest.raises(ValidationError) as excinfo:
        services.submit_posting(actor=employer.user, **factories.posting_data(world, **over))
    assert field in _errors(excinfo)
    assert not JobPosting.objects.exists()


def test_the_database_refuses_a_salary_minimum_above_the_maximum(world):
    posting = factories.posting(world, publish=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        JobPosting.objects.filter(pk=posting.pk).update(salary_min=Decimal("20000"))


def test_banned_requirements_block_publication_until_fixed(world):
    employer = factories.employer(world)
    posting = services.submit_posting(actor=employer.user, **factories.posting_data(
        world, description="限男性，本地户口，已婚已育优先，年龄35岁以下。"))
    codes = {f["code"]: f["severity"] for f in posting.findings}
    assert codes.get("gender") == "ban" and codes.get("age") == "flag"
    with pytest.raises(ValidationError) as excinfo:
        services.review_posting(actor=world.users["district_a"], posting=posting, approve=True)
    assert "Employment Promotion Law" in " ".join(_errors(excinfo)["note"])
    services.review_posting(actor=world.users["district_a"], posting=posting, approve=False, note="请删除性别、户籍要求")
    posting.refresh_from_db()
    assert posting.status == PostingStatus.RETURNED
    fixed = services.update_posting(actor=employer.user, posting=posting, **factories.posting_data(
        world, description="男女不限，年龄35岁以下，有数控经验。"))
    assert fixed.status == PostingStatus.PENDING
    assert {f["severity"] for f in fixed.findings} == {"flag"}  # the age limit is for the reviewer to judge
    published = services.review_posting(actor=world.users["district_a"], posting=fixed, approve=True)
    assert published.status == PostingStatus.PUBLISHED


def test_returning_a_posting_needs_a_reason_and_another_district_cannot_review(world):
    posting = factories.posting(world, publish=False)
    with pytest.raises(ValidationError):
        services.review_posting(actor=world.users["district_a"], posting=posting, approve=False, note="")
    with pytest.raises(Http404):
        services.review_posting(actor=world.users["district_b"], posting=posting, approve=True)


def test_the_employer_cannot_review_its_own_posting_even_as_union_staff(world):
    posting = factories.posting(world, publish=False)
    from gonghui.accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=posting.employer.user, role="district_admin", organization=world.orgs["city"])
    user = User.objects.get(pk=posting.employer.user_id)
    with pytest.raises(PermissionDenied):
        services.review_posting(actor=user, posting=posting, approve=True)


def test_an_edit_of_a_live_posting_takes_it_off_the_index_until_reviewed(world):
    posting = factories.posting(world)
    assert [r["posting"].pk for r in matching.quick_match(text="数控车床")] == [posting.pk]
    services.update_posting(actor=posting.employer.user, posting=posting, **factories.posting_data(world))
    assert matching.quick_match(text="数控车床") == []


# ---- seekers -----------------------------------------------------------------------------------------

def test_a_member_profile_belongs_to_their_union_and_a_non_member_to_the_city(world):
    alice = factories.seeker(world, "alice")
    assert alice.owner_organization == world.orgs["union_a1"] and alice.person is not None
    stranger = User.objects.create_user(username="walkin", mobile="13700000001")
    profile = services.save_seeker_profile(actor=stranger, name="赵六", mobile="13700000001")
    assert profile.owner_organization == world.orgs["city"] and profile.person is None


def test_bad_seeker_input_gets_field_messages(world):
    with pytest.raises(ValidationError) as excinfo:
        services.save_seeker_profile(actor=world.users["alice"], name="", mobile="123",
                                     summary="<script>x</script>", priority_groups=["nonsense"])
    assert {"name", "mobile", "summary", "priority_groups"} <= set(_errors(excinfo))


def test_the_seeker_decides_who_sees_the_mobile_and_full_reads_are_audited(world):
    alice = factories.seeker(world, "alice", contact_visibility=ContactVisibility.APPLIED)
    posting = factories.posting(world, "hr_a1")
    other = factories.employer(world, "hr_b1")
    with pytest.raises(PermissionDenied):
        services.reveal_contact(actor=posting.employer.user, seeker=alice)
    services.apply(actor=world.users["alice"], posting=posting, idempotency_key=secrets.token_hex(8))
    assert services.reveal_contact(actor=posting.employer.user, seeker=alice) == "13800000001"
    assert AuditEvent.objects.filter(action="sensitive.read", object_id=str(alice.pk)).count() == 1
    with pytest.raises(PermissionDenied):  # applied to a1, not to b1
        services.reveal_contact(actor=other.user, seeker=alice)
    services.save_seeker_profile(actor=world.users["alice"], name=alice.name, mobile=alice.mobile,
                                 contact_visibility=ContactVisibility.PRIVATE)
    alice.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.reveal_contact(actor=posting.employer.user, seeker=alice)
    # "Nobody" holds for union staff too; with "employers I apply to" her union's staff may see it,
    # another district may not.
    assert services.can_see_contact(world.users["union_a1"], alice) is False
    services.save_seeker_profile(actor=world.users["alice"], name=alice.name, mobile=alice.mobile,
                                 contact_visibility=ContactVisibility.APPLIED)
    alice.refresh_from_db()
    assert services.can_see_contact(world.users["union_a1"], alice) is True
    assert services.can_see_contact(world.users["district_b"], alice) is False


# ---- applications ------------------------------------------------------------------------------------

def test_a_repeated_submission_returns_the_first_application_and_a_second_one_is_refused(world):
    posting = factories.posting(world)
    factories.seeker(world, "alice")
    first, created = services.apply(actor=world.users["alice"], posting=posting, idempotency_key="key-aaaa-1")
    again, created_again = services.apply(actor=world.users["alice"], posting=posting, idempotency_key="key-aaaa-1")
    assert created and not created_again and first.pk == again.pk
    with pytest.raises(ValidationError) as excinfo:
        services.apply(actor=world.users["alice"], posting=posting, idempotency_key="key-bbbb-2")
    assert "already applied" in " ".join(_errors(excinfo)["posting"])
    assert Application.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(posting=posting, seeker=first.seeker, idempotency_key="key-cccc-3",
                                   owner_organization=posting.owner_organization)


def test_applying_needs_a_profile_and_an_open_posting(world):
    posting = factories.posting(world)
    with pytest.raises(ValidationError):
        services.apply(actor=world.users["alice"], posting=posting, idempotency_key="key-dddd-1")
    factories.seeker(world, "alice")
    services.close_posting(actor=posting.employer.user, posting=posting)
    with pytest.raises(ValidationError) as excinfo:
        services.apply(actor=world.users["alice"], posting=posting, idempotency_key="key-dddd-2")
    assert "no longer open" in " ".join(_errors(excinfo)["posting"])


@pytest.mark.parametrize(("path", "refused"), [
    (["viewed", "interview", "offer", "hired"], None),
    (["viewed", "rejected"], None),
    (["interview"], "hired"),
    (["viewed"], "offer"),
    (["viewed", "interview", "offer", "hired"], "rejected"),
    ([], "submitted"),
])
def test_every_application_move(world, path, refused):
    posting = factories.posting(world)
    factories.seeker(world, "alice")
    application, _ = services.apply(actor=world.users["alice"], posting=posting, idempotency_key="key-move-1")
    employer_user = posting.employer.user
    for step in path:
        application = services.move_application(actor=employer_user, application=application, status=step)
    if refused:
        with pytest.raises(ValidationError):
            services.move_application(actor=employer_user, application=application, status=refused)
    assert Placement.objects.filter(application=application).exists() == ("hired" in path)


def test_only_the_posting_employer_moves_its_applications(world):
    posting = factories.posting(world)
    factories.seeker(world, "alice")
    other = factories.employer(world, "hr_b1")
    application, _ = services.apply(actor=world.users["alice"], posting=posting, idempotency_key="key-own-1")
    for actor in (other.user, world.users["district_a"], world.users["alice"]):
        with pytest.raises(Http404):
            services.move_application(actor=actor, application=application, status="viewed")


def test_hiring_the_whole_head_count_closes_the_posting(world):
    posting = factories.posting(world, headcount=1)
    factories.seeker(world, "alice")
    application, _ = services.apply(actor=world.users["alice"], posting=posting, idempotency_key="key-head-1")
    for step in ("interview", "offer", "hired"):
        application = services.move_application(actor=posting.employer.user, application=application, status=step)
    posting.refresh_from_db()
    assert posting.status == PostingStatus.CLOSED


def test_the_seeker_withdraws_or_declines_an_offer_but_not_after_the_hire(world):
    posting = factories.posting(world)
    factories.seeker(world, "alice")
    application, _ = services.apply(actor=world.users["alice"], posting=posting, idempotency_key="key-wd-1")
    with pytest.raises(Http404):
        services.withdraw_application(actor=world.users["bob"], application=application)
    for step in ("interview", "offer"):
        application = services.move_application(actor=posting.employer.user, application=application, status=step)
    declined = services.withdraw_application(actor=world.users["alice"], application=application)
    assert declined.status == ApplicationStatus.WITHDRAWN
    assert declined.events.last().note == "Offer declined"
    assert AuditEvent.objects.filter(action="employment.application_decline", object_id=str(declined.pk)).exists()
    factories.seeker(world, "bob")
    hired, _ = services.apply(actor=world.users["bob"], posting=posting, idempotency_key="key-wd-2")
    for step in ("interview", "offer", "hired"):
        hired = services.move_application(actor=posting.employer.user, application=hired, status=step)
    with pytest.raises(ValidationError):
        services.withdraw_application(actor=world.users["bob"], application=hired)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_submissions_racing_leave_one_application():
    """Real threads, real transactions: alice's double tap with two different keys gives one application."""
    import threading

    from django.db import connection

    from gonghui.core.testing.personas import build_world

    world = build_world()
    posting = factories.posting(world)
    factories.seeker(world, "alice")
    results, barrier = [], threading.Barrier(4)

    def tap(i):
        try:
            barrier.wait()
            _app, created = services.apply(actor=world.users["alice"], posting=posting, idempotency_key=f"race-key-{i}")
            results.append("created" if created else "same")
        except ValidationError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=tap, args=(i,)) for i in range(4)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert results.count("created") == 1 and results.count("refused") == 3
    assert Application.objects.count() == 1
