"""四早 warning cases: opened by an alert for the union that covers the enterprise, worked through the hall
workflow (``workflow.py``), with actions logged and notices to the people on duty."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.models import User
from gonghui.accounts.roles import ROLES
from gonghui.core import audit
from gonghui.core.notifications import notify, send_sms
from gonghui.core.scoping import assert_in_scope
from gonghui.hall import calendar
from gonghui.hall import services as hall
from gonghui.hall.choices import HandlingLevel
from gonghui.hall.models import ServiceType
from gonghui.hall.routing import climb
from gonghui.monitoring.choices import SEVERITY_RANK, AlertStatus, WarningOutcome
from gonghui.monitoring.models import Alert, MonitoringPolicy, WarningAction, WarningCase
from gonghui.monitoring.workflow import CLOSED, PERM, SERVICE_CODE
from gonghui.orgs.choices import OrgKind
from gonghui.orgs.models import Enterprise, Organization, Region


def covering_union(alert: Alert) -> Organization:
    """The grassroots union of the enterprise, else the district union over it (or of the region)."""
    enterprise = alert.enterprise
    if enterprise is not None:
        if enterprise.union_id and enterprise.union.is_active:
            return enterprise.union
        return climb(enterprise.owner_organization, HandlingLevel.DISTRICT)
    district = Organization.objects.filter(kind=OrgKind.DISTRICT_UNION, region_id=alert.region_id).first()
    return district or alert.owner_organization


def on_duty(organization: Organization) -> list[User]:
    """Who hears of a new warning: those holding the warning permission at the union and at its district."""
    roles = [code for code, role in ROLES.items() if PERM in role.perms]
    orgs = [organization]
    district = climb(organization, HandlingLevel.DISTRICT)
    if district.pk != organization.pk:
        orgs.append(district)
    return list(User.objects.filter(role_assignments__organization__in=orgs, role_assignments__role__in=roles,
                                    is_active=True).distinct())


def open_warning(*, alert: Alert):
    """Open the 四早 case for an alert (called inside the alert's transaction, with the alert locked). The
    enterprise's (or region's) row is locked first, so two workers cannot open two cases for one subject."""
    if alert.enterprise_id:
        Enterprise.objects.select_for_update().filter(pk=alert.enterprise_id).first()
    elif alert.region_id:
        Region.objects.select_for_update().filter(pk=alert.region_id).first()
    open_cases = WarningCase.objects.filter(request__closed_at__isnull=True).select_related("request")
    same = open_cases.filter(enterprise_id=alert.enterprise_id) if alert.enterprise_id else open_cases.filter(
        enterprise__isnull=True, region_id=alert.region_id)
    existing = same.order_by("pk").first()
    if existing is not None:
        alert.warning = existing.request
        alert.save(update_fields=["warning"])
        # Only ever raised: the condition is checked in the UPDATE itself, against the row as it is now.
        lower = [s for s, rank in SEVERITY_RANK.items() if rank < SEVERITY_RANK[alert.severity]]
        WarningCase.objects.filter(pk=existing.pk, severity__in=lower).update(severity=alert.severity)
        audit.record(actor=None, action="monitoring.warning_join", obj=alert,
                     after={"request": existing.request.reference})
        return existing.request
    union = covering_union(alert)
    subject = alert.enterprise.name if alert.enterprise_id else (alert.region.name if alert.region_id else "")
    summary = _("%(level)s alert: %(category)s about %(subject)s. %(reason)s") % {
        "level": alert.get_severity_display(), "category": alert.get_category_display(), "subject": subject,
        "reason": alert.reason}
    # The first 四早 stage has the policy's days, like every later one (workflow.py).
    due = calendar.add_working_days(timezone.localdate(), MonitoringPolicy.current().stage_days)
    request, _created = hall.open_case(
        actor=None, service_type=ServiceType.objects.get(code=SERVICE_CODE), organization=union,
        summary=summary, idempotency_key=f"monitoring-alert-{alert.pk}", subject=subject or str(union), due_date=due)
    WarningCase.objects.get_or_create(request=request, defaults={
        "category": alert.category, "severity": alert.severity, "enterprise_id": alert.enterprise_id,
        "region_id": alert.region_id})
    alert.warning = request
    alert.save(update_fields=["warning"])
    audit.record(actor=None, action="monitoring.warning_open", obj=alert, after={"request": request.reference})
    title = _("Early warning %(ref)s: %(subject)s") % {"ref": request.reference, "subject": subject}
    body = str(alert.get_category_display())
    for person in on_duty(union):
        transaction.on_commit(lambda p=person: notify(p, title, body, url=f"/work/hall/{request.reference}/"))
        if person.mobile:
            transaction.on_commit(lambda m=person.mobile: send_sms(m, f"【工会通】{title}"))
    return request


def _case(case: WarningCase, actor) -> WarningCase:
    case = WarningCase.objects.select_for_update().select_related("request").get(pk=case.pk)
    if not actor.has_gonghui_perm(PERM):
        raise PermissionDenied
    assert_in_scope(case.request, actor, PERM)
    return case


@transaction.atomic
def log_action(*, actor, case: WarningCase, text: str) -> WarningAction:
    """Something done on the case between stages; kept with the stage it belongs to."""
    case = _case(case, actor)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write what was done.")})
    if case.request.status == CLOSED:
        raise ValidationError({"text": _("The case is closed.")})
    action = WarningAction.objects.create(case=case, actor=actor, stage=case.request.status, text=text[:2000])
    audit.record(actor=actor, action="monitoring.warning_action", obj=case.request, note=text[:500])
    return action


@transaction.atomic
def set_outcome(*, actor, case: WarningCase, outcome: str) -> WarningCase:
    case = _case(case, actor)
    if outcome not in WarningOutcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    if case.request.status == CLOSED:
        raise ValidationError({"outcome": _("The case is closed.")})
    before = case.outcome
    case.outcome = outcome
    case.save(update_fields=["outcome"])
    audit.record(actor=actor, action="monitoring.warning_outcome", obj=case.request, before={"outcome": before},
                 after={"outcome": outcome})
    return case


def close_alert_of_case(*, request, actor) -> None:
    """The workflow's close step: the alert that opened the case is closed with it."""
    Alert.objects.filter(warning=request).update(status=AlertStatus.CLOSED, updated_at=timezone.now())
