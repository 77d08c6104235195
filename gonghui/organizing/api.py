"""Union organising in the API: join applications (filed online, listed for the unions that handle them),
e-member card verification, and membership transfers."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Status

from gonghui.core import ratelimit
from gonghui.core.api import ERRORS, ErrorOut, paginate, principal_of, require_perm
from gonghui.core.masking import mask_id_number
from gonghui.members import services as members
from gonghui.members.choices import CURRENT_STATUSES
from gonghui.members.models import Membership, Transfer
from gonghui.organizing import services
from gonghui.organizing.api_establishment import router as establishment_router
from gonghui.organizing.models import JoinApplication
from gonghui.organizing.schemas import (
    CardCheckOut,
    JoinApplicationPage,
    JoinIn,
    JoinOut,
    RefuseIn,
    TransferIn,
    TransferOut,
    TransferPage,
)
from gonghui.orgs.choices import OrgKind
from gonghui.orgs.models import Enterprise, Organization, Region

router = Router(tags=["membership"])
router.add_router("", establishment_router)  # union establishment and targets (api_establishment.py)


def _person_only(request):
    principal = principal_of(request)
    if not hasattr(principal, "mobile"):
        raise ValidationError({"token": _("Only a signed-in person can do this, not an API token.")})
    return principal


def _get_or_field_error(queryset, pk, field, message):
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: message})
    return found


@router.post("/join-applications", response={201: JoinOut, 200: JoinOut, **ERRORS}, summary="Apply to join the union")
def join(request, payload: JoinIn, idempotency_key: str = Header(..., alias="Idempotency-Key", min_length=8,
                                                                   max_length=64)):
    """The signed-in worker applies; the application is routed (QR union, employer's union, covering
    federation, home street, district) and handled in the service hall. The same Idempotency-Key returns the
    first application (200)."""
    actor = _person_only(request)
    active = Enterprise.objects.filter(is_active=True)
    region = Region.objects.filter(code=payload.home_region, parent__isnull=False).first()
    data = payload.dict()
    data.update(
        employer=_get_or_field_error(active, payload.employer_id, "employer", _("No operating enterprise has this id.")),
        platform=_get_or_field_error(active, payload.platform_id, "platform", _("No operating enterprise has this id.")),
        home_region=region,
        home_street=_get_or_field_error(Organization.objects.filter(kind=OrgKind.STREET_FEDERATION, is_active=True),
                                        payload.home_street_id, "home_street", _("No street or town union has this id.")),
        chosen_union=services.union_from_token(payload.union_token) if payload.union_token else None,
    )
    if payload.union_token and data["chosen_union"] is None:
        raise ValidationError({"union_token": _("This QR code is not valid.")})
    created_request, created = services.apply_to_join(actor=actor, data=data,
                                                      idempotency_key=f"api-join:{actor.pk}:{idempotency_key}")
    return Status(201 if created else 200, {
        "reference": created_request.reference, "status": created_request.status,
        "handling_organization": str(created_request.handling_organization),
        "route": created_request.join.route, "due_date": created_request.due_date})


@router.get("/join-applications", response={200: JoinApplicationPage, **ERRORS},
            summary="Join applications handled in scope")
def join_applications(request, open_only: bool = True, cursor: str | None = Query(None, max_length=500),
                      limit: int = Query(50, ge=1, le=200)):
    require_perm(request, "members.manage")
    qs = JoinApplication.objects.visible_to(principal_of(request), "members.manage", include_self=False).select_related(
        "request")
    if open_only:
        qs = qs.filter(is_open=True)
    page = paginate(qs, sort="-created_at", cursor=cursor, limit=limit)
    page["items"] = [{"reference": a.request.reference, "name": a.name, "id_number_masked": mask_id_number(a.id_number),
                      "employment_form": a.employment_form, "route": a.route, "status": a.request.status,
                      "handling_organization_id": a.request.handling_organization_id, "submitted_at": a.created_at}
                     for a in page["items"]]
    return page


@router.get("/cards/verify", auth=None, response={200: CardCheckOut, 429: ErrorOut, **ERRORS}, summary="Check an e-member card code")
def verify_card(request, token: str = Query(..., max_length=400)):
    """What the public verification page shows: valid or not, the name masked, the union and status.
    Rate-limited per address."""
    if not ratelimit.hit(f"card-verify:{ratelimit.client_address(request)}",
                         limit=settings.GONGHUI_CARD_VERIFY_PER_MINUTE, window_seconds=60):
        return Status(429, {"code": "throttled", "message": _("Too many checks from this address. Wait a minute."),
                            "errors": []})
    check = members.verify_card_token(token)
    return {"valid": check.valid, "reason": check.reason, "masked_name": check.masked_name, "union": check.union,
            "status": check.status}


@router.get("/transfers", response={200: TransferPage, **ERRORS}, summary="Membership transfers in scope (or mine)")
def transfers(request, status: str = Query("", max_length=12), cursor: str | None = Query(None, max_length=500),
              limit: int = Query(50, ge=1, le=200)):
    qs = Transfer.objects.visible_to(principal_of(request), "members.view")
    if status:
        qs = qs.filter(status=status)
    return paginate(qs, sort="-requested_at", cursor=cursor, limit=limit)


@router.post("/transfers", response={201: TransferOut, 200: TransferOut, **ERRORS}, summary="Ask for a transfer")
def request_transfer(request, payload: TransferIn, idempotency_key: str = Header(..., alias="Idempotency-Key",
                                                                                   min_length=8, max_length=64)):
    actor = _person_only(request)
    if payload.membership_id is None:
        membership = Membership.objects.filter(person__user=actor, status__in=CURRENT_STATUSES).first()
        if membership is None:
            raise ValidationError({"membership_id": _("You have no current membership to transfer.")})
    else:
        membership = Membership.objects.get_visible_or_404(actor, "members.manage", include_self=False,
                                                           pk=payload.membership_id)
    to_union = Organization.objects.filter(pk=payload.to_union_id).first()
    if to_union is None:
        raise ValidationError({"to_union_id": _("No union has this id.")})
    existing = Transfer.objects.filter(requested_by=actor, idempotency_key=idempotency_key).first()
    transfer = members.request_transfer(actor=actor, membership=membership, to_union=to_union, reason=payload.reason,
                                        idempotency_key=idempotency_key)
    return Status(200 if existing else 201, transfer)


def _transfer(request, pk) -> Transfer:
    return Transfer.objects.get_visible_or_404(principal_of(request), "members.manage", include_self=False, pk=pk)


@router.post("/transfers/{pk}/confirm", response={200: TransferOut, **ERRORS}, summary="Confirm my union's side")
def confirm_transfer(request, pk: int):
    require_perm(request, "members.manage")
    return members.confirm_transfer(actor=_person_only(request), transfer=_transfer(request, pk))


@router.post("/transfers/{pk}/refuse", response={200: TransferOut, **ERRORS}, summary="Refuse a transfer")
def refuse_transfer(request, pk: int, payload: RefuseIn):
    require_perm(request, "members.manage")
    return members.refuse_transfer(actor=_person_only(request), transfer=_transfer(request, pk), reason=payload.reason)

