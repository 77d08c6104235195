"""Organisation, enterprise and coverage stories, including a real race for path steps."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from stdnum.cn import uscc

from gonghui.core.models import AuditEvent
from gonghui.orgs import services
from gonghui.orgs.choices import CoverageKind, OrgKind, Ownership, SizeClass
from gonghui.orgs.models import Enterprise, Industry, Organization, Region


def _code(n: int) -> str:
    body = f"91310104MA1B{n:05d}"
    return body + uscc.calc_check_digit(body)


def _enterprise_fields(**over):
    fields = dict(name="上海新测试有限公司", uscc=_code(1), industry=Industry.objects.get(code="65"),
                  size_class=SizeClass.SMALL, ownership=Ownership.PRIVATE, headcount=30,
                  region=Region.objects.get(code="310104"))
    fields.update(over)
    return fields


def test_district_a_cadre_cannot_see_district_b_enterprise(world):
    visible = Enterprise.objects.visible_to(world.users["district_a"], "enterprises.view")
    assert world.enterprises["a1"] in visible and world.enterprises["b1"] not in visible


def test_industry_union_sees_its_covered_union_in_district_a_and_nothing_else_there(world):
    user = world.users["industry"]
    orgs = set(Organization.objects.visible_to(user, "orgs.view").values_list("name", flat=True))
    assert orgs == {"市交通运输和物流产业工会", "上海迅达物流有限公司工会"}
    enterprises = set(Enterprise.objects.visible_to(user, "enterprises.view"))
    # The covered union's enterprise and the delivery platform it covers directly.
    assert enterprises == {world.enterprises["a2"], world.enterprises["platform"]}


def test_district_b_sees_nothing_of_a(world):
    user = world.users["district_b"]
    a_path = world.orgs["district_a"].path
    assert not Organization.objects.visible_to(user, "orgs.view").filter(path__startswith=a_path).exists()
    assert not Enterprise.objects.visible_to(user, "enterprises.view").filter(region_id="310115").exists()


def test_city_sees_everything(world):
    assert Enterprise.objects.visible_to(world.users["city"], "enterprises.view").count() == Enterprise.objects.count()


def test_a_member_without_a_role_sees_no_organisation(world):
    assert not Organization.objects.visible_to(world.users["alice"], "orgs.view").exists()


def test_paths_are_fixed_width_steps(world):
    a1 = world.orgs["union_a1"]
    assert len(a1.path) == 4 * (a1.depth + 1)
    assert a1.path.startswith(world.orgs["street_a"].path)
    subtree = Organization.objects.filter(path__startswith=world.orgs["district_a"].path)
    assert set(subtree.values_list("name", flat=True)) >= {"张江镇总工会", "上海浦江精密机械有限公司工会"}


def test_tree_rules_refuse_a_district_under_a_grassroots_union(world):
    with pytest.raises(ValidationError) as info:
        services.create_organization(actor=world.users["city"], parent=world.orgs["union_a1"],
                                     kind=OrgKind.DISTRICT_UNION, name="错误的区总工会")
    assert "kind" in info.value.message_dict


def test_only_one_city_federation(world):
    with pytest.raises(ValidationError):
        services.create_organization(actor=None, parent=None, kind=OrgKind.CITY_FEDERATION, name="第二个市总")


def test_district_a_cannot_create_under_district_b(world):
    with pytest.raises(Http404):
        services.create_organization(actor=world.users["district_a"], parent=world.orgs["street_b"],
                                     kind=OrgKind.GRASSROOTS_UNION, name="越权工会")


def test_creating_an_enterprise_is_audited_with_a_snapshot(world):
    e = services.create_enterprise(actor=world.users["district_b"], owner_organization=world.orgs["street_b"],
                                   **_enterprise_fields())
    event = AuditEvent.objects.get(action="enterprise.create", object_id=str(e.pk))
    assert event.actor == world.users["district_b"] and event.after["uscc"] == e.uscc
    assert event.organization == world.orgs["street_b"]


def test_duplicate_credit_code_is_refused_with_a_field_message(world):
    services.create_enterprise(actor=world.users["district_b"], owner_organization=world.orgs["street_b"],
                               **_enterprise_fields())
    with pytest.raises(ValidationError) as info:
        services.create_enterprise(actor=world.users["district_b"], owner_organization=world.orgs["street_b"],
                                   **_enterprise_fields(name="另一家公司"))
    assert "uscc" in info.value.message_dict


def test_an_invalid_credit_code_is_refused(world):
    with pytest.raises(ValidationError) as info:
        services.create_enterprise(actor=world.users["district_b"], owner_organization=world.orgs["street_b"],
                                   **_enterprise_fields(uscc="91310104MA1B000010"))
    assert info.value.code == "checksum"


def test_update_records_only_what_changed(world):
    services.update_enterprise(actor=world.users["union_a1"], enterprise=world.enterprises["a1"], headcount=333)
    event = AuditEvent.objects.get(action="enterprise.update")
    assert event.before == {"headcount": 320} and event.after == {"headcount": 333}


def test_enterprise_union_must_be_a_grassroots_union(world):
    with pytest.raises(ValidationError) as info:
        services.update_enterprise(actor=world.users["city"], enterprise=world.enterprises["a_no_union"],
                                   union=world.orgs["street_a"])
    assert "union" in info.value.message_dict


def test_coverage_needs_both_ends_in_the_actors_scope(world):
    with pytest.raises(Http404):
        services.add_coverage(actor=world.users["district_a"], covering=world.orgs["park_a"],
                              kind=CoverageKind.PARK, target_enterprise=world.enterprises["b1"])
    link = services.add_coverage(actor=world.users["city"], covering=world.orgs["park_a"], kind=CoverageKind.PARK,
                                 target_enterprise=world.enterprises["b1"])
    # Once linked, district A (which leads the park federation) reaches the covered enterprise.
    assert world.enterprises["b1"] in Enterprise.objects.visible_to(
        type(world.users["district_a"]).objects.get(pk=world.users["district_a"].pk), "enterprises.view")
    services.remove_coverage(actor=world.users["city"], coverage=link)


def test_coverage_cannot_point_into_its_own_subtree(world):
    with pytest.raises(ValidationError):
        services.add_coverage(actor=world.users["city"], covering=world.orgs["district_a"],
                              kind=CoverageKind.PARK, target_organization=world.orgs["union_a1"])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_creations_under_one_parent_get_distinct_paths():
    """Real threads, real transactions: the parent row lock hands out each path step once."""
    root = services.create_organization(actor=None, parent=None, kind=OrgKind.CITY_FEDERATION, name="市总工会")
    district = services.create_organization(actor=None, parent=root, kind=OrgKind.DISTRICT_UNION, name="区总工会")
    errors, barrier = [], threading.Barrier(6)

    def create(i):
        try:
            barrier.wait()
            services.create_organization(actor=None, parent=district, kind=OrgKind.GRASSROOTS_UNION,
                                         name=f"并发工会{i}")
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(i,)) for i in range(6)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert errors == []
    children = Organization.objects.filter(parent=district)
    assert children.count() == 6
    assert len(set(children.values_list("path", flat=True))) == 6
    district.refresh_from_db()
    assert district.children_count == 6
