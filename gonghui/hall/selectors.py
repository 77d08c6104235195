"""Reads for the hall, always through visible_to."""

from django.db.models import Avg, Count, F, Q
from django.utils import timezone

from gonghui.hall.choices import RectificationStatus
from gonghui.hall.models import Rating, Rectification, ServiceRequest

INBOX_TABS = ("mine", "org", "overdue", "awaiting", "all")


def my_requests(user):
    """The applicant's own requests (我的办件)."""
    return (
        ServiceRequest.objects.visible_to(user, "hall.apply")
        .filter(applicant=user)
        .select_related("service_type", "handling_organization")
    )


def inbox(user, *, tab: str = "org", service: str = "", status: str = "", channel: str = "", query: str = ""):
    """The staff inbox. Working tabs show what the user's organisations handle now; "all" adds what they
    received and passed on (escalated) too."""
    via = None if tab == "all" else ("handling_organization",)
    qs = ServiceRequest.objects.visible_to(user, "hall.handle", via=via).select_related(
        "service_type", "handling_organization", "assigned_to")
    today = timezone.localdate()
    if tab == "mine":
        qs = qs.filter(assigned_to=user, closed_at__isnull=True)
    elif tab == "org":
        qs = qs.filter(closed_at__isnull=True)
    elif tab == "overdue":
        qs = qs.filter(closed_at__isnull=True, due_date__lt=today)
    elif tab == "awaiting":
        qs = qs.filter(closed_at__isnull=True, due_date__isnull=True, paused_days_left__isnull=False)
    if service:
        qs = qs.filter(service_type__code=service)
    if status:
        qs = qs.filter(status=status)
    if channel:
        qs = qs.filter(channel=channel)
    if query:
        qs = qs.filter(Q(reference__iexact=query) | Q(applicant_name=query) | Q(applicant_mobile=query))
    return qs


def ratings(user):
    return Rating.objects.filter(
        request__in=ServiceRequest.objects.visible_to(user, "hall.view")
    ).select_related("request__service_type", "request__handling_organization", "rectification")


def open_rectifications(user):
    return Rectification.objects.visible_to(user, "hall.view").exclude(status=RectificationStatus.ANSWERED)


def statistics(user, *, since=None):
    """Volumes, on-time rate and ratings per handling organisation, over the requests in scope."""
    qs = ServiceRequest.objects.visible_to(user, "hall.view")
    if since:
        qs = qs.filter(submitted_at__gte=since)
    rows = list(
        qs.values(org=F("handling_organization__name"))
        .annotate(
            total=Count("id"),
            closed=Count("id", filter=Q(closed_at__isnull=False)),
            on_time=Count("id", filter=Q(closed_on_time=True)),
            overdue=Count("id", filter=Q(closed_at__isnull=True, due_date__lt=timezone.localdate())),
            rated=Count("rating"),
            average=Avg("rating__score"),
            bad=Count("rating", filter=Q(rating__score__lte=2)),
        )
        .order_by("-total")[:50]
    )
    for row in rows:
        row["on_time_rate"] = round(100 * row["on_time"] / row["closed"], 1) if row["closed"] else None
        row["average"] = round(row["average"], 2) if row["average"] is not None else None
    return rows
