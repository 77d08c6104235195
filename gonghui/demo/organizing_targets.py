"""Demo story for union establishment and targets: this year's gig-worker joining targets for the city and
district A (set from above), gig workers who joined district A's unions over the past weeks, and an
establishment case under way at the chip-design company on district A's backlog."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from gonghui.accounts.models import RoleAssignment
from gonghui.members.choices import EmploymentForm, MembershipEventKind, MembershipStatus
from gonghui.members.models import Membership, MembershipEvent, Person
from gonghui.organizing import establishment, targets
from gonghui.organizing.models.establishment import EstablishmentOutcome, PreparatoryRole
from gonghui.organizing.models.targets import TargetGroup, TargetMetric
from gonghui.orgs.models import Enterprise, Organization

GIG_WORKERS = [
    # name, employment form, platform
    ("赵骑手", EmploymentForm.FOOD_DELIVERY, "同城外卖平台"),
    ("钱快递", EmploymentForm.COURIER, "顺达快递"),
    ("孙司机", EmploymentForm.RIDE_HAILING_DRIVER, "沪行网约车"),
    ("李货运", EmploymentForm.TRUCK_DRIVER, "货运通"),
    ("周送餐", EmploymentForm.FOOD_DELIVERY, "同城外卖平台"),
    ("吴家政", EmploymentForm.DOMESTIC_WORKER, ""),
    ("郑护工", EmploymentForm.CARE_WORKER, ""),
    ("王闪送", EmploymentForm.FOOD_DELIVERY, "同城外卖平台"),
    ("冯快递", EmploymentForm.COURIER, "顺达快递"),
    ("陈网约", EmploymentForm.RIDE_HAILING_DRIVER, "沪行网约车"),
    ("褚保安", EmploymentForm.SECURITY_GUARD, ""),
    ("卫骑士", EmploymentForm.FOOD_DELIVERY, "同城外卖平台"),
]


def _org_of(username: str) -> Organization:
    return RoleAssignment.objects.select_related("organization").get(user__username=username).organization


@transaction.atomic
def build(*, users: dict) -> dict:
    """Targets, joins and a case; returns what it made (tests read it)."""
    city, district_a = _org_of("city"), _org_of("district_a")
    today = timezone.localdate()
    year = today.year
    logistics_union = Organization.objects.get(name="上海迅达物流有限公司工会")
    made = {"members": []}
    for seq, (name, form, platform) in enumerate(GIG_WORKERS, start=1):
        joined_on = max(today - timedelta(days=6 * seq), today.replace(month=1, day=1))
        union = logistics_union if form in (EmploymentForm.COURIER, EmploymentForm.TRUCK_DRIVER) else district_a
        person = Person.objects.create(name=name, mobile=f"139{seq:08d}", employment_form=form, platform_name=platform,
                                       owner_organization=district_a)
        membership = Membership.objects.create(person=person, union=union, status=MembershipStatus.ACTIVE,
                                               member_number=f"3100G{year % 100:02d}{seq:05d}", joined_on=joined_on)
        MembershipEvent.objects.create(person=person, membership=membership, kind=MembershipEventKind.JOINED,
                                       union=union, note="demo")
        made["members"].append(membership)
    made["city_target"] = targets.set_target(
        actor=users["city"], organization=city, year=year, metric=TargetMetric.MEMBERS_JOINED,
        group=TargetGroup.NEW_EMPLOYMENT, value=30000, note="全市新就业形态劳动者入会")
    made["district_target"] = targets.set_target(
        actor=users["city"], organization=district_a, year=year, metric=TargetMetric.MEMBERS_JOINED,
        group=TargetGroup.NEW_EMPLOYMENT, value=20, note="浦东新区新就业形态劳动者入会")
    targets.set_target(actor=users["city"], organization=district_a, year=year,
                       metric=TargetMetric.ESTABLISHMENT_RATE, value=90)
    chip = Enterprise.objects.get(name="上海张江芯片设计有限公司")
    case = establishment.open_case(
        actor=users["district_a"], upper=chip.owner_organization, outcome=EstablishmentOutcome.GRASSROOTS,
        proposed_name="上海张江芯片设计有限公司工会", enterprises=[chip], idempotency_key="demo-establishment")
    for name, role, title in [("林建华", PreparatoryRole.LEADER, "行政主管"), ("黄晓燕", PreparatoryRole.MEMBER, "工程师"),
                              ("何志强", PreparatoryRole.MEMBER, "测试工程师")]:
        establishment.add_preparatory_member(actor=users["district_a"], case=case, name=name, role=role,
                                             job_title=title)
    made["case"] = case
    return made
