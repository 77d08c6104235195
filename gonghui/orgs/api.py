"""Organisations and enterprises in the API, scoped like the workbench."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from gonghui.core.api import ERRORS, paginate, principal_of, require_perm
from gonghui.orgs import selectors, services
from gonghui.orgs.models import Enterprise, Industry, Organization, Region
from gonghui.orgs.schemas import (
    EnterpriseIn,
    EnterpriseOut,
    EnterprisePage,
    EnterprisePatch,
    OrganizationOut,
    OrganizationPage,
)

router = Router(tags=["organisations"])


@router.get("/organizations", response={200: OrganizationPage, **ERRORS}, summary="List organisations in scope")
def list_organizations(request, q: str = Query("", max_length=64), kind: str = Query("", max_length=12),
                       cursor: str | None = Query(None, max_length=500), limit: int = Query(50, ge=1, le=200)):
    """Organisations the caller may see (subtree plus coverage). With ``q``, the best matches by name."""
    require_perm(request, "orgs.view")
    qs = selectors.list_organizations(principal_of(request), kind=kind)
    if q:
        qs = selectors.list_organizations(principal_of(request), query=q, kind=kind, limit=limit)
        items = list(qs[:limit])
        return {"items": items, "next_cursor": None, "count": len(items), "count_capped": False}
    return paginate(qs, sort="path", cursor=cursor, limit=limit)


@router.get("/organizations/{org_id}", response={200: OrganizationOut, **ERRORS}, summary="One organisation")
def get_organization(request, org_id: int):
    require_perm(request, "orgs.view")
    return Organization.objects.get_visible_or_404(principal_of(request), "orgs.view", pk=org_id)


@router.get("/enterprises", response={200: EnterprisePage, **ERRORS}, summary="List enterprises in scope")
def list_enterprises(request, q: str = Query("", max_length=64), region: str = Query("", max_length=6),
                     size_class: str = Query("", max_length=8), has_union: str = Query("", pattern="^(|yes|no)$"),
                     cursor: str | None = Query(None, max_length=500), limit: int = Query(50, ge=1, le=200)):
    """Keyset-paginated by name; with ``q`` the best matches first (at most ``limit``)."""
    require_perm(request, "enterprises.view")
    qs = selectors.list_enterprises(principal_of(request), query=q, region=region, size_class=size_class,
                                    has_union=has_union, limit=limit)
    if q:
        items = list(qs[:limit])
        return {"items": items, "next_cursor": None, "count": len(items), "count_capped": False}
    return paginate(qs, sort="name", cursor=cursor, limit=limit)


@router.get("/enterprises/{enterprise_id}", response={200: EnterpriseOut, **ERRORS}, summary="One enterprise")
def get_enterprise(request, enterprise_id: int):
    require_perm(request, "enterprises.view")
    return Enterprise.objects.get_visible_or_404(principal_of(request), "enterprises.view", pk=enterprise_id)


def _lookup(model, pk, field):
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise ValidationError({field: _("Unknown value: %(value)s") % {"value": pk}})
    return obj


@router.post("/enterprises", response={201: EnterpriseOut, **ERRORS}, summary="Register an enterprise")
def create_enterprise(request, payload: EnterpriseIn):
    principal = principal_of(request)
    require_perm(request, "enterprises.manage")
    owner = Organization.objects.get_visible_or_404(principal, "enterprises.manage", pk=payload.owner_organization_id)
    union = None
    if payload.union_id is not None:
        union = Organization.objects.visible_to(principal, "orgs.view").filter(pk=payload.union_id).first()
        if union is None:
            raise ValidationError({"union_id": _("Unknown union.")})
    enterprise = services.create_enterprise(
        actor=principal, owner_organization=owner, name=payload.name, uscc=payload.uscc,
        industry=_lookup(Industry, payload.industry_id, "industry_id"), size_class=payload.size_class,
        ownership=payload.ownership, headcount=payload.headcount, region=_lookup(Region, payload.region_id, "region_id"),
        address=payload.address, union=union,
    )
    return Status(201, enterprise)


@router.patch("/enterprises/{enterprise_id}", response={200: EnterpriseOut, **ERRORS}, summary="Change an enterprise")
def update_enterprise(request, enterprise_id: int, payload: EnterprisePatch):
    principal = principal_of(request)
    require_perm(request, "enterprises.manage")
    with transaction.atomic():
        enterprise = Enterprise.objects.get_visible_or_404(principal, "enterprises.manage", pk=enterprise_id)
        changes = payload.dict(exclude_unset=True, exclude_none=True)
        return services.update_enterprise(actor=principal, enterprise=enterprise, **changes)
