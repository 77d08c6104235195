"""Monitoring in the API: partner systems push posts; staff read posts, schemes, alerts, warnings and briefs;
``POST /monitoring/classify`` classifies a batch of texts. Pushes and classification batches are size-limited
before anything parses them (413 with the limit in the message)."""

from datetime import datetime
from functools import wraps

from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.decorators import decorate_view

from gonghui.core.api import ERRORS, ErrorOut, KeysetPage, paginate, principal_of, require_perm
from gonghui.hall.models import ServiceRequest
from gonghui.monitoring import engine, ingestion
from gonghui.monitoring.choices import Category, Severity, SourceKind
from gonghui.monitoring.models import Alert, Brief, Post, Scheme, Source, WarningCase
from gonghui.monitoring.workflow import SERVICE_CODE

router = Router(tags=["monitoring"])

PUSH_MAX_BYTES = 2 * 1024 * 1024
CLASSIFY_MAX_BYTES = 1024 * 1024
CLASSIFY_MAX_TEXTS = 200
TEXT_MAX_CHARS = 20_000
LIMITED = {413: ErrorOut, **ERRORS}


def body_limit(max_bytes: int):
    """Refuse an oversized body from its declared length, before it is read or parsed."""

    def decorator(run):
        @wraps(run)
        def wrapped(request, *args, **kwargs):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > max_bytes:
                return JsonResponse({"code": "too_large", "errors": [], "message": _(
                    "The request is %(size)s KB; at most %(max)s KB is accepted. Send smaller batches.") % {
                    "size": length // 1024, "max": max_bytes // 1024}}, status=413)
            return run(request, *args, **kwargs)

        return wrapped

    return decorator


class PushItem(Schema):
    external_id: str = Field(..., min_length=1, max_length=200)
    text: str = Field("", max_length=TEXT_MAX_CHARS)
    title: str = Field("", max_length=500)
    url: str = Field("", max_length=500)
    published_at: datetime | None = None
    region: str = Field("", max_length=6, description="GB/T 2260 code of the district, if known")


class PushIn(Schema):
    source: str = Field(..., min_length=1, max_length=40, description="The source's code")
    items: list[PushItem] = Field(..., max_length=ingestion.MAX_ITEMS)


class ItemError(Schema):
    index: int
    field: str
    message: str


class PushOut(Schema):
    created: int
    already: int
    near_duplicates: int
    empty: int
    errors: list[ItemError]


@router.post("/monitoring/push", response={200: PushOut, **LIMITED}, summary="Push a batch of posts")
@decorate_view(body_limit(PUSH_MAX_BYTES))
def push(request, payload: PushIn):
    """Idempotent by (source, external_id): pushing the same item again counts it under ``already``. At most
    500 items and 2 MB per request; near duplicates are stored but grouped under their first post."""
    require_perm(request, "monitoring.push")
    # Only an active push source takes pushes: feeds, uploads and the internal channels are fed otherwise.
    source = Source.objects.get_visible_or_404(principal_of(request), "monitoring.push", code=payload.source,
                                               kind=SourceKind.PUSH, is_active=True)
    result = ingestion.ingest(source=source, items=[i.dict() for i in payload.items], actor=principal_of(request))
    return result.as_dict()


class ClassifyIn(Schema):
    texts: list[str] = Field(..., min_length=1, max_length=CLASSIFY_MAX_TEXTS)


class ClassificationOut(Schema):
    categories: list[str]
    sentiment: float
    severity: str
    terms: list[str]


@router.post("/monitoring/classify", response={200: list[ClassificationOut], **LIMITED},
             summary="Classify a batch of texts")
@decorate_view(body_limit(CLASSIFY_MAX_BYTES))
def classify(request, payload: ClassifyIn):
    """Risk categories, sentiment in [-1, 1], per-text severity and matched terms for each text (at most 200
    texts, 1 MB). Nothing is stored."""
    require_perm(request, "monitoring.view")
    texts = [engine.normalize(t, max_length=TEXT_MAX_CHARS) for t in payload.texts]
    return [c.as_dict() for c in engine.classify_many(texts)]


class PostOut(Schema):
    id: int
    source: str = Field(..., alias="source.code")
    url: str
    title: str
    text: str
    published_at: datetime
    region: str | None = Field(None, alias="region_id")
    enterprise: str | None = Field(None, alias="enterprise.name")
    categories: list[str]
    sentiment: float
    severity: str
    duplicate_of: int | None = Field(None, alias="duplicate_of_id")


class PostPage(KeysetPage):
    items: list[PostOut]


@router.get("/monitoring/posts", response={200: PostPage, **ERRORS}, summary="Posts in scope")
def list_posts(request, category: str = Query("", max_length=20), severity: str = Query("", max_length=8),
               include_duplicates: bool = False, scheme: int | None = None,
               cursor: str | None = Query(None, max_length=500), limit: int = Query(50, ge=1, le=200)):
    """``scheme``: only posts that matched this saved scheme (one visible to the caller)."""
    require_perm(request, "monitoring.view")
    qs = Post.objects.visible_to(principal_of(request), "monitoring.view").select_related("source", "enterprise")
    if scheme is not None:
        chosen = Scheme.objects.visible_to(principal_of(request), "monitoring.view").filter(pk=scheme).first()
        qs = qs.filter(schemes=chosen) if chosen else qs.none()
    if category in Category.values:
        qs = qs.filter(tags__category=category)
    if severity in Severity.values:
        qs = qs.filter(severity=severity)
    if not include_duplicates:
        qs = qs.filter(duplicate_of__isnull=True)
    return paginate(qs, sort="-published_at", cursor=cursor, limit=limit)


class SchemeOut(Schema):
    id: int
    name: str
    organization: str = Field(..., alias="owner_organization.name")
    region_terms: list[str]
    subject_terms: list[str]
    event_terms: list[str]
    exclude_terms: list[str]
    any_of: bool
    window: int


@router.get("/monitoring/schemes", response={200: list[SchemeOut], **ERRORS}, summary="Monitoring schemes")
def list_schemes(request):
    require_perm(request, "monitoring.view")
    return list(Scheme.objects.visible_to(principal_of(request), "monitoring.view")
                .select_related("owner_organization")[:200])


class AlertOut(Schema):
    id: int
    category: str
    severity: str
    status: str
    reason: str
    enterprise: str | None = Field(None, alias="enterprise.name")
    region: str | None = Field(None, alias="region_id")
    post_count: int
    raised_at: datetime
    warning: str | None = Field(None, alias="warning.reference")


class AlertPage(KeysetPage):
    items: list[AlertOut]


@router.get("/monitoring/alerts", response={200: AlertPage, **ERRORS}, summary="Alerts in scope")
def list_alerts(request, status: str = Query("", max_length=12), cursor: str | None = Query(None, max_length=500),
                limit: int = Query(50, ge=1, le=200)):
    require_perm(request, "monitoring.view")
    qs = Alert.objects.visible_to(principal_of(request), "monitoring.view").select_related("enterprise", "warning")
    if status:
        qs = qs.filter(status=status)
    return paginate(qs, sort="-updated_at", cursor=cursor, limit=limit)


class WarningOut(Schema):
    reference: str
    status: str
    category: str
    severity: str
    outcome: str
    handling_organization: str
    enterprise: str | None
    due_date: str | None
    opened_at: datetime


@router.get("/monitoring/warnings", response={200: list[WarningOut], **ERRORS}, summary="Early-warning cases")
def list_warnings(request, open_only: bool = True):
    require_perm(request, "monitoring.view")
    requests = ServiceRequest.objects.visible_to(principal_of(request), "monitoring.view").filter(
        service_type__code=SERVICE_CODE)
    if open_only:
        requests = requests.filter(closed_at__isnull=True)
    cases = WarningCase.objects.filter(request__in=requests).select_related(
        "request__handling_organization", "enterprise").order_by("-request__submitted_at")[:200]
    return [{"reference": c.request.reference, "status": c.request.status, "category": c.category,
             "severity": c.severity, "outcome": c.outcome, "handling_organization": c.request.handling_organization.name,
             "enterprise": c.enterprise.name if c.enterprise_id else None,
             "due_date": c.request.due_date.isoformat() if c.request.due_date else None,
             "opened_at": c.request.submitted_at} for c in cases]


class BriefOut(Schema):
    id: int
    kind: str
    organization: str = Field(..., alias="owner_organization.name")
    period_start: datetime
    period_end: datetime
    generated_at: datetime
    data: dict


@router.get("/monitoring/briefs", response={200: list[BriefOut], **ERRORS}, summary="Brief archive")
def list_briefs(request, kind: str = Query("", max_length=8), limit: int = Query(30, ge=1, le=100)):
    require_perm(request, "monitoring.view")
    qs = Brief.objects.visible_to(principal_of(request), "monitoring.view").select_related("owner_organization")
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs[:limit])
