"""Demo story data for 会聘: approved employers in both districts with live postings, a graduate campaign
with its fair, and a live-stream re-employment fair. Built through the services, like everything else."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.employment import fairs, services
from gonghui.orgs.models import Enterprise, Industry, Organization, Region

# username, mobile, enterprise name, contact — employers sign in with their mobile and an SMS code.
EMPLOYERS = [
    ("hr_pujiang", "13900000011", "上海浦江精密机械有限公司", "王经理", "district_a"),
    ("hr_xunda", "13900000012", "上海迅达物流有限公司", "周主管", "district_a"),
    ("hr_huicheng", "13900000021", "上海汇城软件有限公司", "陈经理", "district_b"),
]

POSTINGS = [
    # employer, title, occupation, salary min/max, education, experience, skills, description
    ("hr_xunda", "仓库管理员", "4-02", 6500, 9000, "high_school", 1, ["仓储管理", "叉车"],
     "负责仓库收发货、库存盘点和单据录入，会开叉车优先，男女不限。"),
    ("hr_xunda", "快递员", "4-02-07-08", 7000, 12000, "any", 0, ["快递派送"],
     "负责张江片区快递揽收与派送，多劳多得，公司提供电动车。"),
    ("hr_pujiang", "电工", "6-31-01-03", 8000, 11000, "secondary_vocational", 2, ["低压电工证"],
     "负责厂区设备电气维护，持低压电工证，能适应倒班。"),
    ("hr_huicheng", "软件测试工程师", "2-02-10", 12000, 18000, "associate", 1, ["软件测试", "Python"],
     "负责业务系统功能测试和自动化测试脚本编写，欢迎应届毕业生。"),
]


def build() -> None:
    users = {u.username: u for u in User.objects.all()}
    orgs = {"city": Organization.objects.get(parent__isnull=True),
            "district_a": Organization.objects.get(name="浦东新区总工会")}
    today = timezone.localdate()
    employer_of = {}
    for username, mobile, enterprise, contact, reviewer in EMPLOYERS:
        user = User.objects.create_user(username=username, mobile=mobile, display_name=contact)
        employer = services.register_employer(actor=user, uscc=Enterprise.objects.get(name=enterprise).uscc,
                                              contact_name=contact, contact_phone=mobile)
        employer_of[username] = services.decide_employer(actor=users[reviewer], employer=employer, approve=True)
    campaign = services.create_campaign(actor=users["city"], organization=orgs["city"], name="高校毕业生就业护航行动",
                                        theme="graduate", starts_on=today, ends_on=today + timedelta(days=90))
    reviewers = {username: reviewer for username, _m, _e, _c, reviewer in EMPLOYERS}
    for username, title, occupation, low, high, education, years, skills, description in POSTINGS:
        employer = employer_of[username]
        posting = services.submit_posting(
            actor=employer.user, title=title, description=description, occupation_code=occupation,
            industry=Industry.objects.get(pk=employer.enterprise.industry_id),
            region=Region.objects.get(pk=employer.enterprise.region_id), salary_min=Decimal(low),
            salary_max=Decimal(high), salary_months=12, salary_negotiable=False, education=education,
            experience_years=years, skills=skills, headcount=3, benefits="五险一金",
            contact_name=employer.contact_name, contact_phone=employer.contact_phone,
            closes_on=today + timedelta(days=45), campaigns=[campaign] if username == "hr_huicheng" else [])
        services.review_posting(actor=users[reviewers[username]], posting=posting, approve=True)
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=10)
    fair = fairs.create_fair(actor=users["city"], organization=orgs["city"], name="2026届高校毕业生专场招聘会",
                             theme="graduate", mode="onsite", starts_at=start, ends_at=start + timedelta(hours=5),
                             quota=300, priority_quota=60, venue="市职工服务中心一楼大厅", campaign=campaign)
    for username in ("hr_huicheng", "hr_pujiang"):
        employer = employer_of[username]
        fairs.add_booth(actor=users["city"], fair=fair, employer=employer, postings=list(employer.postings.all()))
    fairs.create_fair(actor=users["district_a"], organization=orgs["district_a"], name="关停并转企业职工再就业直播招聘会",
                      theme="reemployment", mode="live", starts_at=start + timedelta(days=3),
                      ends_at=start + timedelta(days=3, hours=2), quota=1000,
                      stream_url="https://live.example.cn/gonghui/reemployment")
