"""The hardship story: alice applies, union_a1 visits and verifies, district_a approves, aid is paid from a
budget line, the household exits after six months above its line, falls back and is reopened."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404

from gonghui.hall import services as hall
from gonghui.hardship import services
from gonghui.hardship.models import AidRecord, BudgetLine, HardshipApplication, HardshipFile
from gonghui.orgs.models import Region

MEMBERS = [
    {"name": "李爱丽", "relation": "self", "annual_income": "36000"},
    {"name": "张强", "relation": "spouse", "annual_income": "18000", "note": "重病，无法工作"},
    {"name": "张小明", "relation": "child", "annual_income": "0", "note": "初中"},
]
FACTS = {"medical_expenses": Decimal("9000"), "housing": "rent", "cause": "illness"}


def _apply(world, key="h1", **over):
    facts = {**FACTS, **over.pop("facts", {})}
    return services.apply(actor=world.users["alice"], region=Region.objects.get(code="310115"),
                          members=over.pop("members", MEMBERS), facts=facts, narrative="丈夫重病，家庭收入骤减。",
                          idempotency_key=key)


def _approved_file(world, key="h1"):
    request, _ = _apply(world, key)
    hall.transition(actor=world.users["union_a1"], request=request, name="accept")
    services.record_home_visit(actor=world.users["union_a1"], application=request.hardship,
                               visited_on=date(2026, 11, 20), visitors="王主席、刘委员", findings="情况属实")
    hall.transition(actor=world.users["union_a1"], request=request, name="verify")
    hall.transition(actor=world.users["district_a"], request=request, name="approve")
    return HardshipFile.objects.get(application__request=request)


def test_the_whole_path_from_application_to_aid(world):
    request, created = _apply(world)
    application = request.hardship
    # (36000 + 18000 − 9000) ÷ 12 ÷ 3 = 1250.00 < 1510 → deep hardship.
    assert created and application.per_capita_monthly == Decimal("1250.00") and application.tier == "deep"
    assert request.handling_organization == world.orgs["union_a1"] and application.household_size == 3
    file = _approved_file(world, key="h1")
    assert file.tier == "deep" and file.owner_organization == world.orgs["union_a1"]
    line = BudgetLine.objects.get(organization=world.orgs["union_a1"], kind="living")
    record = services.pay_aid(actor=world.users["union_a1"], file=file, budget_line=line, amount=Decimal("2000"),
                              kind="living")
    line.refresh_from_db()
    assert line.spent == Decimal("2000") and record.file == file
    # alice sees every step of her application, and rates it.
    steps = list(request.events.filter(public=True).values_list("action", flat=True))
    assert steps == ["", "accept", "verify", "approve"]
    request.refresh_from_db()
    rating = hall.rate(actor=world.users["alice"], request=request, score=5, comment="帮扶及时")
    assert rating.score == 5 and request.events.filter(kind="rated").exists()


def test_verification_needs_a_home_visit_and_approval_needs_the_district(world):
    request, _ = _apply(world)
    hall.transition(actor=world.users["union_a1"], request=request, name="accept")
    with pytest.raises(ValidationError, match="home visit|入户"):
        hall.transition(actor=world.users["union_a1"], request=request, name="verify")
    services.record_home_visit(actor=world.users["union_a1"], application=request.hardship,
                               visited_on=date(2026, 11, 20), visitors="王主席", findings="属实")
    hall.transition(actor=world.users["union_a1"], request=request, name="verify")
    with pytest.raises(PermissionDenied):
        hall.transition(actor=world.users["union_a1"], request=request, name="approve")
    with pytest.raises(Http404):
        hall.transition(actor=world.users["district_b"], request=request, name="approve")


def test_an_ineligible_household_cannot_be_approved(world):
    rich = [{"name": "李爱丽", "relation": "self", "annual_income": "300000"}]
    request, _ = _apply(world, members=rich)
    assert request.hardship.tier == ""
    hall.transition(actor=world.users["union_a1"], request=request, name="accept")
    services.record_home_visit(actor=world.users["union_a1"], application=request.hardship,
                               visited_on=date(2026, 11, 20), visitors="王", findings="收入较高")
    hall.transition(actor=world.users["union_a1"], request=request, name="verify")
    with pytest.raises(ValidationError):
        hall.transition(actor=world.users["district_a"], request=request, name="approve")


def test_exclusions_are_flagged_on_the_application(world):
    request, _ = _apply(world, facts={"homes_count": 2})
    assert request.hardship.exclusions == ["two_homes"]


@pytest.mark.parametrize(("members", "field"), [
    ([], "members"),
    ([{"name": "x", "relation": "self", "annual_income": "-5"}], "members"),
    ([{"name": "x", "relation": "self", "annual_income": "1000000000"}], "annual_income"),
])
def test_bad_household_input_gets_a_field_message(world, members, field):
    with pytest.raises(ValidationError) as info:
        _apply(world, members=members)
    assert field in info.value.message_dict
    assert not HardshipApplication.objects.exists()


def test_an_applicant_already_on_file_or_in_progress_is_told_so(world):
    _apply(world, key="first")
    with pytest.raises(ValidationError) as info:
        _apply(world, key="second")
    assert "person" in info.value.message_dict
    again, created = _apply(world, key="first")  # a second submit of the same form
    assert not created and HardshipApplication.objects.count() == 1


def test_non_members_are_refused_by_the_member_only_service(world):
    with pytest.raises(ValidationError):
        services.apply(actor=world.users["carol"], region=Region.objects.get(code="310115"),
                       members=[{"name": "陈可乐", "relation": "self", "annual_income": "1000"}], facts=FACTS,
                       narrative="", idempotency_key="carol")


def test_a_cadre_applies_on_a_members_behalf(world):
    from gonghui.members.models import Person

    request, created = services.apply(actor=world.users["union_a1"], region=Region.objects.get(code="310115"),
                                      members=MEMBERS, facts=FACTS, narrative="代为申请", idempotency_key="walk",
                                      person=Person.objects.get(name="李爱丽"))
    assert created and request.channel == "walk_in" and request.applicant == world.users["alice"]


def test_aid_cannot_overdraw_a_budget_line(world):
    file = _approved_file(world)
    line = BudgetLine.objects.get(organization=world.orgs["union_a1"], kind="living")
    with pytest.raises(ValidationError) as info:
        services.pay_aid(actor=world.users["union_a1"], file=file, budget_line=line, amount=Decimal("20000.01"),
                         kind="living")
    assert "amount" in info.value.message_dict
    with pytest.raises(ValidationError):
        services.pay_aid(actor=world.users["union_a1"], file=file, budget_line=line, amount=Decimal("100"),
                         kind="medical")
    first = services.pay_aid(actor=world.users["union_a1"], file=file, budget_line=line, amount=Decimal("100"),
                             kind="living", idempotency_key="pay-1")
    again = services.pay_aid(actor=world.users["union_a1"], file=file, budget_line=line, amount=Decimal("100"),
                             kind="living", idempotency_key="pay-1")
    assert first.pk == again.pk and AidRecord.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_cadres_paying_at_once_never_overdraw_the_line():
    """Real threads, real transactions: 8 payments of ¥3,000 race for a ¥20,000 line; 6 succeed."""
    from gonghui.core.testing.personas import build_world

    world = build_world()
    file = _approved_file(world)
    line = BudgetLine.objects.get(organization=world.orgs["union_a1"], kind="living")
    results, barrier = [], threading.Barrier(8)

    def pay(i):
        try:
            barrier.wait()
            services.pay_aid(actor=world.users["union_a1"], file=file, budget_line=line, amount=Decimal("3000"),
                             kind="living", idempotency_key=f"race-{i}")
            results.append("paid")
        except ValidationError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=pay, args=(i,)) for i in range(8)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    line.refresh_from_db()
    assert results.count("paid") == 6 and results.count("refused") == 2
    assert line.spent == Decimal("18000") and line.spent <= line.amount
    assert sum(r.amount for r in AidRecord.objects.all()) == Decimal("18000")


def test_exit_after_six_months_then_return(world):
    file = _approved_file(world)
    for month in range(1, 6):
        services.record_monthly_income(actor=world.users["union_a1"], file=file, month=date(2026, month, 1),
                                       household_income=Decimal("6000"), household_size=3)
    with pytest.raises(ValidationError, match="5"):
        services.exit_file(actor=world.users["district_a"], file=file)
    services.record_monthly_income(actor=world.users["union_a1"], file=file, month=date(2026, 6, 1),
                                   household_income=Decimal("6000"), household_size=3)
    with pytest.raises(Http404):
        services.exit_file(actor=world.users["union_a1"], file=file)
    file = services.exit_file(actor=world.users["district_a"], file=file)
    assert file.status == "exited"
    # The watch sees a fall back below the line and warns; the district reopens the file at once.
    services.record_monthly_income(actor=world.users["union_a1"], file=file, month=date(2026, 8, 1),
                                   household_income=Decimal("3000"), household_size=3)
    assert services.watch_returns(today=date(2026, 9, 1)) == 1
    assert services.watch_returns(today=date(2026, 9, 2)) == 0
    file = services.reopen_file(actor=world.users["district_a"], file=file, tier="deep", note="丈夫病情复发")
    assert file.status == "active" and file.events.filter(kind="reopened").exists()


def test_transfer_to_the_safety_net_needs_the_referral_recorded(world):
    file = _approved_file(world)
    with pytest.raises(ValidationError):
        services.transfer_to_safety_net(actor=world.users["district_a"], file=file, note=" ")
    file = services.transfer_to_safety_net(actor=world.users["district_a"], file=file, note="转民政低保兜底")
    assert file.status == "safety_net"


def test_joint_relief_referral_and_outcome(world):
    file = _approved_file(world)
    referral = services.refer(actor=world.users["union_a1"], file=file, agency="charity", note="申请大病救助")
    services.record_referral_outcome(actor=world.users["union_a1"], referral=referral, outcome="获慈善总会救助",
                                     amount=Decimal("5000"))
    referral.refresh_from_db()
    assert referral.outcome_amount == Decimal("5000") and referral.outcome_on


def test_hardship_files_are_visible_to_the_union_chain_and_the_person_only(world):
    file = _approved_file(world)
    visible = lambda user: HardshipFile.objects.visible_to(world.users[user], "hardship.view").filter(pk=file.pk).exists()  # noqa: E731
    assert visible("union_a1") and visible("district_a") and visible("city") and visible("alice")
    assert not visible("district_b") and not visible("industry") and not visible("auditor") and not visible("bob")


def test_yearly_review_reminder(world):
    file = _approved_file(world)
    HardshipFile.objects.filter(pk=file.pk).update(next_review_on=date(2027, 1, 5))
    assert services.remind_reviews(today=date(2026, 12, 25)) == 1
    assert services.remind_reviews(today=date(2026, 12, 26)) == 0


def test_the_narrative_is_encrypted_at_rest(world):
    request, _ = _apply(world)
    with connection.cursor() as cursor:
        cursor.execute("SELECT narrative FROM hardship_hardshipapplication WHERE id = %s", [request.hardship.pk])
        raw = cursor.fetchone()[0]
    assert raw.startswith("enc1$") and "重病" not in raw


def test_staff_cannot_pay_or_approve_their_own_file(world):
    from gonghui.hardship.models import HardshipFile
    from gonghui.members.models import Person

    file = _approved_file(world)
    Person.objects.filter(pk=file.person_id).update(user=world.users["union_a1"])  # the cadre's own household
    line = BudgetLine.objects.get(organization=world.orgs["union_a1"], kind="living")
    with pytest.raises(PermissionDenied):
        services.pay_aid(actor=world.users["union_a1"], file=HardshipFile.objects.get(pk=file.pk), budget_line=line,
                         amount=Decimal("100"), kind="living")
    services.pay_aid(actor=world.users["district_a"], file=file, budget_line=line, amount=Decimal("100"), kind="living")


def test_aid_is_paid_only_from_the_files_own_union_chain(world):
    file = _approved_file(world)
    sibling = BudgetLine.objects.create(organization=world.orgs["union_a2"], year=date.today().year, kind="living",
                                        name="别的工会的钱", amount=Decimal("9999"))
    page = world.client("district_a").get(f"/work/hardship/files/{file.pk}/").content.decode()
    assert "别的工会的钱" not in page
    world.client("district_a").post(f"/work/hardship/files/{file.pk}/pay/", {
        "budget_line": sibling.pk, "kind": "living", "amount": "100", "idempotency_key": "x1"})
    sibling.refresh_from_db()
    assert sibling.spent == 0 and not file.aid.exists()
