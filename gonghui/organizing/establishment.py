"""Union establishment (组建): the backlog of enterprises that should have a union, and every step of an
establishment case — preparatory group, election, the upper union's approval that puts the new union into
the tree. Each step is one service: keyword-only arguments with the actor, one transaction, the case row
locked, the state and the actor's scope checked inside it, an audit row and a timeline event."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from gonghui.core import audit
from gonghui.core.exports import XLSX_TYPE, write_xlsx
from gonghui.core.jobs import register
from gonghui.core.notifications import notify
from gonghui.core.scoping import assert_in_scope
from gonghui.organizing.models.establishment import (
    OPEN_STATUSES,
    CaseEnterprise,
    CaseEvent,
    CaseEventKind,
    CaseStatus,
    EstablishmentCase,
    EstablishmentOutcome,
    PreparatoryMember,
    PreparatoryRole,
)
from gonghui.orgs import services as orgs
from gonghui.orgs.choices import ALLOWED_CHILDREN, CoverageKind, OrgKind
from gonghui.orgs.models import Coverage, Enterprise, Organization

ESTABLISHMENT_THRESHOLD = 25  # 工会法 art. 11: 25 or more members set up a grassroots union committee
MIN_PREPARATORY_MEMBERS = 3
MIN_COMMITTEE = 3
MAX_COMMITTEE = 31

OUTCOME_KIND = {
    EstablishmentOutcome.GRASSROOTS: OrgKind.GRASSROOTS_UNION,
    EstablishmentOutcome.JOINT: OrgKind.JOINT_GRASSROOTS_UNION,
    EstablishmentOutcome.PARK: OrgKind.PARK_FEDERATION,
    EstablishmentOutcome.BUILDING: OrgKind.BUILDING_FEDERATION,
    EstablishmentOutcome.PROJECT: OrgKind.PROJECT_FEDERATION,
    EstablishmentOutcome.INDUSTRY: OrgKind.INDUSTRY_UNION,
}
OUTCOME_COVERAGE = {
    EstablishmentOutcome.JOINT: CoverageKind.JOINT,
    EstablishmentOutcome.PARK: CoverageKind.PARK,
    EstablishmentOutcome.BUILDING: CoverageKind.BUILDING,
    EstablishmentOutcome.PROJECT: CoverageKind.PROJECT,
    EstablishmentOutcome.INDUSTRY: CoverageKind.INDUSTRY,
}


# ---------------------------------------------------------------------------------------------- reads


def list_backlog(principal, *, region: str = "", query: str = "", min_headcount: int | None = None,
                 with_case: str = ""):
    """Operating enterprises with 25+ employees, no union and no joint union or federation covering them,
    inside the principal's scope. One query; ``open_case`` tells whether a case is under way."""
    covered = Coverage.objects.filter(target_enterprise=OuterRef("pk"))
    open_case = CaseEnterprise.objects.filter(enterprise=OuterRef("pk"), is_open=True)
    qs = (
        Enterprise.objects.visible_to(principal, "organizing.establish")
        .filter(is_active=True, union__isnull=True, headcount__gte=max(min_headcount or 0, ESTABLISHMENT_THRESHOLD))
        .exclude(Exists(covered))
        .annotate(open_case=Exists(open_case), open_case_id=Subquery(open_case.values("case_id")[:1]))
        .select_related("region", "industry", "owner_organization")
    )
    if region:
        qs = qs.filter(region_id=region)
    if query:
        qs = qs.filter(name__icontains=query)
    if with_case == "yes":
        qs = qs.filter(open_case=True)
    elif with_case == "no":
        qs = qs.filter(open_case=False)
    return qs


def backlog_by_district(backlog) -> list[dict]:
    """Backlog counts per district (GB/T 2260), largest first: one GROUP BY."""
    return list(
        backlog.order_by().values("region_id", "region__name").annotate(n=Count("id")).order_by("-n", "region_id")
    )


def list_cases(principal, *, status: str = "", perm: str = "organizing.establish"):
    qs = EstablishmentCase.objects.visible_to(principal, perm).select_related("owner_organization", "union")
    if status in CaseStatus.values:
        qs = qs.filter(status=status)
    return qs


@register("organizing.export_backlog")
def export_backlog(job, progress):
    p = job.params
    with override(p.get("lang") or "zh-hans"):
        qs = list_backlog(job.requested_by, region=p.get("region", ""), query=p.get("q", ""),
                          with_case=p.get("case", "")).order_by("region_id", "-headcount", "id")
        total = qs.count()
        headers = [_("District"), _("Name"), _("Unified social credit code"), _("Industry (division)"),
                   _("Employees"), _("Address"), _("Owner organisation"), _("Establishment case under way")]
        rows = (
            (e.region.name, e.name, e.uscc, str(e.industry), e.headcount, e.address, e.owner_organization.name,
             _("Yes") if e.open_case else _("No"))
            for e in qs.iterator(chunk_size=2000)
        )
        data = write_xlsx(headers, rows, title=_("Establishment backlog"), progress=progress, total=total)
    return f"establishment-backlog-{timezone.localtime():%Y%m%d-%H%M}.xlsx", data, XLSX_TYPE


# ---------------------------------------------------------------------------------------------- writes


def _event(case, kind, actor, note=""):
    CaseEvent.objects.create(case=case, kind=kind, actor=actor if getattr(actor, "pk", None) else None,
                             note=note[:300])


def _tell_opener(case, title: str, body: str) -> None:
    """The cadre who opened the case hears of the upper union's decision (after commit)."""
    opener, url = case.opened_by, reverse("organizing:establishment_case_detail", args=[case.pk])
    transaction.on_commit(lambda: notify(opener, title, body, url))


def _lock(case, actor, perm) -> EstablishmentCase:
    """The case row locked, re-checked inside the transaction to be in the actor's scope (404 if not)."""
    locked = EstablishmentCase.objects.select_for_update().filter(pk=case.pk).first()
    if locked is None:
        raise Http404
    if not actor.has_gonghui_perm(perm):
        raise PermissionDenied
    assert_in_scope(locked, actor, perm)
    return locked


def _require_status(case, *allowed):
    if case.status not in allowed:
        raise ValidationError(
            _("This step is not possible while the case is “%(status)s”.") % {"status": case.get_status_display()}
        )


def _clean_name(value: str, field: str, *, max_length: int) -> str:
    value = " ".join((value or "").split())
    if not value:
        raise ValidationError({field: _("This field is required.")})
    if len(value) > max_length:
        raise ValidationError({field: _("At most %(n)d characters.") % {"n": max_length}})
    return value


@transaction.atomic
def open_case(*, actor, upper: Organization, outcome: str, proposed_name: str, enterprises: list,
              idempotency_key: str = "") -> EstablishmentCase:
    """Open a case under ``upper`` for enterprises without a union. A repeated idempotency key returns the
    case it opened first."""
    if not actor.has_gonghui_perm("organizing.establish"):
        raise PermissionDenied
    idempotency_key = (idempotency_key or "")[:64]
    if idempotency_key:
        existing = EstablishmentCase.objects.filter(opened_by=actor, idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    upper = Organization.objects.select_for_update().get(pk=upper.pk)
    assert_in_scope(upper, actor, "organizing.establish")
    errors = {}
    if outcome not in EstablishmentOutcome.values:
        errors["outcome"] = _("Choose what the case sets up.")
    elif OUTCOME_KIND[outcome] not in ALLOWED_CHILDREN[OrgKind(upper.kind)]:
        errors["upper"] = _("A %(child)s cannot sit under a %(parent)s.") % {
            "child": OrgKind(OUTCOME_KIND[outcome]).label, "parent": upper.get_kind_display()}
    try:
        proposed_name = _clean_name(proposed_name, "proposed_name", max_length=120)
    except ValidationError as error:
        errors.update(error.message_dict)
    ids = sorted({e.pk for e in enterprises})
    if not ids:
        errors["enterprises"] = _("Choose at least one enterprise.")
    elif outcome == EstablishmentOutcome.GRASSROOTS and len(ids) != 1:
        errors["enterprises"] = _("A grassroots union is set up for exactly one enterprise.")
    if errors:
        raise ValidationError(errors)
    # Lock the enterprises in id order (no deadlocks between two cadres opening overlapping cases).
    locked = list(Enterprise.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    visible = set(Enterprise.objects.visible_to(actor, "organizing.establish").filter(pk__in=ids)
                  .values_list("pk", flat=True))
    if len(locked) != len(ids) or visible != set(ids):
        raise ValidationError({"enterprises": _("Choose enterprises inside your organisations.")})
    problems = []
    busy = set(CaseEnterprise.objects.filter(enterprise_id__in=ids, is_open=True).values_list("enterprise_id",
                                                                                              flat=True))
    for enterprise in locked:
        if enterprise.union_id:
            problems.append(_("%(name)s already has a union.") % {"name": enterprise.name})
        elif not enterprise.is_active:
            problems.append(_("%(name)s is no longer operating.") % {"name": enterprise.name})
        elif enterprise.pk in busy:
            problems.append(_("%(name)s is already in an open establishment case.") % {"name": enterprise.name})
    if problems:
        raise ValidationError({"enterprises": problems})
    try:
        with transaction.atomic():
            case = EstablishmentCase.objects.create(
                owner_organization=upper, outcome=outcome, proposed_name=proposed_name, opened_by=actor,
                idempotency_key=idempotency_key[:64],
            )
    except IntegrityError:  # the same submission twice at once: the first one wins
        return EstablishmentCase.objects.get(opened_by=actor, idempotency_key=idempotency_key[:64])
    try:
        with transaction.atomic():
            CaseEnterprise.objects.bulk_create([CaseEnterprise(case=case, enterprise=e) for e in locked])
    except IntegrityError:  # a case opened at the same moment took one of them
        raise ValidationError({"enterprises": _("One of these enterprises is already in an open establishment case.")})
    _event(case, CaseEventKind.OPENED, actor, ", ".join(e.name for e in locked))
    audit.record(actor=actor, action="establishment.open", obj=case,
                 after={**audit.snapshot(case, ["outcome", "proposed_name", "owner_organization"]),
                        "enterprises": ids})
    return case


@transaction.atomic
def add_preparatory_member(*, actor, case: EstablishmentCase, name: str, role: str = PreparatoryRole.MEMBER,
                           job_title: str = "") -> PreparatoryMember:
    case = _lock(case, actor, "organizing.establish")
    _require_status(case, CaseStatus.PREPARING)
    name = _clean_name(name, "name", max_length=60)
    job_title = " ".join((job_title or "").split())
    if len(job_title) > 60:
        raise ValidationError({"job_title": _("At most %(n)d characters.") % {"n": 60}})
    if role not in PreparatoryRole.values:
        raise ValidationError({"role": _("Choose a role in the group.")})
    if case.preparatory_members.filter(name=name).exists():
        raise ValidationError({"name": _("%(name)s is already in the preparatory group.") % {"name": name}})
    if role == PreparatoryRole.LEADER and case.preparatory_members.filter(role=PreparatoryRole.LEADER).exists():
        raise ValidationError({"role": _("The preparatory group already has a leader.")})
    member = PreparatoryMember.objects.create(case=case, name=name, role=role, job_title=job_title)
    _event(case, CaseEventKind.MEMBER_ADDED, actor, f"{name} ({member.get_role_display()})")
    audit.record(actor=actor, action="establishment.member_add", obj=case,
                 after={"name": name, "role": role, "job_title": job_title})
    return member


@transaction.atomic
def remove_preparatory_member(*, actor, member: PreparatoryMember) -> None:
    case = _lock(member.case, actor, "organizing.establish")
    _require_status(case, CaseStatus.PREPARING)
    member = PreparatoryMember.objects.filter(pk=member.pk, case=case).first()
    if member is None:
        raise ValidationError(_("This person is no longer in the preparatory group."))
    _event(case, CaseEventKind.MEMBER_REMOVED, actor, member.name)
    audit.record(actor=actor, action="establishment.member_remove", obj=case,
                 before={"name": member.name, "role": member.role})
    member.delete()


def _clean_committee(committee, chair: str) -> tuple[list[str], str]:
    names = []
    for raw in committee:
        name = " ".join(str(raw).split())
        if name:
            names.append(name)
    errors = {}
    if len(set(names)) != len(names):
        errors["committee"] = _("A name appears twice in the committee.")
    elif not MIN_COMMITTEE <= len(names) <= MAX_COMMITTEE:
        errors["committee"] = _("A union committee has between %(min)d and %(max)d members.") % {
            "min": MIN_COMMITTEE, "max": MAX_COMMITTEE}
    elif len(names) % 2 == 0:
        errors["committee"] = _("A union committee has an odd number of members.")
    elif any(len(n) > 60 for n in names):
        errors["committee"] = _("A name in the committee is longer than 60 characters.")
    chair = " ".join((chair or "").split())
    if not chair:
        errors["chair_name"] = _("This field is required.")
    elif chair not in names:
        errors["chair_name"] = _("The chair must be one of the committee members.")
    if errors:
        raise ValidationError(errors)
    return names, chair


@transaction.atomic
def record_election(*, actor, case: EstablishmentCase, election_date: date, committee: list[str],
                    chair_name: str) -> EstablishmentCase:
    """The members' assembly elected the committee and its chair; the case waits for the upper union."""
    case = _lock(case, actor, "organizing.establish")
    _require_status(case, CaseStatus.PREPARING)
    group = list(case.preparatory_members.all())
    if len(group) < MIN_PREPARATORY_MEMBERS:
        raise ValidationError(_("The preparatory group needs at least %(n)d members before an election.")
                              % {"n": MIN_PREPARATORY_MEMBERS})
    if not any(m.role == PreparatoryRole.LEADER for m in group):
        raise ValidationError(_("The preparatory group needs a leader before an election."))
    if not isinstance(election_date, date):
        raise ValidationError({"election_date": _("Enter a valid date.")})
    if election_date > timezone.localdate():
        raise ValidationError({"election_date": _("The election date cannot be in the future.")})
    if election_date < timezone.localtime(case.opened_at).date():
        raise ValidationError({"election_date": _("The election cannot be before the case was opened.")})
    names, chair = _clean_committee(committee, chair_name)
    case.status, case.election_date, case.committee, case.chair_name = CaseStatus.ELECTED, election_date, names, chair
    case.save(update_fields=["status", "election_date", "committee", "chair_name"])
    _event(case, CaseEventKind.ELECTED, actor, _("%(date)s; chair %(chair)s; committee of %(n)d") % {
        "date": election_date.isoformat(), "chair": chair, "n": len(names)})
    audit.record(actor=actor, action="establishment.elect", obj=case,
                 after={"election_date": election_date, "committee": names, "chair_name": chair})
    return case


@transaction.atomic
def return_case(*, actor, case: EstablishmentCase, reason: str) -> EstablishmentCase:
    """The upper union sends the election back (the group fixes it and the members vote again)."""
    case = _lock(case, actor, "organizing.approve")
    _require_status(case, CaseStatus.ELECTED)
    reason = _clean_name(reason, "reason", max_length=300)
    before = audit.snapshot(case, ["status", "election_date", "committee", "chair_name"])
    case.status, case.election_date, case.committee, case.chair_name = CaseStatus.PREPARING, None, [], ""
    case.save(update_fields=["status", "election_date", "committee", "chair_name"])
    _event(case, CaseEventKind.RETURNED, actor, reason)
    _tell_opener(case, _("The election of %(name)s was sent back") % {"name": case.proposed_name}, reason)
    audit.record(actor=actor, action="establishment.return", obj=case, before=before,
                 after={"status": case.status}, note=reason)
    return case


@transaction.atomic
def approve(*, actor, case: EstablishmentCase, note: str = "") -> Organization:
    """The upper union approves the election: the new union goes into the tree under it, the enterprise gets
    it as its union (a grassroots union), or coverage links tie the enterprises to it (a joint union or a
    federation)."""
    case = _lock(case, actor, "organizing.approve")
    _require_status(case, CaseStatus.ELECTED)
    note = " ".join((note or "").split())[:300]
    upper = case.owner_organization
    links = list(case.case_enterprises.select_related("enterprise").order_by("enterprise_id"))
    enterprises = list(Enterprise.objects.select_for_update().filter(
        pk__in=[link.enterprise_id for link in links]).order_by("pk"))
    taken = [e.name for e in enterprises if e.union_id]
    if taken:
        raise ValidationError(_("%(names)s got a union meanwhile; return or abandon the case.")
                              % {"names": ", ".join(taken)})
    first = enterprises[0]
    union = orgs.create_organization(
        actor=actor, parent=upper, kind=OUTCOME_KIND[case.outcome], name=case.proposed_name,
        region=upper.region or first.region, contact_name=case.chair_name,
        address=first.address if case.outcome == EstablishmentOutcome.GRASSROOTS else "",
    )
    if case.outcome == EstablishmentOutcome.GRASSROOTS:
        orgs.update_enterprise(actor=actor, enterprise=first, union=union)
    else:
        for enterprise in enterprises:
            orgs.add_coverage(actor=actor, covering=union, kind=OUTCOME_COVERAGE[case.outcome],
                              target_enterprise=enterprise)
    case.status, case.union, case.decided_by, case.decided_at = CaseStatus.ESTABLISHED, union, actor, timezone.now()
    case.closing_note = note
    case.save(update_fields=["status", "union", "decided_by", "decided_at", "closing_note"])
    CaseEnterprise.objects.filter(case=case).update(is_open=False)
    _event(case, CaseEventKind.APPROVED, actor, note or union.name)
    _tell_opener(case, _("Establishment approved: %(name)s is in the organisation tree") % {"name": union.name}, note)
    audit.record(actor=actor, action="establishment.approve", obj=case,
                 after={"status": case.status, "union": union.pk, "union_name": union.name}, note=note)
    return union


@transaction.atomic
def abandon(*, actor, case: EstablishmentCase, reason: str) -> EstablishmentCase:
    """The effort stops (the enterprise closed, the workers chose a joint union…); the enterprises return to
    the backlog."""
    case = _lock(case, actor, "organizing.establish")
    _require_status(case, *OPEN_STATUSES)
    reason = _clean_name(reason, "reason", max_length=300)
    before = {"status": case.status}
    case.status, case.decided_by, case.decided_at, case.closing_note = (
        CaseStatus.ABANDONED, actor, timezone.now(), reason)
    case.save(update_fields=["status", "decided_by", "decided_at", "closing_note"])
    CaseEnterprise.objects.filter(case=case).update(is_open=False)
    _event(case, CaseEventKind.ABANDONED, actor, reason)
    audit.record(actor=actor, action="establishment.abandon", obj=case, before=before,
                 after={"status": case.status}, note=reason)
    return case


def establishment_rate(enterprises) -> dict:
    """Operating enterprises with 25+ staff, how many have a union, and the rate (one aggregate)."""
    row = enterprises.filter(is_active=True, headcount__gte=ESTABLISHMENT_THRESHOLD).aggregate(
        total=Count("id"), with_union=Count("id", filter=Q(union__isnull=False)))
    total, with_union = row["total"], row["with_union"]
    return {"total": total, "with_union": with_union,
            "rate": round(100 * with_union / total, 1) if total else None}
