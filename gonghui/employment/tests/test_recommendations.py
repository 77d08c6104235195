from datetime import timedelta

from django.utils import timezone

from gonghui.core.models import Notification
from gonghui.core.scheduler import jobs
from gonghui.employment import matching, recommendations, services
from gonghui.employment.models import Recommendation
from gonghui.employment.tests import factories


def test_the_daily_run_recommends_new_postings_once_and_notifies(world):
    posting = factories.posting(world)
    factories.seeker(world, "alice")
    factories.seeker(world, "bob", summary="软件测试", desired_occupations=["软件测试"], desired_regions=["310104"])
    result = recommendations.run_daily()
    assert result["seekers"] == 2
    alice_recs = Recommendation.objects.filter(seeker__user=world.users["alice"])
    assert [r.posting_id for r in alice_recs] == [posting.pk]
    assert alice_recs[0].reasons and matching.render_reasons(alice_recs[0].reasons)
    assert Notification.objects.filter(user=world.users["alice"]).exists()
    # The next day the same posting is not recommended again, and applied postings never are.
    tomorrow = timezone.localdate() + timedelta(days=1)
    recommendations.run_daily(today=tomorrow)
    assert not Recommendation.objects.filter(run_on=tomorrow, seeker__user=world.users["alice"]).exists()


def test_applied_postings_are_not_recommended(world):
    posting = factories.posting(world)
    factories.seeker(world, "alice")
    services.apply(actor=world.users["alice"], posting=posting, idempotency_key="rec-apply-1")
    recommendations.run_daily()
    assert not Recommendation.objects.filter(seeker__user=world.users["alice"]).exists()


def test_the_daily_run_is_a_scheduled_job(world):
    assert "employment.daily_recommendations" in {job.name for job in jobs()}


def test_the_profile_page_shows_recommendations_with_reasons(world):
    posting = factories.posting(world)
    factories.seeker(world, "alice")
    recommendations.run_daily()
    page = world.client("alice").get("/jobs/profile/").content.decode()
    assert 'data-testid="recommendations"' in page and posting.title in page


def test_seekers_are_ranked_for_a_posting_with_reasons(world):
    posting = factories.posting(world)
    factories.seeker(world, "alice")
    factories.seeker(world, "bob", summary="会计", desired_occupations=["会计"], skills=["财务"],
                     desired_regions=["310104"])
    ranked = matching.seekers_for_posting(posting, k=5)
    assert ranked[0]["seeker"].name == "李爱丽" and ranked[0]["reasons"]
