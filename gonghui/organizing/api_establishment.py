"""Targets and union establishment in the API: the backlog per district, establishment cases and their steps,
and targets with their measured progress. Reads work for staff and scoped API tokens; the steps of a case and
setting a target are taken by signed-in staff (they are recorded under a person's name)."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema, Status

from gonghui.core.api import ERRORS, KeysetPage, paginate, principal_of, require_perm
from gonghui.organizing import establishment as services
from gonghui.organizing import targets as target_services
from gonghui.organizing.models.establishment import (
    CaseStatus,
    EstablishmentCase,
    EstablishmentOutcome,
    PreparatoryRole,
)
from gonghui.organizing.models.targets import Target, TargetGroup, TargetMetric
from gonghui.orgs.models import Enterprise, Organization

router = Router(tags=["establishment and targets"])


class BacklogItemOut(Schema):
    id: int
    name: str
    uscc: str
    headcount: int
    region_id: str
    region_name: str
    owner_organization_id: int
    open_case: bool

    @staticmethod
    def resolve_region_name(obj):
        return obj.region.name


class BacklogPage(KeysetPage):
    items: list[BacklogItemOut]


class PreparatoryMemberOut(Schema):
    id: int
    name: str
    role: str
    job_title: str


class CaseEventOut(Schema):
    kind: str
    note: str
    at: str

    @staticmethod
    def resolve_at(obj):
        return obj.at.isoformat()


class CaseOut(Schema):
    id: int
    proposed_name: str
    outcome: str
    status: str
    owner_organization_id: int
    enterprise_ids: list[int]
    election_date: date | None = None
    committee: list[str]
    chair_name: str
    union_id: int | None = None
    opened_at: str

    @staticmethod
    def resolve_enterprise_ids(obj):
        return sorted(obj.case_enterprises.values_list("enterprise_id", flat=True))

    @staticmethod
    def resolve_opened_at(obj):
        return obj.opened_at.isoformat()


class CaseDetailOut(CaseOut):
    preparatory_group: list[PreparatoryMemberOut]
    timeline: list[CaseEventOut]

    @staticmethod
    def resolve_preparatory_group(obj):
        return list(obj.preparatory_members.all())

    @staticmethod
    def resolve_timeline(obj):
        return list(obj.events.all())


class CasePage(KeysetPage):
    items: list[CaseOut]


class CaseIn(Schema):
    upper_id: int = Field(..., ge=1, le=2**31 - 1)
    outcome: EstablishmentOutcome
    proposed_name: str = Field(..., min_length=1, max_length=120)
    enterprise_ids: list[int] = Field(..., min_length=1, max_length=200)


class MemberIn(Schema):
    name: str = Field(..., min_length=1, max_length=60)
    role: PreparatoryRole = PreparatoryRole.MEMBER
    job_title: str = Field("", max_length=60)


class ElectionIn(Schema):
    election_date: date
    committee: list[str] = Field(..., min_length=1, max_length=100)
    chair_name: str = Field(..., min_length=1, max_length=60)


class DecisionIn(Schema):
    decision: str = Field(..., pattern="^(approve|return)$")
    note: str = Field("", max_length=300)


class ReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=300)


class TargetOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    year: int
    metric: str
    group: str
    value: int
    actual: float | None = None
    share: float


class TargetIn(Schema):
    organization_id: int = Field(..., ge=1, le=2**31 - 1)
    year: int = Field(..., ge=2000, le=2100)
    metric: TargetMetric
    group: TargetGroup = TargetGroup.ALL
    value: int = Field(..., ge=1, le=10_000_000)
    note: str = Field("", max_length=200)


def _staff_person(request, perm: str):
    """Case steps and targets are signed by a person: API tokens may read, not take them."""
    require_perm(request, perm)
    principal = principal_of(request)
    if getattr(principal, "_meta", None) is None or principal._meta.model_name != "user":
        raise PermissionDenied
    return principal


def _ids(value: int) -> int:
    return value if 0 < value < 2**31 else 0


def _case(request, case_id: int, perm: str = "organizing.establish") -> EstablishmentCase:
    return EstablishmentCase.objects.get_visible_or_404(principal_of(request), perm, pk=_ids(case_id))


def _target_rows(targets) -> list[dict]:
    return [
        {"id": row["target"].pk, "organization_id": row["target"].organization_id,
         "organization_name": row["target"].organization.name, "year": row["target"].year,
         "metric": row["target"].metric, "group": row["target"].group, "value": row["target"].value,
         "actual": row["actual"], "share": row["share"]}
        for row in target_services.progress(targets)
    ]


@router.get("/organizing/establishment/backlog", response={200: BacklogPage, **ERRORS},
            summary="Enterprises that should set up a union")
def backlog(request, region: str = Query("", max_length=6), q: str = Query("", max_length=64),
            case: str = Query("", pattern="^(|yes|no)$"), cursor: str | None = Query(None, max_length=500),
            limit: int = Query(50, ge=1, le=200)):
    """Operating enterprises with 25+ employees, no union and no covering joint union or federation, in the
    caller's scope; ``region`` is a GB/T 2260 district code, ``case`` filters on a case under way."""
    require_perm(request, "organizing.establish")
    qs = services.list_backlog(principal_of(request), region=region, query=q, with_case=case)
    return paginate(qs, sort="name", cursor=cursor, limit=limit)


@router.get("/organizing/establishment/cases", response={200: CasePage, **ERRORS}, summary="Establishment cases")
def list_cases(request, status: str = Query("", max_length=12), cursor: str | None = Query(None, max_length=500),
               limit: int = Query(50, ge=1, le=200)):
    require_perm(request, "organizing.establish")
    qs = services.list_cases(principal_of(request), status=status if status in CaseStatus.values else "")
    return paginate(qs, sort="-opened_at", cursor=cursor, limit=limit)


@router.get("/organizing/establishment/cases/{case_id}", response={200: CaseDetailOut, **ERRORS},
            summary="One establishment case with its preparatory group and timeline")
def get_case(request, case_id: int):
    require_perm(request, "organizing.establish")
    return _case(request, case_id)


@router.post("/organizing/establishment/cases", response={201: CaseDetailOut, **ERRORS},
             summary="Open an establishment case")
def open_case(request, payload: CaseIn,
              idempotency_key: str = Header(..., alias="Idempotency-Key", min_length=8, max_length=64)):
    """The same ``Idempotency-Key`` again returns the case opened the first time."""
    actor = _staff_person(request, "organizing.establish")
    upper = Organization.objects.get_visible_or_404(actor, "organizing.establish", pk=payload.upper_id)
    ids = [_ids(i) for i in payload.enterprise_ids]
    enterprises = list(Enterprise.objects.visible_to(actor, "organizing.establish").filter(pk__in=ids))
    if len(enterprises) != len(set(ids)):
        raise ValidationError({"enterprise_ids": _("Choose enterprises inside your organisations.")})
    case = services.open_case(actor=actor, upper=upper, outcome=payload.outcome, proposed_name=payload.proposed_name,
                              enterprises=enterprises, idempotency_key=f"api:{idempotency_key}")
    return Status(201, case)


@router.post("/organizing/establishment/cases/{case_id}/preparatory-members", response={201: CaseDetailOut, **ERRORS},
             summary="Add a member to the preparatory group")
def add_member(request, case_id: int, payload: MemberIn):
    actor = _staff_person(request, "organizing.establish")
    case = _case(request, case_id)
    services.add_preparatory_member(actor=actor, case=case, name=payload.name, role=payload.role,
                                    job_title=payload.job_title)
    return Status(201, EstablishmentCase.objects.get(pk=case.pk))


@router.post("/organizing/establishment/cases/{case_id}/election", response={200: CaseDetailOut, **ERRORS},
             summary="Record the election (committee and chair)")
def record_election(request, case_id: int, payload: ElectionIn):
    actor = _staff_person(request, "organizing.establish")
    case = _case(request, case_id)
    return services.record_election(actor=actor, case=case, election_date=payload.election_date,
                                    committee=payload.committee, chair_name=payload.chair_name)


@router.post("/organizing/establishment/cases/{case_id}/decision", response={200: CaseDetailOut, **ERRORS},
             summary="The upper union approves the election (the new union goes into the tree) or sends it back")
def decide(request, case_id: int, payload: DecisionIn):
    actor = _staff_person(request, "organizing.approve")
    case = _case(request, case_id, "organizing.approve")
    if payload.decision == "approve":
        services.approve(actor=actor, case=case, note=payload.note)
    elif not payload.note.strip():
        raise ValidationError({"note": _("Say why the election goes back to the preparatory group.")})
    else:
        services.return_case(actor=actor, case=case, reason=payload.note)
    return EstablishmentCase.objects.get(pk=case.pk)


@router.post("/organizing/establishment/cases/{case_id}/abandon", response={200: CaseDetailOut, **ERRORS},
             summary="Abandon an open case")
def abandon(request, case_id: int, payload: ReasonIn):
    actor = _staff_person(request, "organizing.establish")
    case = _case(request, case_id)
    return services.abandon(actor=actor, case=case, reason=payload.reason)


@router.get("/organizing/targets", response={200: list[TargetOut], **ERRORS},
            summary="Targets in scope with their measured progress")
def list_targets(request, year: int = Query(None, ge=2000, le=2100), organization_id: int = Query(None, ge=1,
                                                                                                  le=2**31 - 1)):
    """At most 500 targets; ``actual`` is the measured value (a percentage for the establishment rate) and
    ``share`` the percentage of the target reached."""
    require_perm(request, "members.view")
    qs = target_services.list_targets(principal_of(request), year=year)
    if organization_id:
        qs = qs.filter(organization_id=organization_id)
    return _target_rows(qs.order_by("-year", "organization__path", "metric", "group")[:500])


@router.post("/organizing/targets", response={201: TargetOut, **ERRORS},
             summary="Set (or change) a target for an organisation below yours")
def set_target(request, payload: TargetIn):
    actor = _staff_person(request, "organizing.targets")
    organization = Organization.objects.get_visible_or_404(actor, "organizing.targets", pk=payload.organization_id)
    target = target_services.set_target(actor=actor, organization=organization, year=payload.year,
                                        metric=payload.metric, group=payload.group, value=payload.value,
                                        note=payload.note)
    return Status(201, _target_rows([Target.objects.select_related("organization").get(pk=target.pk)])[0])
