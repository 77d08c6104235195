"""Idempotent story builders for the scope walker (core/tests/scope_cases.py): each returns the same
record however often a case asks for it within one test."""

from datetime import timedelta

from django.utils import timezone

from gonghui.core import consent
from gonghui.employment import fairs, services
from gonghui.employment.models import (
    Application,
    Employer,
    FairRegistration,
    JobFair,
    JobPosting,
    SeekerProfile,
)
from gonghui.employment.tests import factories

LIVE_TITLE = "数控车床操作工"
PENDING_TITLE = "焊工（待审核）"
FAIR_A = "浦东新区高校毕业生专场招聘会"
FAIR_B = "徐汇区再就业专场招聘会"


def employer(w, username="hr_a1", approve=True) -> Employer:
    return factories.employer(w, username, approve=approve)


def employers(w) -> dict:
    """hr_a1 (approved), hr_b1 (approved) and hr_a2 (waiting) all exist; returns {} for kwargs."""
    employer(w, "hr_a1")
    employer(w, "hr_b1")
    employer(w, "hr_a2", approve=False)
    return {}


def live_posting(w) -> JobPosting:
    found = JobPosting.objects.filter(title=LIVE_TITLE).first()
    return found or factories.posting(w, "hr_a1", title=LIVE_TITLE)


def pending_posting(w) -> JobPosting:
    found = JobPosting.objects.filter(title=PENDING_TITLE).first()
    return found or factories.posting(w, "hr_a1", publish=False, title=PENDING_TITLE, occupation_code="6-18-02-04")


def seeker(w, username="alice") -> SeekerProfile:
    found = SeekerProfile.objects.filter(user=w.users[username]).first()
    if found is None:
        found = factories.seeker(w, username)
        consent.grant(actor=w.users[username], subject=found, purpose="share_hr_bureau", version="test")
    return found


def alice_application(w) -> Application:
    employers(w)
    found = Application.objects.filter(seeker__user=w.users["alice"]).first()
    if found is None:
        seeker(w)
        found, _created = services.apply(actor=w.users["alice"], posting=live_posting(w),
                                         idempotency_key="scope-alice-apply")
    return found


def fair(w, key="district_a") -> JobFair:
    name = FAIR_A if key == "district_a" else FAIR_B
    found = JobFair.objects.filter(name=name).first()
    if found is None:
        start = timezone.now() + timedelta(days=3)
        found = fairs.create_fair(actor=w.users[key], organization=w.orgs[key], name=name,
                                  theme="graduate" if key == "district_a" else "reemployment", mode="onsite",
                                  starts_at=start, ends_at=start + timedelta(hours=4), quota=50, priority_quota=10,
                                  venue="浦东新区就业促进中心")
    return found


def alice_registration(w) -> FairRegistration:
    seeker(w)
    return fairs.register(actor=w.users["alice"], fair=fair(w))


def placement(w):
    application = alice_application(w)
    if application.status != "hired":
        user = application.posting.employer.user
        for step in ("viewed", "interview", "offer", "hired"):
            application = services.move_application(actor=user, application=application, status=step)
    return application
