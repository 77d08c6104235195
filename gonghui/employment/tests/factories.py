"""Story helpers for the employment tests (and the scope cases): employers, postings, seekers."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.employment import services

ENTERPRISE_OF = {"hr_a1": "a1", "hr_a2": "a2", "hr_b1": "b1"}
MOBILE_OF = {"hr_a1": "13900000011", "hr_a2": "13900000012", "hr_b1": "13900000021"}
REVIEWER_OF = {"hr_a1": "district_a", "hr_a2": "district_a", "hr_b1": "district_b"}


def employer(world, username="hr_a1", approve=True):
    user = world.users.get(username) or User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username=username, mobile=MOBILE_OF[username], display_name=username)
        world.users[username] = user
    existing = getattr(user, "employer", None) if hasattr(user, "employer") else None
    if existing is not None:
        return existing
    found = services.register_employer(actor=user, uscc=world.enterprises[ENTERPRISE_OF[username]].uscc,
                                       contact_name="王经理", contact_phone=MOBILE_OF[username])
    if approve:
        found = services.decide_employer(actor=world.users[REVIEWER_OF[username]], employer=found, approve=True)
    return found


def posting_data(world, **over):
    data = {
        "title": "数控车床操作工", "description": "负责数控车床操作与日常保养，能看懂机械图纸，有数控车工证优先。",
        "occupation_code": "6", "industry": world.enterprises["a1"].industry,
        "region": world.enterprises["a1"].region, "salary_min": Decimal("8000"), "salary_max": Decimal("12000"),
        "salary_months": 13, "salary_negotiable": False, "education": "secondary_vocational", "experience_years": 2,
        "skills": ["数控车床", "机械制图"], "headcount": 2, "benefits": "五险一金，包工作餐",
        "contact_name": "王经理", "contact_phone": "021-58881234",
        "closes_on": timezone.localdate() + timedelta(days=30),
    }
    data.update(over)
    return data


def posting(world, username="hr_a1", publish=True, **over):
    emp = employer(world, username)
    submitted = services.submit_posting(actor=emp.user, **posting_data(world, **over))
    if publish:
        submitted = services.review_posting(actor=world.users[REVIEWER_OF[username]], posting=submitted,
                                            approve=True)
    return submitted


def seeker(world, username="alice", **over):
    user = world.users[username]
    data = {"name": user.display_name, "mobile": user.mobile, "summary": "在机械厂做过三年数控车床操作",
            "desired_occupations": ["数控车床操作工"], "desired_regions": ["310115"],
            "desired_salary": Decimal("7000"), "skills": ["数控车床"], "education": "secondary_vocational",
            "experience_years": 3}
    data.update(over)
    return services.save_seeker_profile(actor=user, **data)
