"""The membership dashboard: progress to the gig-worker target (the demo story), drill-down city → district →
union, scope, the targets page, and the figures against the member files."""

import json
from datetime import date, timedelta

from django.utils import timezone

from gonghui.demo import organizing_targets
from gonghui.members.choices import EmploymentForm, MembershipStatus
from gonghui.members.models import Membership, Person
from gonghui.organizing import targets
from gonghui.organizing.models.targets import Target


def _charts(response) -> dict:
    return response.context["charts"]


def test_dashboard_shows_progress_to_the_demo_gig_worker_target(world):
    made = organizing_targets.build(users=world.users)
    year = timezone.localdate().year
    district = world.client("district_a").get(f"/work/organizing/?year={year}")
    assert district.status_code == 200
    assert district.context["org"] == world.orgs["district_a"]
    goals = {row["target"].pk: row for row in district.context["goals"]}
    row = goals[made["district_target"].pk]
    joined_gig = Membership.objects.filter(
        union__path__startswith=world.orgs["district_a"].path, joined_on__year=year,
        person__employment_form__in=[f for f in EmploymentForm.values if f != "employee"]).exclude(
        status=MembershipStatus.TRANSFERRED).count()
    assert joined_gig >= len(organizing_targets.GIG_WORKERS)
    assert row["actual"] == joined_gig
    assert row["share"] == round(100 * joined_gig / made["district_target"].value, 1)
    html = district.content.decode()
    assert 'data-testid="target-progress"' in html and f'value="{row["bar"]}"' in html
    assert made["city_target"].pk not in goals  # the city's own target is above district A
    # The city sees its target and district A's (a child) side by side, and the progress chart has both.
    city = world.client("city").get(f"/work/organizing/?year={year}")
    city_goals = {row["target"].pk for row in city.context["goals"]}
    assert {made["city_target"].pk, made["district_target"].pk} <= city_goals
    assert len(_charts(city)["progress"]["values"]) == len(city.context["goals"])
    assert 'id="chart-progress"' in city.content.decode()


def test_drill_down_from_city_to_district_to_union(world):
    organizing_targets.build(users=world.users)
    client = world.client("city")
    city = client.get("/work/organizing/")
    assert city.context["org"] == world.orgs["city"]
    children = {row["org"].pk: row for row in city.context["figures"]["children"]}
    assert set(children) >= {world.orgs["district_a"].pk, world.orgs["district_b"].pk}
    assert f'?org={world.orgs["district_a"].pk}' in city.content.decode()
    totals = city.context["figures"]["totals"]
    direct = city.context["figures"]["direct"]
    for key in ("current", "gig", "joined"):
        assert totals[key] == sum(row[key] for row in children.values()) + direct[key]
    assert direct["current"] == Membership.objects.filter(
        union=world.orgs["city"], status__in=["active", "retained", "held_upper"]).count()
    # District A holds the demo gig workers who are not employed anywhere itself: they show as a row of their own.
    district_a = client.get(f"/work/organizing/?org={world.orgs['district_a'].pk}")
    assert district_a.context["figures"]["direct"]["gig"] == Membership.objects.filter(
        union=world.orgs["district_a"]).exclude(person__employment_form="employee").count() > 0
    assert 'data-testid="direct-row"' in district_a.content.decode()
    district = client.get(f"/work/organizing/?org={world.orgs['district_a'].pk}")
    assert district.context["figures"]["totals"] == {
        k: children[world.orgs["district_a"].pk][k] for k in ("current", "gig", "joined")}
    assert [a.pk for a in district.context["ancestors"]] == [world.orgs["city"].pk]
    union = client.get(f"/work/organizing/?org={world.orgs['union_a2'].pk}")
    assert union.status_code == 200 and union.context["figures"]["children"] == []
    assert union.context["figures"]["totals"]["current"] == Membership.objects.filter(
        union=world.orgs["union_a2"], status="active").count()


def test_district_b_cannot_drill_into_district_a(world):
    client = world.client("district_b")
    assert client.get(f"/work/organizing/?org={world.orgs['district_a'].pk}").status_code == 404
    assert client.get(f"/work/organizing/?org={world.orgs['union_a1'].pk}").status_code == 404
    assert client.get("/work/organizing/?org=notanumber").status_code == 404
    page = client.get("/work/organizing/")
    assert page.context["org"] == world.orgs["district_b"]
    assert world.orgs["district_a"].name not in page.content.decode()
    assert world.client("alice").get("/work/organizing/").status_code == 403


def test_groups_and_weekly_joins_are_counted(world):
    today = timezone.localdate()
    for days, form in [(0, EmploymentForm.FOOD_DELIVERY), (1, EmploymentForm.FOOD_DELIVERY),
                       (8, EmploymentForm.COURIER), (400, EmploymentForm.COURIER)]:
        person = Person.objects.create(name="工", employment_form=form, owner_organization=world.orgs["district_b"])
        Membership.objects.create(person=person, union=world.orgs["union_b1"], member_number=f"W{days:06d}",
                                  joined_on=today - timedelta(days=days))
    page = world.client("district_b").get(f"/work/organizing/?year={today.year}")
    figures = page.context["figures"]
    by_form = {row["code"]: row["n"] for row in figures["by_form"]}
    assert by_form["food_delivery"] == 2 and by_form["courier"] == 2
    weeks = figures["weeks"]
    assert len(weeks) == targets.WEEKS_SHOWN and weeks[-1]["week"] == today - timedelta(days=today.weekday())
    in_window = sum(1 for d in (0, 1, 8) if today - timedelta(days=d) >= weeks[0]["week"])
    expected = Membership.objects.filter(
        union__path__startswith=world.orgs["district_b"].path, joined_on__gte=weeks[0]["week"],
        joined_on__lte=today).exclude(status=MembershipStatus.TRANSFERRED).count()
    assert sum(w["n"] for w in weeks) == expected >= in_window
    this_week = sum(1 for d in (0, 1) if today - timedelta(days=d) >= weeks[-1]["week"])
    assert weeks[-1]["n"] >= this_week
    assert json.loads(page.context["charts_json"])["weeks"]["values"] == [w["n"] for w in weeks]


def test_targets_page_sets_from_above_with_field_messages(world):
    year = 2027
    city = world.client("city")
    response = city.post(f"/work/organizing/targets/?year={year}", {
        "organization": world.orgs["district_a"].pk, "year": year, "metric": "joined", "group": "priority4",
        "value": 500})
    assert response.status_code == 302
    target = Target.objects.get(organization=world.orgs["district_a"], year=year)
    assert target.value == 500 and target.group == "priority4"
    bad = city.post("/work/organizing/targets/", {
        "organization": world.orgs["district_a"].pk, "year": year, "metric": "rate", "group": "all", "value": 120})
    assert bad.status_code == 200 and "value" in bad.context["form"].errors
    bad = city.post("/work/organizing/targets/", {
        "organization": world.orgs["district_a"].pk, "year": 1990, "metric": "joined", "group": "all", "value": 1})
    assert "year" in bad.context["form"].errors
    # District A cannot pick itself (targets come from above); district B does not see A's target.
    own = world.client("district_a").post("/work/organizing/targets/", {
        "organization": world.orgs["district_a"].pk, "year": year, "metric": "joined", "group": "all", "value": 1})
    assert own.status_code == 200 and "organization" in own.context["form"].errors
    assert world.client("district_a").get(f"/work/organizing/targets/?year={year}").context["rows"][0][
        "target"] == target
    assert world.orgs["district_a"].name not in world.client("district_b").get(
        f"/work/organizing/targets/?year={year}").content.decode()
    # Only the level above removes it.
    assert world.client("district_a").post(f"/work/organizing/targets/{target.pk}/delete/").status_code == 404
    assert world.client("district_b").post(f"/work/organizing/targets/{target.pk}/delete/").status_code == 404
    assert city.post(f"/work/organizing/targets/{target.pk}/delete/").status_code == 302
    assert not Target.objects.filter(pk=target.pk).exists()
    assert world.client("union_a1").post("/work/organizing/targets/", {"value": 1}).status_code == 403


def test_joined_counts_members_of_the_year_only(world):
    person = Person.objects.create(name="甲", employment_form=EmploymentForm.COURIER,
                                   owner_organization=world.orgs["union_a1"])
    Membership.objects.create(person=person, union=world.orgs["union_a1"], member_number="J1",
                              joined_on=date(2018, 12, 31))
    figures = targets.overview(world.orgs["union_a1"], [], year=2019)
    assert figures["totals"]["joined"] == 0 and figures["totals"]["gig"] >= 1
    assert targets.overview(world.orgs["union_a1"], [], year=2018)["totals"]["joined"] >= 1


def test_dashboard_query_count_does_not_grow_with_members_or_unions(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gonghui.orgs import services as orgs
    from gonghui.orgs.choices import OrgKind

    def queries() -> int:
        client = world.client("city")
        client.get("/work/organizing/")  # warm the session and the user's roles
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/work/organizing/").status_code == 200
        return len(ctx.captured_queries)

    targets_before = queries()
    organizing_targets.build(users=world.users)  # targets, gig workers, a case
    before = queries()
    for n in range(6):
        union = orgs.create_organization(actor=None, parent=world.orgs["street_b"], kind=OrgKind.GRASSROOTS_UNION,
                                         name=f"徐汇测试工会{n}")
        for m in range(5):
            person = Person.objects.create(name="工", employment_form=EmploymentForm.COURIER,
                                           owner_organization=union)
            Membership.objects.create(person=person, union=union, member_number=f"Q{n}{m:05d}",
                                      joined_on=timezone.localdate() - timedelta(days=m))
    assert queries() == before
    # Targets add their measuring queries: one per (measure, group, tree level), never one per target or row.
    batches = {(t.metric, t.group, t.organization.depth) for t in Target.objects.filter(year=timezone.localdate().year)}
    assert before - targets_before == len(batches)
