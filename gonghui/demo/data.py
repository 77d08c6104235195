"""Demo data: the personas every page and test talks about (DESIGN.md §7), built through the services."""

from datetime import date

from django.db import transaction

from gonghui.accounts.models import RoleAssignment, User
from gonghui.core import audit
from gonghui.core.models import Lock
from gonghui.members.choices import EmploymentForm, MembershipStatus
from gonghui.members.models import Membership, Person
from gonghui.orgs import services as orgs
from gonghui.orgs.choices import CoverageKind, OrgKind, Ownership, SizeClass
from gonghui.orgs.models import Industry, Organization, Region

DEMO_MARKER = "seed:demo"
DEMO_PASSWORD = "gonghui-demo"
DEMO_TOTP_SECRET = "GONGHUIDEMOSECRETKEYAAAAAAAAAAAA"
STAFF = [
    # username, display name, role, organisation key
    ("city", "市总工会管理员", "city_admin", "city"),
    ("district_a", "浦东新区总工会管理员", "district_admin", "district_a"),
    ("district_b", "徐汇区总工会管理员", "district_admin", "district_b"),
    ("union_a1", "浦江精密工会主席", "grassroots_cadre", "union_a1"),
    ("industry", "交通物流产业工会干部", "grassroots_cadre", "industry"),
    ("auditor", "审计员", "auditor", "city"),
    ("security", "安全管理员", "security_admin", "city"),
]
MEMBERS = [
    # username, name, mobile, ID number (valid, demo), employment form
    ("alice", "李爱丽", "13800000001", "310101199003070027", EmploymentForm.EMPLOYEE),
    ("bob", "王博", "13800000002", "310104198811230011", EmploymentForm.EMPLOYEE),
    ("carol", "陈可乐", "13800000003", "31011519950618004X", EmploymentForm.FOOD_DELIVERY),
]


def is_demo_database() -> bool:
    return Lock.objects.filter(name=DEMO_MARKER).exists()


def has_data() -> bool:
    return Organization.objects.exists() or User.objects.exists()


def _uscc(seq: int) -> str:
    from stdnum.cn import uscc

    body = f"91310115MA1K{seq:05d}"
    return body + uscc.calc_check_digit(body)


@transaction.atomic
def build() -> dict:
    region = {r.code: r for r in Region.objects.all()}
    industry = {i.code: i for i in Industry.objects.all()}
    o = {}
    o["city"] = orgs.create_organization(actor=None, parent=None, kind=OrgKind.CITY_FEDERATION, name="市总工会",
                                         short_name="市总", region=region["310000"])
    o["district_a"] = orgs.create_organization(actor=None, parent=o["city"], kind=OrgKind.DISTRICT_UNION,
                                               name="浦东新区总工会", region=region["310115"])
    o["district_b"] = orgs.create_organization(actor=None, parent=o["city"], kind=OrgKind.DISTRICT_UNION,
                                               name="徐汇区总工会", region=region["310104"])
    o["industry"] = orgs.create_organization(actor=None, parent=o["city"], kind=OrgKind.INDUSTRY_UNION,
                                             name="市交通运输和物流产业工会", region=region["310000"])
    o["street_a"] = orgs.create_organization(actor=None, parent=o["district_a"], kind=OrgKind.STREET_FEDERATION,
                                             name="张江镇总工会", region=region["310115"])
    o["park_a"] = orgs.create_organization(actor=None, parent=o["district_a"], kind=OrgKind.PARK_FEDERATION,
                                           name="张江科学城园区工会联合会", region=region["310115"])
    o["street_b"] = orgs.create_organization(actor=None, parent=o["district_b"], kind=OrgKind.STREET_FEDERATION,
                                             name="徐家汇街道总工会", region=region["310104"])
    o["union_a1"] = orgs.create_organization(actor=None, parent=o["street_a"], kind=OrgKind.GRASSROOTS_UNION,
                                             name="上海浦江精密机械有限公司工会", region=region["310115"])
    o["union_a2"] = orgs.create_organization(actor=None, parent=o["street_a"], kind=OrgKind.GRASSROOTS_UNION,
                                             name="上海迅达物流有限公司工会", region=region["310115"])
    o["union_b1"] = orgs.create_organization(actor=None, parent=o["street_b"], kind=OrgKind.GRASSROOTS_UNION,
                                             name="上海汇城软件有限公司工会", region=region["310104"])
    enterprises = [
        ("上海浦江精密机械有限公司", "34", SizeClass.MEDIUM, Ownership.PRIVATE, 320, "310115", "street_a", "union_a1"),
        ("上海迅达物流有限公司", "54", SizeClass.MEDIUM, Ownership.PRIVATE, 260, "310115", "street_a", "union_a2"),
        ("上海张江芯片设计有限公司", "65", SizeClass.SMALL, Ownership.PRIVATE, 48, "310115", "park_a", None),
        ("上海浦东小微烘焙店", "14", SizeClass.MICRO, Ownership.PRIVATE, 8, "310115", "street_a", None),
        ("上海汇城软件有限公司", "65", SizeClass.SMALL, Ownership.PRIVATE, 90, "310104", "street_b", "union_b1"),
        ("上海徐汇家政服务有限公司", "80", SizeClass.SMALL, Ownership.PRIVATE, 35, "310104", "street_b", None),
        # The food-delivery platform the demo rider works through; the transport and logistics industry union
        # covers it, so riders who join are routed there.
        ("上海同城外卖信息技术有限公司", "64", SizeClass.MEDIUM, Ownership.PRIVATE, 180, "310115", "district_a", None),
    ]
    e = {}
    for seq, (name, ind, size, own, heads, reg, owner, union) in enumerate(enterprises, start=1):
        e[name] = orgs.create_enterprise(
            actor=None, owner_organization=o[owner], name=name, uscc=_uscc(seq), industry=industry[ind],
            size_class=size, ownership=own, headcount=heads, region=region[reg], address=f"{region[reg].name}示范路{seq}号",
            union=o[union] if union else None,
        )
    orgs.add_coverage(actor=None, covering=o["industry"], kind=CoverageKind.INDUSTRY, target_organization=o["union_a2"])
    orgs.add_coverage(actor=None, covering=o["industry"], kind=CoverageKind.INDUSTRY,
                      target_enterprise=e["上海同城外卖信息技术有限公司"])

    for username, display, role, org_key in STAFF:
        user = User.objects.create_user(username=username, password=DEMO_PASSWORD, display_name=display)
        RoleAssignment.objects.create(user=user, role=role, organization=o[org_key])
        if user.requires_2fa:
            user.totp_secret = DEMO_TOTP_SECRET
            user.totp_confirmed_at = user.date_joined
            user.save(update_fields=["totp_secret", "totp_confirmed_at"])

    homes = {"alice": ("union_a1", "上海浦江精密机械有限公司"), "bob": ("union_b1", "上海汇城软件有限公司"),
             "carol": ("district_a", None)}
    for number, (username, name, mobile, id_number, form) in enumerate(MEMBERS, start=1):
        user = User.objects.create_user(username=username, mobile=mobile, display_name=name)
        org_key, employer = homes[username]
        person = Person.objects.create(
            name=name, id_number=id_number, mobile=mobile, employer=e.get(employer), employment_form=form,
            platform_name="同城外卖平台" if form == EmploymentForm.FOOD_DELIVERY else "",
            owner_organization=o[org_key], user=user,
        )
        if username != "carol":
            Membership.objects.create(person=person, union=o[org_key], status=MembershipStatus.ACTIVE,
                                      member_number=f"3100{number:08d}", joined_on=date(2021, 5, 1))
    _demo_requests(users={u.username: u for u in User.objects.all()}, orgs=o)
    _demo_hardship_config(orgs=o)
    Lock.objects.create(name=DEMO_MARKER)
    audit.record(actor=None, action="seed.demo", note="demo data loaded")
    return o


def describe() -> str:
    lines = ["Demo accounts (password for staff: gonghui-demo):"]
    for username, display, role, _ in STAFF:
        lines.append(f"  {username:<11} {role:<17} {display}")
    lines.append(f"  Administrators' TOTP key (add it to an authenticator app): {DEMO_TOTP_SECRET}")
    lines.append("Workers sign in by SMS code (printed in the console by the console SMS backend):")
    for username, name, mobile, _, form in MEMBERS:
        lines.append(f"  {username:<6} {mobile}  {name}  ({EmploymentForm(form).label})")
    return "\n".join(lines)


def _demo_requests(*, users, orgs):
    """A few applications so the inbox, 我的办件 and the ratings page are not empty in a demo."""
    from gonghui.hall import services as hall
    from gonghui.hall.models import ServiceType

    service = ServiceType.objects.get(code="general-consultation")
    first, _ = hall.submit_request(actor=users["alice"], service_type=service, idempotency_key="demo-1",
                                   summary="单位最近调整了加班安排，想咨询加班费的计算方式。")
    hall.transition(actor=users["union_a1"], request=first, name="accept")
    hall.transition(actor=users["union_a1"], request=first, name="complete",
                    note="已电话答复：工作日加班按 150% 支付，休息日不能补休的按 200%，法定节假日按 300%。")
    hall.rate(actor=users["alice"], request=first, score=5, comment="答复及时、清楚。")
    second, _ = hall.submit_request(actor=users["alice"], service_type=service, idempotency_key="demo-2",
                                    summary="想了解工会会员可以享受哪些普惠服务。")
    hall.transition(actor=users["union_a1"], request=second, name="request_materials",
                    note="请上传工会会员证或在职证明的照片。")
    hall.submit_request(actor=users["bob"], service_type=service, idempotency_key="demo-3",
                        summary="咨询年休假天数如何计算。")


def _demo_hardship_config(*, orgs):
    """Shanghai's 2024 minimum living standard (¥1,510 a month) for the demo districts, and budget lines."""
    from decimal import Decimal

    from django.utils import timezone

    from gonghui.hardship.models import BudgetLine, HardshipPolicy

    year = timezone.localdate().year
    for code in ("310000", "310101", "310104", "310115"):
        HardshipPolicy.objects.get_or_create(region_id=code, year=2024, defaults={"dibao_monthly": Decimal("1510")})
    BudgetLine.objects.create(organization=orgs["union_a1"], year=year, kind="living", name="生活救助",
                              amount=Decimal("20000"))
    BudgetLine.objects.create(organization=orgs["district_a"], year=year, kind="medical", name="医疗救助",
                              amount=Decimal("50000"))
    BudgetLine.objects.create(organization=orgs["district_a"], year=year, kind="holiday", name="两节送温暖",
                              amount=Decimal("30000"))


def build_stories() -> None:
    """What a demo adds on top of the test personas: a household on file with wishes on the wall."""
    _demo_wishes(users={u.username: u for u in User.objects.all()})
    from gonghui.demo import monitoring  # posts, a burst that opens a warning case, a brief (舆情)

    monitoring.build(users={u.username: u for u in User.objects.all()})
    from gonghui.demo import organizing_targets  # establishment and targets story

    organizing_targets.build(users={u.username: u for u in User.objects.all()})
    from gonghui.demo import employment  # employers, postings and fairs (会聘)

    employment.build()


def _demo_wishes(*, users):
    """Alice's household goes on file (the full hardship path), posts two wishes, one is published."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from gonghui.hall import services as hall
    from gonghui.hardship import services as hardship
    from gonghui.orgs.models import Region
    from gonghui.wishes import services as wishes

    request, _ = hardship.apply(actor=users["alice"], region=Region.objects.get(code="310115"),
                                members=[{"name": "李爱丽", "relation": "self", "annual_income": "30000"},
                                         {"name": "张强", "relation": "spouse", "annual_income": "0", "note": "重病"},
                                         {"name": "张小明", "relation": "child", "annual_income": "0", "note": "初二"}],
                                facts={"housing": "rent", "cause": "illness", "medical_expenses": Decimal("8000")},
                                narrative="丈夫重病在家，本人独自支撑家庭。", idempotency_key="demo-hardship")
    hall.transition(actor=users["union_a1"], request=request, name="accept")
    hardship.record_home_visit(actor=users["union_a1"], application=request.hardship,
                               visited_on=timezone.localdate() - timedelta(days=1), visitors="工会主席、女职工委员",
                               findings="家中确有重病人，租住老公房，收入情况属实。")
    hall.transition(actor=users["union_a1"], request=request, name="verify")
    hall.transition(actor=users["district_a"], request=request, name="approve")
    first = wishes.post_wish(actor=users["alice"], category="study", description="孩子想要一套初中数学辅导书",
                             amount=Decimal("200"))
    wishes.publish_wish(actor=users["union_a1"], wish=first, public_title="一套初中数学辅导书",
                        public_text="初二学生，成绩很好，想提高数学。")
    wishes.post_wish(actor=users["alice"], category="health", description="丈夫需要一台制氧机", amount=Decimal("480"))
