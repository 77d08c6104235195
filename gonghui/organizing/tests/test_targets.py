"""Targets: set from above, validated field by field, and measured against the member files."""

import itertools
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from gonghui.core.models import AuditEvent
from gonghui.members.choices import EmploymentForm, MembershipStatus
from gonghui.members.models import Membership, Person
from gonghui.organizing import establishment, targets
from gonghui.organizing.models.establishment import EstablishmentOutcome
from gonghui.organizing.models.targets import Target, TargetGroup, TargetMetric

YEAR = 2019  # a past year: nothing else in the personas joined then


_numbers = itertools.count(1)


def _member(world, union_key, form, joined_on, *, status=MembershipStatus.ACTIVE):
    n = next(_numbers)
    person = Person.objects.create(name=f"工{n}", employment_form=form, owner_organization=world.orgs[union_key])
    return Membership.objects.create(person=person, union=world.orgs[union_key], status=status,
                                     member_number=f"T{n:08d}", joined_on=joined_on)


def _set(world, actor, org_key, value=100, metric=TargetMetric.MEMBERS_JOINED, group=TargetGroup.NEW_EMPLOYMENT,
         year=YEAR):
    return targets.set_target(actor=world.users[actor], organization=world.orgs[org_key], year=year, metric=metric,
                              group=group, value=value)


# ------------------------------------------------------------------------------------------- who sets


def test_targets_are_set_by_the_level_above(world):
    target = _set(world, "city", "district_a", 40)
    assert target.set_by == world.users["city"]
    assert _set(world, "district_a", "street_a", 10).organization == world.orgs["street_a"]
    assert _set(world, "city", "city", 30000).organization == world.orgs["city"]  # the top sets its own
    with pytest.raises(ValidationError) as error:
        _set(world, "district_a", "district_a", 50)  # not its own
    assert "organization" in error.value.message_dict
    with pytest.raises(Http404):
        _set(world, "district_b", "street_a", 10)  # another district's street
    with pytest.raises(PermissionDenied):
        _set(world, "union_a1", "union_a1", 10)  # grassroots cadres do not set targets
    assert targets.can_set_for(world.users["district_a"], world.orgs["union_a1"])
    assert not targets.can_set_for(world.users["district_a"], world.orgs["district_a"])
    settable = set(targets.settable_organizations(world.users["district_a"]).values_list("pk", flat=True))
    assert world.orgs["street_a"].pk in settable and world.orgs["district_a"].pk not in settable
    assert world.orgs["district_b"].pk not in settable


def test_setting_again_changes_the_one_target_and_is_audited(world):
    first = _set(world, "city", "district_a", 40)
    second = _set(world, "city", "district_a", 55)
    assert first.pk == second.pk and Target.objects.get(pk=first.pk).value == 55
    change = AuditEvent.objects.get(action="target.change", object_id=str(first.pk))
    assert change.before == {"value": 40} and change.after == {"value": 55}
    assert AuditEvent.objects.filter(action="target.set", object_id=str(first.pk)).exists()


def test_delete_only_from_above(world):
    target = _set(world, "city", "district_a", 40)
    with pytest.raises(Http404):
        targets.delete_target(actor=world.users["district_a"], target=target)
    targets.delete_target(actor=world.users["city"], target=target)
    assert not Target.objects.filter(pk=target.pk).exists()


@pytest.mark.parametrize("kwargs,field", [
    ({"year": 1999}, "year"),
    ({"value": 0}, "value"),
    ({"metric": "bogus"}, "metric"),
    ({"group": "bogus"}, "group"),
    ({"metric": TargetMetric.ESTABLISHMENT_RATE, "group": TargetGroup.ALL, "value": 101}, "value"),
    ({"metric": TargetMetric.ESTABLISHMENT_RATE, "group": TargetGroup.COURIER, "value": 90}, "group"),
])
def test_bad_target_input(world, kwargs, field):
    data = {"year": YEAR, "metric": TargetMetric.MEMBERS_JOINED, "group": TargetGroup.ALL, "value": 10, **kwargs}
    with pytest.raises(ValidationError) as error:
        targets.set_target(actor=world.users["city"], organization=world.orgs["district_a"], **data)
    assert field in error.value.message_dict
    assert not Target.objects.exists()


# ---------------------------------------------------------------------------------------------- measured


def test_gig_workers_joined_counts_the_group_the_year_and_the_subtree(world):
    _member(world, "union_a2", EmploymentForm.FOOD_DELIVERY, date(YEAR, 3, 1))
    _member(world, "union_a2", EmploymentForm.COURIER, date(YEAR, 6, 30))
    _member(world, "district_a", EmploymentForm.DOMESTIC_WORKER, date(YEAR, 12, 31))
    _member(world, "union_a1", EmploymentForm.EMPLOYEE, date(YEAR, 5, 5))  # not a gig worker
    _member(world, "union_a2", EmploymentForm.COURIER, date(YEAR - 1, 12, 31))  # last year
    _member(world, "union_a2", EmploymentForm.COURIER, date(YEAR, 2, 2),
            status=MembershipStatus.TRANSFERRED)  # the old side of a transfer
    _member(world, "union_b1", EmploymentForm.FOOD_DELIVERY, date(YEAR, 4, 4))  # district B
    orgs = [world.orgs[k] for k in ("district_a", "district_b", "street_a", "union_a1", "city")]
    gig = targets.actuals(TargetMetric.MEMBERS_JOINED, TargetGroup.NEW_EMPLOYMENT, YEAR, orgs)
    assert gig == {world.orgs["district_a"].pk: 3, world.orgs["district_b"].pk: 1, world.orgs["street_a"].pk: 2,
                   world.orgs["union_a1"].pk: 0, world.orgs["city"].pk: 4}
    priority = targets.actuals(TargetMetric.MEMBERS_JOINED, TargetGroup.PRIORITY, YEAR, [world.orgs["district_a"]])
    assert priority == {world.orgs["district_a"].pk: 2}
    couriers = targets.actuals(TargetMetric.MEMBERS_JOINED, TargetGroup.COURIER, YEAR, [world.orgs["district_a"]])
    assert couriers == {world.orgs["district_a"].pk: 1}
    everyone = targets.actuals(TargetMetric.MEMBERS_JOINED, TargetGroup.ALL, YEAR, [world.orgs["district_a"]])
    assert everyone == {world.orgs["district_a"].pk: 4}


def test_progress_of_targets(world):
    city_target = _set(world, "city", "city", 8)
    district_target = _set(world, "city", "district_a", 4)
    rate_target = _set(world, "city", "district_a", 90, metric=TargetMetric.ESTABLISHMENT_RATE, group=TargetGroup.ALL)
    established = _set(world, "city", "district_a", 2, metric=TargetMetric.UNIONS_ESTABLISHED, group=TargetGroup.ALL,
                       year=timezone.localdate().year)
    for month in (1, 2, 3, 4, 5):
        _member(world, "union_a2", EmploymentForm.FOOD_DELIVERY, date(YEAR, month, 1))
    rows = {row["target"].pk: row for row in targets.progress([city_target, district_target, rate_target,
                                                               established])}
    assert (rows[city_target.pk]["actual"], rows[city_target.pk]["share"], rows[city_target.pk]["bar"]) == (5, 62.5, 62)
    assert (rows[district_target.pk]["share"], rows[district_target.pk]["bar"]) == (125.0, 100)
    rate_before = rows[rate_target.pk]["actual"]
    assert rows[established.pk]["actual"] == 0
    chip = world.enterprises["a_no_union"]
    case = establishment.open_case(actor=world.users["district_a"], upper=chip.owner_organization,
                                   outcome=EstablishmentOutcome.GRASSROOTS, proposed_name="芯片工会",
                                   enterprises=[chip])
    for name, role in (("甲", "leader"), ("乙", "member"), ("丙", "member")):
        establishment.add_preparatory_member(actor=world.users["district_a"], case=case, name=name, role=role)
    establishment.record_election(actor=world.users["district_a"], case=case, election_date=timezone.localdate(),
                                  committee=["甲", "乙", "丙"], chair_name="甲")
    establishment.approve(actor=world.users["district_a"], case=case)
    rows = {row["target"].pk: row for row in targets.progress([rate_target, established])}
    assert rows[rate_target.pk]["actual"] > rate_before
    assert rows[established.pk]["actual"] == 1 and rows[established.pk]["share"] == 50.0


def test_targets_listed_within_scope(world):
    _set(world, "city", "district_a", 40)
    _set(world, "city", "district_b", 30)
    seen_by_a = set(targets.list_targets(world.users["district_a"]).values_list("organization__name", flat=True))
    assert seen_by_a == {world.orgs["district_a"].name}
    assert targets.list_targets(world.users["city"], year=YEAR).count() == 2
    assert not targets.list_targets(world.users["city"], year=YEAR + 1).exists()
