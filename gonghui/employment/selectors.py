"""Reads of the employment platform, always through visible_to()."""

from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils import timezone

from gonghui.core.models import Consent, ConsentPurpose
from gonghui.employment.choices import ApplicationStatus, Education, PostingStatus, PriorityGroup
from gonghui.employment.data.occupations import occupation_label
from gonghui.employment.models import JobPosting, Placement, SeekerProfile

SALARY_BANDS = [(0, 5000), (5000, 8000), (8000, 12000), (12000, 20000), (20000, None)]


def live_postings():
    return JobPosting.objects.filter(status=PostingStatus.PUBLISHED, closes_on__gte=timezone.localdate())


def _period(since, until) -> tuple[datetime, datetime]:
    """A period given as dates (inclusive); the default is the last seven days."""
    today = timezone.localdate()
    until = until or today
    since = since or until - timedelta(days=6)
    tz = timezone.get_current_timezone()
    return (timezone.make_aware(datetime.combine(since, time.min), tz),
            timezone.make_aware(datetime.combine(until + timedelta(days=1), time.min), tz))


def _as_date(value) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def postings_for_exchange(principal, *, since=None, until=None, perm="employment.exchange.view"):
    start, end = _period(_as_date(since), _as_date(until))
    return JobPosting.objects.visible_to(principal, perm).filter(
        status__in=[PostingStatus.PUBLISHED, PostingStatus.CLOSED], published_at__gte=start, published_at__lt=end
    ).select_related("employer__enterprise").order_by("published_at", "id")


def consented_seekers():
    consents = Consent.objects.filter(subject_type=ContentType.objects.get_for_model(SeekerProfile),
                                      purpose=ConsentPurpose.SHARE_HR_BUREAU, withdrawn_at__isnull=True)
    return SeekerProfile.objects.filter(pk__in=consents.values("subject_id"))


def seekers_for_exchange(principal, *, since=None, until=None, perm="employment.exchange.view"):
    """Only seekers who gave their separate consent to sharing with the HR bureau (PIPL art. 23)."""
    start, end = _period(_as_date(since), _as_date(until))
    allowed = consented_seekers().values("pk")
    return SeekerProfile.objects.visible_to(principal, perm).filter(
        pk__in=allowed, updated_at__gte=start, updated_at__lt=end).order_by("updated_at", "id")


def placements_for_exchange(principal, *, since=None, until=None, perm="employment.exchange.view"):
    start, end = _period(_as_date(since), _as_date(until))
    return Placement.objects.visible_to(principal, perm).filter(
        hired_on__gte=start.date(), hired_on__lt=end.date()).select_related("application").order_by("hired_on", "id")


def _counts(qs, field: str, limit: int = 15) -> list[tuple[str, int]]:
    return [(row[field] or "—", row["n"]) for row in qs.values(field).annotate(n=Count("pk")).order_by("-n")[:limit]]


def dashboard(principal, *, today: date | None = None) -> dict:
    """The employment analysis: postings and seekers by industry, occupation and district, salary bands,
    priority-group placement rates and week-over-week change."""
    today = today or timezone.localdate()
    postings = JobPosting.objects.visible_to(principal, "employment.view")
    live = postings.filter(status=PostingStatus.PUBLISHED, closes_on__gte=today)
    seekers = SeekerProfile.objects.visible_to(principal, "employment.view").filter(is_active=True)
    placements = Placement.objects.visible_to(principal, "employment.view")
    bands = []
    for low, high in SALARY_BANDS:
        q = Q(salary_max__gte=low) if high is None else Q(salary_max__gte=low, salary_max__lt=high)
        bands.append({"low": low, "high": high, "count": live.filter(q).count()})
    bands.append({"low": None, "high": None, "count": live.filter(salary_max__isnull=True).count()})
    tz = timezone.get_current_timezone()
    this_week = timezone.make_aware(datetime.combine(today - timedelta(days=6), time.min), tz)
    last_week = this_week - timedelta(days=7)

    def week_over_week(qs, field):
        now = qs.filter(**{f"{field}__gte": this_week}).count()
        before = qs.filter(**{f"{field}__gte": last_week, f"{field}__lt": this_week}).count()
        change = None if before == 0 else round((now - before) * 100 / before, 1)
        return {"this_week": now, "last_week": before, "change": change}

    groups = []
    for code, label in PriorityGroup.choices:
        group_seekers = seekers.filter(priority_groups__contains=[code]) if _json_contains() else seekers.filter(
            priority_groups__icontains=f'"{code}"')
        total = group_seekers.count()
        hired = group_seekers.filter(applications__status=ApplicationStatus.HIRED).distinct().count()
        groups.append({"code": code, "label": label, "seekers": total, "hired": hired,
                       "rate": round(hired * 100 / total, 1) if total else None})
    return {
        "live": live.count(),
        "pending": postings.filter(status=PostingStatus.PENDING).count(),
        "seekers": seekers.count(),
        "placements": placements.count(),
        "by_industry": _counts(live.values("industry__name"), "industry__name"),
        "by_occupation": [(f"{code} {occupation_label(code)}".strip(), n) for code, n in _counts(live, "occupation_code")],
        "by_district": _counts(live.values("region__name"), "region__name"),
        "seekers_by_education": [(str(Education(code).label) if code in Education.values else code, n)
                                 for code, n in _counts(seekers, "education")],
        "salary_bands": bands,
        "priority_groups": groups,
        "postings_wow": week_over_week(postings.exclude(published_at=None), "published_at"),
        "seekers_wow": week_over_week(seekers, "created_at"),
        "placements_wow": {k: v for k, v in _placement_wow(placements, today).items()},
    }


def _placement_wow(placements, today):
    now = placements.filter(hired_on__gt=today - timedelta(days=7)).count()
    before = placements.filter(hired_on__gt=today - timedelta(days=14), hired_on__lte=today - timedelta(days=7)).count()
    return {"this_week": now, "last_week": before, "change": None if before == 0 else round(
        (now - before) * 100 / before, 1)}


def _json_contains() -> bool:
    """JSON containment on lists works on PostgreSQL only; SQLite falls back to text matching."""
    from django.db import connection

    return connection.vendor == "postgresql"
