"""The hall in the API: the catalogue (public, for the city's one-stop portal), applications and their
timeline, submitting with an Idempotency-Key, workflow steps and ratings."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Status

from gonghui.core.api import ERRORS, paginate, principal_of
from gonghui.hall import services
from gonghui.hall.models import ServiceRequest, ServiceType
from gonghui.hall.schemas import (
    RatingIn,
    RatingOut,
    RequestDetailOut,
    RequestIn,
    RequestPage,
    ServiceTypeOut,
    TransitionIn,
)

router = Router(tags=["service hall"])


@router.get("/hall/catalogue", auth=None, response=list[ServiceTypeOut], summary="The published catalogue")
def catalogue(request):
    """Every published service with its materials, level and deadline; no sign-in needed."""
    return list(ServiceType.objects.filter(is_active=True))


def _visible(request):
    """Staff see the requests in their scope; anyone else sees their own."""
    return ServiceRequest.objects.visible_to(principal_of(request), "hall.view").select_related(
        "service_type", "handling_organization")


def _get(request, reference) -> ServiceRequest:
    return _visible(request).get_visible_or_404(principal_of(request), "hall.view", reference=reference)


@router.get("/hall/requests", response={200: RequestPage, **ERRORS}, summary="Applications in scope (or mine)")
def list_requests(request, status: str = Query("", max_length=30), open_only: bool = False,
                  cursor: str | None = Query(None, max_length=500), limit: int = Query(50, ge=1, le=200)):
    qs = _visible(request)
    if status:
        qs = qs.filter(status=status)
    if open_only:
        qs = qs.filter(closed_at__isnull=True)
    return paginate(qs, sort="-submitted_at", cursor=cursor, limit=limit)


def _detail(found: ServiceRequest, principal) -> ServiceRequest:
    """The request with the timeline this caller may read: the applicant sees the public events only."""
    events = found.events.all()
    if found.applicant_id is not None and found.applicant_id == getattr(principal, "pk", None):
        events = events.filter(public=True)
    found.timeline = list(events)
    return found


@router.get("/hall/requests/{reference}", response={200: RequestDetailOut, **ERRORS}, summary="One application")
def get_request(request, reference: str):
    return _detail(_get(request, reference), principal_of(request))


@router.post("/hall/requests", response={201: RequestDetailOut, 200: RequestDetailOut, **ERRORS},
             summary="Apply online")
def submit(request, payload: RequestIn, idempotency_key: str = Header(..., alias="Idempotency-Key", min_length=8,
                                                                          max_length=64)):
    """Send the same ``Idempotency-Key`` again and the first application comes back (200) instead of a copy."""
    principal = principal_of(request)
    if not hasattr(principal, "mobile"):
        raise ValidationError({"service_code": _("Applications are made by people, not by API tokens.")})
    service = ServiceType.objects.filter(code=payload.service_code, is_active=True).first()
    if service is None:
        raise ValidationError({"service_code": _("No published service has this code.")})
    created_request, created = services.submit_request(
        actor=principal, service_type=service, summary=payload.summary,
        idempotency_key=f"api:{principal.pk}:{idempotency_key}")
    return Status(201 if created else 200, _detail(created_request, principal))


@router.post("/hall/requests/{reference}/transitions", response={200: RequestDetailOut, **ERRORS},
             summary="Take a workflow step")
def take_step(request, reference: str, payload: TransitionIn):
    found = _get(request, reference)
    principal = principal_of(request)
    if not hasattr(principal, "mobile"):
        raise Http404
    moved = services.transition(actor=principal, request=found, name=payload.action, note=payload.note)
    return _detail(moved, principal)


@router.post("/hall/requests/{reference}/rating", response={201: RatingOut, **ERRORS}, summary="Rate (好差评)")
def rate(request, reference: str, payload: RatingIn):
    found = _get(request, reference)
    rating = services.rate(actor=principal_of(request), request=found, score=payload.score,
                           comment=payload.comment, real_name=payload.real_name)
    return Status(201, {"score": rating.score, "rectification_opened": rating.is_bad})
