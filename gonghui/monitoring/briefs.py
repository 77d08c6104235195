"""Daily and weekly briefs (舆情日报/周报): volume and sentiment against the previous period, top categories and
enterprises, new and closed warnings, example posts (redacted, never personal data); HTML and PDF."""

from datetime import datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from gonghui.core import audit
from gonghui.core.scoping import Scope, assert_in_scope
from gonghui.monitoring import engine
from gonghui.monitoring.choices import SEVERITY_RANK, BriefKind, Category
from gonghui.monitoring.models import Brief, Post, PostTag, WarningCase
from gonghui.monitoring.workflow import CLOSED
from gonghui.orgs.choices import OrgKind
from gonghui.orgs.models import Organization

EXAMPLE_POSTS = 5


def period(kind: str, day) -> tuple[datetime, datetime]:
    """The brief's period ending before ``day`` starts: that day's eve (daily) or the week before (weekly)."""
    end = timezone.make_aware(datetime.combine(day, time.min))
    return (end - timedelta(days=1 if kind == BriefKind.DAILY else 7)), end


def _scoped(model, organization):
    scope = Scope(paths=(organization.path,)) if organization.depth else Scope(everything=True)
    qs = model.objects.all()
    return qs if scope.everything else qs.filter(qs.scope_q(scope))


def _stats(posts, tags, start, end) -> dict:
    firsts = posts.filter(published_at__gte=start, published_at__lt=end, duplicate_of__isnull=True)
    agg = firsts.aggregate(n=Count("id"), s=Avg("sentiment"))
    negative = firsts.filter(sentiment__lte=-0.2).count()
    return {"volume": agg["n"], "sentiment": round(agg["s"] or 0.0, 3), "negative": negative,
            "duplicates": posts.filter(published_at__gte=start, published_at__lt=end,
                                       duplicate_of__isnull=False).count()}


def compute(*, organization, kind: str, start, end) -> dict:
    posts, tags = _scoped(Post, organization), _scoped(PostTag, organization)
    length = end - start
    current, previous = _stats(posts, tags, start, end), _stats(posts, tags, start - length, start)
    window = tags.filter(published_at__gte=start, published_at__lt=end)
    labels = dict(Category.choices)
    categories = [{"code": r["category"], "label": str(labels.get(r["category"], r["category"])), "count": r["n"]}
                  for r in window.values("category").annotate(n=Count("post", distinct=True)).order_by("-n")[:9]]
    enterprises = [{"name": r["enterprise__name"], "count": r["n"]}
                   for r in window.filter(enterprise__isnull=False).values("enterprise__name")
                   .annotate(n=Count("post", distinct=True)).order_by("-n", "enterprise__name")[:10]]
    cases = WarningCase.objects.filter(pk__in=_scoped(WarningCase, organization).values("pk")) \
        .select_related("request", "enterprise")

    def case_row(c):
        return {"reference": c.request.reference, "category": str(c.get_category_display()),
                "severity": c.severity, "severity_label": str(c.get_severity_display()),
                "subject": c.enterprise.name if c.enterprise_id else c.request.applicant_name,
                "status": str(c.request.status_label), "outcome": str(c.get_outcome_display() or "")}

    new_cases = [case_row(c) for c in cases.filter(request__submitted_at__gte=start, request__submitted_at__lt=end)]
    closed_cases = [case_row(c) for c in cases.filter(request__status=CLOSED, request__closed_at__gte=start,
                                                      request__closed_at__lt=end)]
    candidates = list(posts.filter(published_at__gte=start, published_at__lt=end, duplicate_of__isnull=True)
                      .exclude(categories=[]).order_by("-published_at")[:300])
    candidates.sort(key=lambda p: (-SEVERITY_RANK.get(p.severity, 0), p.sentiment))
    examples = [{"text": engine.redact(p.text)[:160], "source": p.source.name if p.source_id else "",
                 "published_at": timezone.localtime(p.published_at).strftime("%Y-%m-%d %H:%M"),
                 "severity": p.severity, "categories": [str(labels.get(c, c)) for c in p.categories]}
                for p in candidates[:EXAMPLE_POSTS]]

    def change(a, b):
        return None if not b else round(100 * (a - b) / b, 1)

    return {"current": current, "previous": previous,
            "volume_change": change(current["volume"], previous["volume"]),
            "sentiment_change": round(current["sentiment"] - previous["sentiment"], 3),
            "categories": categories, "enterprises": enterprises, "new_warnings": new_cases,
            "closed_warnings": closed_cases, "examples": examples,
            "organization": organization.name, "kind": kind}


def generate(*, actor, organization, kind: str, day=None) -> tuple[Brief, bool]:
    """Generate (once) the brief of the period ending before ``day`` (today by default)."""
    if actor is not None:
        assert_in_scope(organization, actor, "monitoring.view")
    day = day or timezone.localdate()
    start, end = period(kind, day)
    existing = Brief.objects.filter(kind=kind, owner_organization=organization, period_start=start).first()
    if existing is not None:
        return existing, False
    data = compute(organization=organization, kind=kind, start=start, end=end)
    try:
        with transaction.atomic():
            brief = Brief.objects.create(kind=kind, owner_organization=organization, period_start=start,
                                         period_end=end, data=data, generated_by=actor)
            audit.record(actor=actor, action="monitoring.brief", obj=brief, after={"kind": kind})
    except IntegrityError:
        return Brief.objects.get(kind=kind, owner_organization=organization, period_start=start), False
    return brief, True


def regenerate(*, actor, brief: Brief) -> Brief:
    """On demand: recompute a brief (e.g. today's, while the day is still running). Managers only; the
    archived brief of a finished period is a record and is not overwritten."""
    if not actor.has_gonghui_perm("monitoring.manage"):
        raise PermissionDenied
    assert_in_scope(brief, actor, "monitoring.manage")
    with transaction.atomic():
        brief = Brief.objects.select_for_update().get(pk=brief.pk)
        if brief.period_end <= timezone.now():
            raise ValidationError({"brief": _("The period is over: its archived brief is kept as it is.")})
        brief.data = compute(organization=brief.owner_organization, kind=brief.kind, start=brief.period_start,
                             end=brief.period_end)
        brief.generated_at, brief.generated_by = timezone.now(), actor
        brief.save()
        audit.record(actor=actor, action="monitoring.brief_regenerate", obj=brief)
    return brief


def scheduled(now=None) -> int:
    """The scheduler's job: yesterday's daily brief (and on Mondays last week's) for the city and each district."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    made = 0
    for organization in Organization.objects.filter(kind__in=[OrgKind.CITY_FEDERATION, OrgKind.DISTRICT_UNION],
                                                    is_active=True):
        made += generate(actor=None, organization=organization, kind=BriefKind.DAILY, day=today)[1]
        if today.weekday() == 0:
            made += generate(actor=None, organization=organization, kind=BriefKind.WEEKLY, day=today)[1]
    return made


def context(brief: Brief) -> dict:
    return {"d": brief.data, "start": timezone.localtime(brief.period_start),
            "end": timezone.localtime(brief.period_end) - timedelta(seconds=1),
            "title": _("Daily brief") if brief.kind == BriefKind.DAILY else _("Weekly brief")}


def render_html(brief: Brief) -> str:
    """The PDF's HTML, always in Chinese (the brief is a document for the union's records)."""
    with override("zh-hans"):
        return render_to_string("monitoring/pdf/brief.html", {"brief": brief, **context(brief)})


def pdf(brief: Brief) -> bytes:
    """The brief as PDF (Chinese text in Noto Sans CJK, from Debian's fonts-noto-cjk)."""
    from weasyprint import HTML

    return HTML(string=render_html(brief)).write_pdf()
