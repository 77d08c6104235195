"""The issue's "done when" path at the service level: an employer in district A posts, the union approves,
alice finds it through quick match with an explanation, applies, and is hired."""

import secrets

from gonghui.employment import matching, services
from gonghui.employment.choices import ApplicationStatus, PostingStatus
from gonghui.employment.models import Placement
from gonghui.employment.tests import factories


def test_employer_posts_union_approves_alice_matches_applies_and_is_hired(world):
    employer = factories.employer(world, "hr_a1")
    submitted = services.submit_posting(actor=employer.user, **factories.posting_data(world))
    assert submitted.status == PostingStatus.PENDING
    assert matching.quick_match(text="数控车床") == []  # not live before review

    live = services.review_posting(actor=world.users["district_a"], posting=submitted, approve=True)
    assert live.status == PostingStatus.PUBLISHED

    results = matching.quick_match(text="想找数控车床的工作", region="310115", salary=9000)
    assert results and results[0]["posting"].pk == live.pk
    assert any("数控" in reason for reason in results[0]["reasons"])

    factories.seeker(world, "alice")
    application, created = services.apply(actor=world.users["alice"], posting=live,
                                          idempotency_key=secrets.token_hex(8))
    assert created
    for step in (ApplicationStatus.VIEWED, ApplicationStatus.INTERVIEW, ApplicationStatus.OFFER,
                 ApplicationStatus.HIRED):
        application = services.move_application(actor=employer.user, application=application, status=step)
    assert application.status == ApplicationStatus.HIRED
    placement = Placement.objects.get(application=application)
    assert placement.region_id == "310115"
    assert [e.status for e in application.events.all()] == ["submitted", "viewed", "interview", "offer", "hired"]
