"""The daily recommendation run: every active seeker gets their top new postings, with a notification."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from gonghui.accounts.models import User
from gonghui.core import audit
from gonghui.core.notifications import notify
from gonghui.employment import matching
from gonghui.employment.engine.recommend import recommend
from gonghui.employment.models import Application, Recommendation

PER_SEEKER = 5
BATCH = 2000
MIN_SCORE = 0.5  # below this a match is noise, not a recommendation (as in bench/employment.py)


def run_daily(*, today=None, k: int = PER_SEEKER) -> dict:
    """Recommend up to ``k`` live postings to each active seeker, skipping postings they applied to or were
    shown before; notify those who got something new. Safe to run twice a day (unique per day)."""
    today = today or timezone.localdate()
    index = matching.job_index()
    seen: dict[int, set[int]] = {}
    for seeker_id, posting_id in Application.objects.values_list("seeker_id", "posting_id").iterator(
            chunk_size=10000):
        seen.setdefault(seeker_id, set()).add(posting_id)
    for seeker_id, posting_id in Recommendation.objects.filter(run_on__lt=today).values_list(
            "seeker_id", "posting_id").iterator(chunk_size=10000):
        seen.setdefault(seeker_id, set()).add(posting_id)
    # What an earlier run of the same day already recommended: not inserted nor notified again.
    done_today: dict[int, set[int]] = {}
    for seeker_id, posting_id in Recommendation.objects.filter(run_on=today).values_list(
            "seeker_id", "posting_id").iterator(chunk_size=10000):
        done_today.setdefault(seeker_id, set()).add(posting_id)
    live = set(matching.live_postings().values_list("id", flat=True))
    users = dict(matching.active_seekers().values_list("pk", "user_id"))
    profiles = [matching.seeker_doc(s) for s in matching.active_seekers().iterator(chunk_size=BATCH)]
    rows, notified = [], []
    # The engine groups seekers who ask for the same thing, so their text retrieval is shared.
    for result in recommend(index, profiles, k=k + 5, exclude=lambda seeker_id: seen.get(seeker_id, ()),
                            min_score=MIN_SCORE):
        already = done_today.get(result.seeker_id, ())
        fresh = [m for m in [m for m in result.matches if m.id in live][:k] if m.id not in already]
        rows += [Recommendation(seeker_id=result.seeker_id, posting_id=m.id, run_on=today, score=m.score,
                                reasons=[list(r) for r in m.reasons]) for m in fresh]
        if fresh and users.get(result.seeker_id):
            notified.append((users[result.seeker_id], len(fresh)))
        if len(rows) >= BATCH:
            Recommendation.objects.bulk_create(rows, ignore_conflicts=True)
            rows = []
    seekers = len(profiles)
    with transaction.atomic():
        Recommendation.objects.bulk_create(rows, ignore_conflicts=True)
        audit.record(actor=None, action="employment.recommend", after={"seekers": seekers,
                                                                       "notified": len(notified)})
    people = User.objects.in_bulk([user_id for user_id, _count in notified])
    with override("zh-hans"):
        for user_id, count in notified:
            notify(people[user_id], _("%(count)s new jobs recommended for you") % {"count": count},
                   url="/jobs/profile/")
    return {"seekers": seekers, "notified": len(notified)}
