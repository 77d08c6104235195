"""Joining online: routing, every transition of the join workflow, the e-card, bad input and the race of two
simultaneous applications for one person."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404

from gonghui.accounts.models import User
from gonghui.hall import services as hall
from gonghui.hall.models import ServiceRequest
from gonghui.members import services as members
from gonghui.members.choices import EmploymentForm, MembershipStatus
from gonghui.members.models import MemberCard, Membership, Person
from gonghui.organizing import services
from gonghui.organizing.choices import JoinRoute
from gonghui.organizing.models import JoinApplication
from gonghui.organizing.routing import route_join
from gonghui.orgs.models import Region

CAROL_ID = "31011519950618004X"
NEW_ID = "310104199201150019"  # valid: Xuhui region code, 1992-01-15


def _data(world, **over):
    data = {"name": "陈可乐", "id_number": CAROL_ID, "mobile": "13800000003",
            "employment_form": EmploymentForm.FOOD_DELIVERY, "employer": None, "employer_name": "",
            "platform": world.enterprises["platform"], "occupation": "外卖骑手", "skill_level": "",
            "home_region": Region.objects.get(code="310115"), "home_street": None, "chosen_union": None}
    data.update(over)
    return data


def _apply(world, user="carol", key="k1", **over):
    return services.apply_to_join(actor=world.users[user], data=_data(world, **over), idempotency_key=key)


# ---- routing ----------------------------------------------------------------------------------------------


def test_routing_order(world):
    o, e = world.orgs, world.enterprises
    region_a = Region.objects.get(code="310115")
    assert route_join(chosen_union=o["union_b1"], employer=e["a1"]) == (o["union_b1"], JoinRoute.CHOSEN)
    assert route_join(employer=e["a1"], home_region=region_a) == (o["union_a1"], JoinRoute.EMPLOYER_UNION)
    assert route_join(platform=e["platform"], home_region=region_a) == (o["industry"], JoinRoute.PLATFORM_COVERAGE)
    assert route_join(employer=e["a_no_union"], home_street=o["street_a"], home_region=region_a) == (
        o["street_a"], JoinRoute.HOME_STREET)
    assert route_join(home_region=region_a) == (o["district_a"], JoinRoute.HOME_DISTRICT)
    assert route_join(home_region=Region.objects.get(code="310104")) == (o["district_b"], JoinRoute.HOME_DISTRICT)
    assert route_join() == (o["city"], JoinRoute.CITY)


def test_employer_covered_by_a_federation_routes_there(world):
    from gonghui.orgs import services as orgs
    from gonghui.orgs.choices import CoverageKind

    orgs.add_coverage(actor=None, covering=world.orgs["park_a"], kind=CoverageKind.PARK,
                      target_enterprise=world.enterprises["a_no_union"])
    assert route_join(employer=world.enterprises["a_no_union"]) == (world.orgs["park_a"], JoinRoute.EMPLOYER_COVERAGE)


# ---- the workflow -------------------------------------------------------------------------------------------


def test_carol_joins_through_the_federation_covering_her_platform(world):
    request, created = _apply(world)
    assert created and request.handling_organization == world.orgs["industry"]
    assert request.join.route == JoinRoute.PLATFORM_COVERAGE and request.status == "submitted"
    assert request.service_type.deadline_days == 15 and request.due_date is not None
    # Nothing is a member before the union accepts.
    assert not Membership.objects.filter(person__user=world.users["carol"]).exists()
    hall.transition(actor=world.users["industry"], request=request, name="accept")
    membership = Membership.objects.get(person__user=world.users["carol"], status=MembershipStatus.ACTIVE)
    assert membership.union == world.orgs["industry"] and len(membership.member_number) == 16
    assert membership.events.get().kind == "joined"
    card = MemberCard.objects.get(membership=membership, revoked_at__isnull=True)
    check = members.verify_card_token(members.card_token(card))
    assert check.valid and check.masked_name == "陈*乐" and check.union == str(world.orgs["industry"])
    assert JoinApplication.objects.get(request=request).is_open is False
    person = Person.objects.get(user=world.users["carol"])
    assert person.occupation == "外卖骑手" and person.platform_name == "上海同城外卖信息技术有限公司"


def test_reject_needs_a_reason_the_applicant_reads(world):
    request, _ = _apply(world)
    with pytest.raises(ValidationError) as error:
        hall.transition(actor=world.users["industry"], request=request, name="reject")
    assert "note" in error.value.message_dict
    hall.transition(actor=world.users["industry"], request=request, name="reject", note="请先补充平台注册信息")
    request.refresh_from_db()
    assert request.status == "rejected" and not request.join.is_open
    public = request.events.filter(public=True).values_list("note", flat=True)
    assert "请先补充平台注册信息" in list(public)
    # Rejected: a new application is possible.
    again, created = _apply(world, key="k2")
    assert created and again.pk != request.pk


def test_ask_for_information_answer_and_withdraw(world):
    request, _ = _apply(world)
    hall.transition(actor=world.users["industry"], request=request, name="request_materials", note="请上传骑手证")
    request.refresh_from_db()
    assert request.status == "awaiting_materials" and request.due_date is None
    hall.transition(actor=world.users["carol"], request=request, name="supplement")
    request.refresh_from_db()
    assert request.status == "submitted" and request.due_date is not None
    hall.transition(actor=world.users["carol"], request=request, name="withdraw")
    request.refresh_from_db()
    assert request.status == "withdrawn" and not request.join.is_open


def test_forbidden_steps(world):
    request, _ = _apply(world)
    # A union outside the route cannot see it; the applicant cannot accept it; a member cannot accept.
    with pytest.raises(Http404):
        hall.transition(actor=world.users["union_a1"], request=request, name="accept")
    with pytest.raises(PermissionDenied):
        hall.transition(actor=world.users["carol"], request=request, name="accept")
    with pytest.raises(ValidationError):
        hall.transition(actor=world.users["industry"], request=request, name="no_such_step")
    with pytest.raises(PermissionDenied):
        hall.transition(actor=world.users["alice"], request=request, name="accept")
    with pytest.raises(Http404):
        hall.transition(actor=world.users["alice"], request=request, name="withdraw")
    hall.transition(actor=world.users["industry"], request=request, name="accept")
    with pytest.raises(ValidationError):
        hall.transition(actor=world.users["industry"], request=request, name="reject", note="x")
    with pytest.raises(ValidationError):
        hall.transition(actor=world.users["carol"], request=request, name="withdraw")


def test_overdue_application_escalates_to_the_union_above(world):
    from datetime import timedelta

    from django.utils import timezone

    request, _ = _apply(world)
    ServiceRequest.objects.filter(pk=request.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    hall.escalate_overdue()
    request.refresh_from_db()
    assert request.handling_organization == world.orgs["city"]
    # The city may now accept it, on behalf of the union it was routed to.
    hall.transition(actor=world.users["city"], request=request, name="accept")
    assert Membership.objects.get(person__user=world.users["carol"]).union == world.orgs["industry"]


# ---- bad input ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("id_number, message", [
    ("31011519950618004", "18 characters"),
    ("310115199506180041", "check character"),
    ("310115199502300040", "impossible birth date or region"),  # 30 February, check character right
    ("999999199506180045", "impossible birth date or region"),  # a region that never existed, check character right
])
def test_bad_id_numbers_get_a_field_message(world, id_number, message):
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError) as error:
        _apply(world, id_number=id_number)
    assert message in " ".join(error.value.message_dict["id_number"])


def test_other_bad_input(world):
    with pytest.raises(ValidationError) as error:
        _apply(world, name=" ", mobile="12345", employment_form="pilot", home_region=None)
    assert {"name", "mobile", "employment_form", "home_region"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError) as error:
        _apply(world, home_street=world.orgs["street_b"])  # a street in another district
    assert "home_street" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _apply(world, employment_form=EmploymentForm.EMPLOYEE, platform=None)
    assert "employer" in error.value.message_dict


def test_a_member_is_told_to_transfer(world):
    with pytest.raises(ValidationError) as error:
        _apply(world, user="alice", name="李爱丽", id_number="310101199003070027")
    assert "already a member" in str(error.value)


def test_someone_elses_id_number_is_refused_without_saying_whose(world):
    from django.utils import translation

    world.users["eve"] = User.objects.create_user(username="eve", mobile="13800000008", display_name="伊")
    with translation.override("en"), pytest.raises(ValidationError) as error:
        _apply(world, user="eve", id_number="310104198811230011", name="王博")  # bob's, a member of union_b1
    message = str(error.value)
    assert "cannot be used to apply online" in message and str(world.orgs["union_b1"]) not in message


def test_a_file_without_account_is_claimed_only_by_the_same_name(world):
    from django.utils import translation

    from gonghui.accounts.models import User

    Person.objects.create(name="赵六", id_number=NEW_ID, employment_form=EmploymentForm.COURIER,
                          owner_organization=world.orgs["street_b"])
    dave = User.objects.create_user(username="dave", mobile="13800000009", display_name="冒名")
    world.users["dave"] = dave
    with translation.override("en"), pytest.raises(ValidationError):
        _apply(world, user="dave", id_number=NEW_ID, name="冒名", mobile="13800000009")
    request, created = _apply(world, user="dave", id_number=NEW_ID, name="赵六", mobile="13800000009",
                              platform=None, employer_name="快递站", employment_form=EmploymentForm.COURIER)
    assert created
    hall.transition(actor=world.users["district_a"], request=request, name="accept")
    person = Person.objects.get(id_number_bidx=Person.objects.get(user=dave).id_number_bidx)
    assert person.name == "赵六" and person.user == dave


def test_no_online_union_for_the_district_is_said_before_filing(world):
    from gonghui.orgs.models import Organization

    Organization.objects.filter(pk=world.orgs["district_a"].pk).update(is_active=False)
    with pytest.raises(ValidationError) as error:
        _apply(world, platform=None, employer_name="某平台")
    assert "home_region" in error.value.message_dict and not JoinApplication.objects.exists()


def test_join_attempts_are_limited_per_account(world, settings):
    settings.GONGHUI_JOIN_ATTEMPTS_PER_HOUR = 2
    for key in ("a", "b"):
        with pytest.raises(ValidationError):
            _apply(world, key=key, id_number="310115199506180041")  # wrong check character
    with pytest.raises(ValidationError) as error:
        _apply(world, key="c")
    assert "id_number" in error.value.message_dict and not JoinApplication.objects.exists()


def test_double_tap_returns_the_first_application(world):
    first, created = _apply(world, key="same")
    again, created_again = _apply(world, key="same")
    assert created and not created_again and first.pk == again.pk
    with pytest.raises(ValidationError) as error:
        _apply(world, key="other")
    assert "already being handled" in str(error.value)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_applications_for_one_person():
    """Two accounts (a new phone, say) apply with one ID number at the same moment: one application only."""
    from gonghui.core.testing.personas import build_world

    world = build_world()
    users = [User.objects.create_user(username=f"dup{i}", mobile=f"1390000000{i}", display_name="重复") for i in (1, 2)]
    barrier = threading.Barrier(2)
    results = []

    def attempt(user):
        try:
            barrier.wait()
            data = _data(world, name="张三", id_number=NEW_ID, mobile=user.mobile, platform=None,
                         employment_form=EmploymentForm.COURIER, employer_name="快递站")
            results.append(services.apply_to_join(actor=user, data=data, idempotency_key=f"race-{user.pk}")[1])
        except ValidationError as error:
            results.append(error.message_dict)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 2 and results.count(True) == 1, results
    loser = next(r for r in results if r is not True)
    assert "id_number" in loser  # a clear field message, not a crash
    assert JoinApplication.objects.filter(is_open=True).count() == 1


def test_accepting_a_person_who_became_a_member_meanwhile_fails_cleanly(world):
    request, _ = _apply(world)
    person = Person.objects.get(user=world.users["carol"])
    members.admit(actor=None, person=person, union=world.orgs["district_a"])  # e.g. a roster import
    with pytest.raises(ValidationError):
        hall.transition(actor=world.users["industry"], request=request, name="accept")
    request.refresh_from_db()
    assert request.status == "submitted"  # nothing half-done
    assert Membership.objects.filter(person=person).count() == 1
