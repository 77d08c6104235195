"""Establishment cases (组建): every transition, its guards (permission, scope, order) and bad input."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from gonghui.core.models import AuditEvent
from gonghui.organizing import establishment as services
from gonghui.organizing.models.establishment import CaseEventKind, CaseStatus, EstablishmentOutcome
from gonghui.orgs import services as orgs
from gonghui.orgs.choices import CoverageKind, OrgKind, Ownership, SizeClass
from gonghui.orgs.models import Coverage, Enterprise, Industry, Organization, Region


def _uscc(seq: int) -> str:
    from stdnum.cn import uscc

    body = f"91310115MA2K{seq:05d}"
    return body + uscc.calc_check_digit(body)


def _enterprise(world, name, *, headcount=40, owner="street_a", region="310115", seq=1, union=None):
    return orgs.create_enterprise(
        actor=None, owner_organization=world.orgs[owner], name=name, uscc=_uscc(seq),
        industry=Industry.objects.get(code="65"), size_class=SizeClass.SMALL, ownership=Ownership.PRIVATE,
        headcount=headcount, region=Region.objects.get(code=region), union=union)


def _open(world, enterprise=None, *, actor="district_a", outcome=EstablishmentOutcome.GRASSROOTS, upper=None,
          name="上海张江芯片设计有限公司工会", key=""):
    enterprise = enterprise or world.enterprises["a_no_union"]
    return services.open_case(actor=world.users[actor], upper=upper or enterprise.owner_organization,
                              outcome=outcome, proposed_name=name, enterprises=[enterprise], idempotency_key=key)


def _with_group(world, case, actor="district_a"):
    for name, role in [("林建华", "leader"), ("黄晓燕", "member"), ("何志强", "member")]:
        services.add_preparatory_member(actor=world.users[actor], case=case, name=name, role=role)
    return case


def _elected(world, case=None):
    case = _with_group(world, case or _open(world))
    return services.record_election(actor=world.users["district_a"], case=case, election_date=timezone.localdate(),
                                    committee=["林建华", "黄晓燕", "何志强"], chair_name="林建华")


# --------------------------------------------------------------------------------------------- backlog


def test_backlog_lists_big_enterprises_without_union_in_the_district(world):
    small = _enterprise(world, "上海浦东小店", headcount=10, seq=1)
    closed = _enterprise(world, "上海浦东已歇业公司", headcount=80, seq=2)
    Enterprise.objects.filter(pk=closed.pk).update(is_active=False)
    covered = _enterprise(world, "上海浦东楼宇企业", headcount=60, seq=3)
    orgs.add_coverage(actor=None, covering=world.orgs["park_a"], kind=CoverageKind.PARK, target_enterprise=covered)
    names_a = set(services.list_backlog(world.users["district_a"]).values_list("name", flat=True))
    assert names_a == {"上海张江芯片设计有限公司"}
    assert small.name not in names_a and covered.name not in names_a
    names_b = set(services.list_backlog(world.users["district_b"]).values_list("name", flat=True))
    assert names_b == {"上海徐汇家政服务有限公司"}
    everything = services.list_backlog(world.users["city"])
    assert {row["region_id"]: row["n"] for row in services.backlog_by_district(everything)} == {
        "310115": 1, "310104": 1}
    assert services.list_backlog(world.users["city"], region="310104").get().name == "上海徐汇家政服务有限公司"


def test_backlog_marks_enterprises_with_an_open_case(world):
    case = _open(world)
    row = services.list_backlog(world.users["district_a"]).get()
    assert row.open_case is True and row.open_case_id == case.pk
    page = world.client("district_a").get("/work/organizing/backlog/").content.decode()
    assert f"/work/organizing/cases/{case.pk}/" in page
    assert not services.list_backlog(world.users["district_a"], with_case="no").exists()


# ------------------------------------------------------------------------------------ the whole story


def test_case_runs_from_preparatory_group_to_a_new_union_in_the_tree(world):
    chip = world.enterprises["a_no_union"]
    case = _open(world, key="k1")
    assert case.status == CaseStatus.PREPARING
    _with_group(world, case)
    case = services.record_election(actor=world.users["district_a"], case=case,
                                    election_date=timezone.localdate() - timedelta(days=0),
                                    committee=["林建华", "黄晓燕", "何志强"], chair_name="林建华")
    assert case.status == CaseStatus.ELECTED and case.chair_name == "林建华"
    union = services.approve(actor=world.users["district_a"], case=case, note="同意成立")
    union = Organization.objects.get(pk=union.pk)
    assert union.kind == OrgKind.GRASSROOTS_UNION
    assert union.parent == chip.owner_organization and union.path.startswith(chip.owner_organization.path)
    assert union.contact_name == "林建华"
    chip.refresh_from_db()
    assert chip.union == union
    case.refresh_from_db()
    assert case.status == CaseStatus.ESTABLISHED and case.union == union
    assert list(case.events.values_list("kind", flat=True)) == [
        CaseEventKind.OPENED, CaseEventKind.MEMBER_ADDED, CaseEventKind.MEMBER_ADDED, CaseEventKind.MEMBER_ADDED,
        CaseEventKind.ELECTED, CaseEventKind.APPROVED]
    actions = set(AuditEvent.objects.filter(object_id=str(case.pk), object_type="organizing.establishmentcase")
                  .values_list("action", flat=True))
    assert {"establishment.open", "establishment.member_add", "establishment.elect",
            "establishment.approve"} <= actions
    assert not services.list_backlog(world.users["district_a"]).exists()
    # The enterprise is not in an open case any more, and has a union: no new case.
    with pytest.raises(ValidationError) as error:
        _open(world, chip)
    assert "enterprises" in error.value.message_dict


def test_joint_union_covers_its_small_enterprises(world):
    first = _enterprise(world, "上海浦东小微甲", headcount=8, seq=11)
    second = _enterprise(world, "上海浦东小微乙", headcount=12, seq=12)
    case = services.open_case(actor=world.users["district_a"], upper=world.orgs["street_a"],
                              outcome=EstablishmentOutcome.JOINT, proposed_name="张江镇小微企业联合工会",
                              enterprises=[first, second])
    union = services.approve(actor=world.users["district_a"], case=_elected(world, case))
    assert union.kind == OrgKind.JOINT_GRASSROOTS_UNION and union.parent == world.orgs["street_a"]
    assert set(Coverage.objects.filter(covering=union, kind=CoverageKind.JOINT).values_list(
        "target_enterprise__name", flat=True)) == {first.name, second.name}


def test_park_federation_covers_enterprises_of_the_park(world):
    first = _enterprise(world, "上海张江园区甲公司", headcount=30, seq=13)
    second = _enterprise(world, "上海张江园区乙公司", headcount=5, seq=14)
    case = services.open_case(actor=world.users["district_a"], upper=world.orgs["district_a"],
                              outcome=EstablishmentOutcome.PARK, proposed_name="张江东区园区工会联合会",
                              enterprises=[first, second])
    federation = services.approve(actor=world.users["district_a"], case=_elected(world, case))
    assert federation.kind == OrgKind.PARK_FEDERATION and federation.parent == world.orgs["district_a"]
    assert Coverage.objects.filter(covering=federation, kind=CoverageKind.PARK).count() == 2
    # Covered by a federation now: off the backlog, though it has no union of its own.
    assert first.name not in set(services.list_backlog(world.users["district_a"]).values_list("name", flat=True))


def test_return_sends_the_election_back_and_abandon_closes_the_case(world):
    case = _elected(world)
    case = services.return_case(actor=world.users["district_a"], case=case, reason="选举程序不完整")
    assert case.status == CaseStatus.PREPARING and case.committee == [] and case.election_date is None
    case = services.abandon(actor=world.users["district_a"], case=case, reason="企业转制")
    assert case.status == CaseStatus.ABANDONED
    assert services.list_backlog(world.users["district_a"], with_case="no").get().name == "上海张江芯片设计有限公司"
    # Abandoned: nothing more can happen, and a new case may start.
    with pytest.raises(ValidationError):
        services.add_preparatory_member(actor=world.users["district_a"], case=case, name="某人")
    assert _open(world).status == CaseStatus.PREPARING


def test_remove_member_only_while_preparing(world):
    case = _with_group(world, _open(world))
    member = case.preparatory_members.get(name="何志强")
    services.remove_preparatory_member(actor=world.users["district_a"], member=member)
    assert case.preparatory_members.count() == 2
    _with_group_again = services.add_preparatory_member(actor=world.users["district_a"], case=case, name="何志强")
    _elected_case = services.record_election(actor=world.users["district_a"], case=case,
                                             election_date=timezone.localdate(), committee=["林建华", "黄晓燕", "何志强"],
                                             chair_name="黄晓燕")
    with pytest.raises(ValidationError):
        services.remove_preparatory_member(actor=world.users["district_a"], member=_with_group_again)


# ------------------------------------------------------------------------------------------- order


def test_election_needs_a_group_of_three_with_a_leader(world):
    case = _open(world)
    services.add_preparatory_member(actor=world.users["district_a"], case=case, name="甲", role="member")
    with pytest.raises(ValidationError, match="at least 3"):
        services.record_election(actor=world.users["district_a"], case=case, election_date=timezone.localdate(),
                                 committee=["甲", "乙", "丙"], chair_name="甲")
    services.add_preparatory_member(actor=world.users["district_a"], case=case, name="乙", role="member")
    services.add_preparatory_member(actor=world.users["district_a"], case=case, name="丙", role="member")
    with pytest.raises(ValidationError, match="leader"):
        services.record_election(actor=world.users["district_a"], case=case, election_date=timezone.localdate(),
                                 committee=["甲", "乙", "丙"], chair_name="甲")


def test_steps_out_of_order_are_refused(world):
    case = _open(world)
    with pytest.raises(ValidationError, match="not possible"):
        services.approve(actor=world.users["district_a"], case=case)
    with pytest.raises(ValidationError, match="not possible"):
        services.return_case(actor=world.users["district_a"], case=case, reason="x")
    case = _elected(world, case)
    with pytest.raises(ValidationError, match="not possible"):
        services.record_election(actor=world.users["district_a"], case=case, election_date=timezone.localdate(),
                                 committee=["林建华", "黄晓燕", "何志强"], chair_name="林建华")
    with pytest.raises(ValidationError, match="not possible"):
        services.add_preparatory_member(actor=world.users["district_a"], case=case, name="新人")
    services.approve(actor=world.users["district_a"], case=case)
    for step in (lambda c: services.approve(actor=world.users["district_a"], case=c),
                 lambda c: services.abandon(actor=world.users["district_a"], case=c, reason="x")):
        with pytest.raises(ValidationError, match="not possible"):
            step(case)


def test_union_created_meanwhile_blocks_approval(world):
    case = _elected(world)
    other = orgs.create_organization(actor=None, parent=world.orgs["park_a"], kind=OrgKind.GRASSROOTS_UNION,
                                     name="另一工会")
    Enterprise.objects.filter(pk=world.enterprises["a_no_union"].pk).update(union=other)
    with pytest.raises(ValidationError, match="meanwhile"):
        services.approve(actor=world.users["district_a"], case=case)
    assert not Organization.objects.filter(name=case.proposed_name).exists()


# ----------------------------------------------------------------------------------- permissions/scope


def test_district_b_cannot_touch_district_a_cases(world):
    case = _open(world)
    assert not services.list_cases(world.users["district_b"]).exists()
    assert services.list_cases(world.users["district_a"]).get() == case
    with pytest.raises(Http404):
        services.add_preparatory_member(actor=world.users["district_b"], case=case, name="乙")
    with pytest.raises(Http404):
        services.abandon(actor=world.users["district_b"], case=case, reason="x")
    case = _elected(world, case)
    with pytest.raises(Http404):
        services.approve(actor=world.users["district_b"], case=case)


def test_grassroots_cadre_runs_steps_but_cannot_approve(world):
    # union_a1's cadre reaches only its own union: it cannot open a case for the park's enterprise.
    with pytest.raises(Http404):
        _open(world, actor="union_a1")
    case = _elected(world)
    with pytest.raises(PermissionDenied):
        services.approve(actor=world.users["union_a1"], case=case)
    with pytest.raises(PermissionDenied):
        services.open_case(actor=world.users["auditor"], upper=world.orgs["park_a"],
                           outcome=EstablishmentOutcome.GRASSROOTS, proposed_name="x",
                           enterprises=[world.enterprises["a_no_union"]])


def test_district_a_cannot_open_a_case_for_district_b_enterprise(world):
    home_b = Enterprise.objects.get(name="上海徐汇家政服务有限公司")
    with pytest.raises(ValidationError) as error:
        services.open_case(actor=world.users["district_a"], upper=world.orgs["street_a"],
                           outcome=EstablishmentOutcome.GRASSROOTS, proposed_name="x", enterprises=[home_b])
    assert "enterprises" in error.value.message_dict
    with pytest.raises(Http404):
        _open(world, home_b, actor="district_a")


# ------------------------------------------------------------------------------------------ bad input


def test_bad_input_gets_field_messages(world):
    chip = world.enterprises["a_no_union"]
    with pytest.raises(ValidationError) as error:
        services.open_case(actor=world.users["district_a"], upper=world.orgs["park_a"], outcome="nonsense",
                           proposed_name="  ", enterprises=[])
    assert set(error.value.message_dict) == {"outcome", "proposed_name", "enterprises"}
    with pytest.raises(ValidationError) as error:
        services.open_case(actor=world.users["district_a"], upper=world.orgs["park_a"],
                           outcome=EstablishmentOutcome.INDUSTRY, proposed_name="x", enterprises=[chip])
    assert "upper" in error.value.message_dict  # an industry union cannot sit under a park federation
    with pytest.raises(ValidationError) as error:
        services.open_case(actor=world.users["district_a"], upper=world.orgs["park_a"],
                           outcome=EstablishmentOutcome.GRASSROOTS, proposed_name="x",
                           enterprises=[chip, world.enterprises["a1"]])
    assert "exactly one" in str(error.value.message_dict["enterprises"])
    with pytest.raises(ValidationError) as error:
        _open(world, world.enterprises["a1"], upper=world.orgs["street_a"])
    assert "already has a union" in str(error.value.message_dict["enterprises"])


def test_second_open_case_for_the_same_enterprise_is_refused_but_a_repeat_key_returns_the_first(world):
    first = _open(world, key="same")
    assert _open(world, key="same") == first
    with pytest.raises(ValidationError) as error:
        _open(world, key="other")
    assert "open establishment case" in str(error.value.message_dict["enterprises"])


def test_bad_preparatory_member_input(world):
    case = _open(world)
    services.add_preparatory_member(actor=world.users["district_a"], case=case, name="林建华", role="leader")
    for kwargs, field in [({"name": " "}, "name"), ({"name": "x" * 61}, "name"), ({"name": "林建华"}, "name"),
                          ({"name": "乙", "role": "boss"}, "role"), ({"name": "丙", "role": "leader"}, "role"),
                          ({"name": "丁", "job_title": "y" * 61}, "job_title")]:
        with pytest.raises(ValidationError) as error:
            services.add_preparatory_member(actor=world.users["district_a"], case=case, **kwargs)
        assert field in error.value.message_dict, kwargs


@pytest.mark.parametrize("committee,chair,field", [
    (["甲", "乙"], "甲", "committee"),  # too few
    (["甲", "乙", "丙", "丁"], "甲", "committee"),  # even
    (["甲", "甲", "乙"], "甲", "committee"),  # twice
    (["甲", "乙", "丙"], "戊", "chair_name"),  # chair not elected
    (["甲", "乙", "丙"], "", "chair_name"),
])
def test_bad_election_input(world, committee, chair, field):
    case = _with_group(world, _open(world))
    with pytest.raises(ValidationError) as error:
        services.record_election(actor=world.users["district_a"], case=case, election_date=timezone.localdate(),
                                 committee=committee, chair_name=chair)
    assert field in error.value.message_dict
    case.refresh_from_db()
    assert case.status == CaseStatus.PREPARING


def test_election_date_cannot_be_in_the_future_or_before_the_case(world):
    case = _with_group(world, _open(world))
    for day in (timezone.localdate() + timedelta(days=1), timezone.localdate() - timedelta(days=30)):
        with pytest.raises(ValidationError) as error:
            services.record_election(actor=world.users["district_a"], case=case, election_date=day,
                                     committee=["甲", "乙", "丙"], chair_name="甲")
        assert "election_date" in error.value.message_dict


def test_reason_is_required_to_return_or_abandon(world):
    case = _elected(world)
    with pytest.raises(ValidationError) as error:
        services.return_case(actor=world.users["district_a"], case=case, reason="   ")
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.abandon(actor=world.users["district_a"], case=case, reason="")


def test_establishment_rate(world):
    def rate():
        return services.establishment_rate(Enterprise.objects.visible_to(world.users["district_a"], "orgs.view"))

    before = rate()
    _enterprise(world, "上海浦东小店", headcount=24, seq=21)  # below 25: not counted
    _enterprise(world, "上海浦东新开公司", headcount=25, seq=22)  # 25 exactly: counted, no union
    after = rate()
    assert (after["total"], after["with_union"]) == (before["total"] + 1, before["with_union"])
    services.approve(actor=world.users["district_a"], case=_elected(world))
    done = rate()
    assert (done["total"], done["with_union"]) == (after["total"], after["with_union"] + 1)
    assert done["rate"] == round(100 * done["with_union"] / done["total"], 1)
    assert services.establishment_rate(Enterprise.objects.none()) == {"total": 0, "with_union": 0, "rate": None}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_cadres_opening_a_case_for_one_enterprise_at_once_get_one_case():
    """Real threads, real transactions: the city and district A both open a case for the chip company."""
    import threading

    from django.db import connection

    from gonghui.core.testing.personas import build_world
    from gonghui.organizing.models.establishment import CaseEnterprise, EstablishmentCase

    world = build_world()
    chip = world.enterprises["a_no_union"]
    results, barrier = [], threading.Barrier(4)

    def attempt(i):
        try:
            barrier.wait()
            services.open_case(actor=world.users["city" if i % 2 else "district_a"], upper=chip.owner_organization,
                               outcome=EstablishmentOutcome.GRASSROOTS, proposed_name=f"工会{i}",
                               enterprises=[chip], idempotency_key=f"race-{i}")
            results.append("opened")
        except ValidationError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(4)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(results) == ["opened", "refused", "refused", "refused"]
    assert EstablishmentCase.objects.count() == 1
    assert CaseEnterprise.objects.filter(enterprise=chip, is_open=True).count() == 1


def test_the_opener_hears_of_the_decision(world, django_capture_on_commit_callbacks):
    from gonghui.core.models import Notification

    case = _open(world, actor="district_a")
    case = _elected(world, case)
    with django_capture_on_commit_callbacks(execute=True):
        services.return_case(actor=world.users["city"], case=case, reason="请补充选举记录")
    note = Notification.objects.get(user=world.users["district_a"])
    assert "请补充选举记录" in note.body and note.url == f"/work/organizing/cases/{case.pk}/"
    case = services.record_election(actor=world.users["district_a"], case=case, election_date=timezone.localdate(),
                                    committee=["林建华", "黄晓燕", "何志强"], chair_name="林建华")
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(actor=world.users["city"], case=case)
    assert Notification.objects.filter(user=world.users["district_a"]).count() == 2
