"""Every write in the service hall: submit, move along the workflow, assign, attach, rate, rectify,
remind and escalate. One transaction each, a row lock on the request, an audit event, notifications on
commit."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.models import User
from gonghui.accounts.roles import perms_of
from gonghui.core import audit, files
from gonghui.core.notifications import notify
from gonghui.core.scoping import assert_in_scope
from gonghui.hall import calendar
from gonghui.hall.choices import ApplicantKind, Channel, EventKind, RectificationStatus
from gonghui.hall.models import (
    Rating,
    Rectification,
    ReferenceCounter,
    RequestAttachment,
    RequestEvent,
    ServiceRequest,
    ServiceType,
)
from gonghui.hall.routing import current_union, route
from gonghui.hall.workflows import APPLICANT

MAX_ATTACHMENTS = 10
ESCALATE_AGAIN_AFTER_DAYS = 3


def _reference(day) -> str:
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(day=day)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"GH{day:%Y%m%d}-{counter.last:05d}"


def _event(request, *, actor, kind, action="", from_status="", to_status="", note="", public=True):
    return RequestEvent.objects.create(
        request=request, actor=actor if getattr(actor, "pk", None) and isinstance(actor, User) else None,
        actor_label=str(actor) if actor is not None else _("System"), kind=kind, action=action,
        from_status=from_status, to_status=to_status, note=note, public=public,
    )


def _notify_applicant(request, title, body=""):
    if request.applicant_id:
        applicant = request.applicant
        transaction.on_commit(lambda: notify(applicant, title, body, url=f"/hall/mine/{request.reference}/"))


def handlers_of(organization) -> list[User]:
    """Staff who hold a role granting hall.handle at the organisation itself."""
    roles = [code for code in ("city_admin", "district_admin", "grassroots_cadre") if "hall.handle" in perms_of(code)]
    return list(User.objects.filter(role_assignments__organization=organization, role_assignments__role__in=roles,
                                    is_active=True).distinct())


def _attach(*, actor, request, upload, label=""):
    if request.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError({"attachment": _("At most %(n)s files per application.") % {"n": MAX_ATTACHMENTS}})
    try:
        content_type = files.validate_upload(upload)
    except ValidationError as error:
        raise ValidationError({"attachment": error.messages})
    stored = files.save_private(actor=actor, organization=request.handling_organization, purpose="hall",
                                name=upload.name, data=upload.read(), content_type=content_type)
    return RequestAttachment.objects.create(request=request, file=stored, label=label[:80], uploaded_by=actor)


def submit_request(*, actor, service_type: ServiceType, summary: str, idempotency_key: str,
                   channel: str = Channel.ONLINE, applicant: User | None = None, applicant_name: str = "",
                   applicant_mobile: str = "", organization=None, uploads=()) -> tuple[ServiceRequest, bool]:
    """File an application. Online: the actor is the applicant. Walk-in or hotline: staff enter it on the
    applicant's behalf. A repeated submission with the same idempotency key returns the first request."""
    existing = ServiceRequest.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        if existing.applicant_id != (applicant or actor).pk and existing.entered_by_id != actor.pk:
            raise ValidationError({"idempotency_key": _("This form was already used. Reload the page.")})
        return existing, False
    errors = {}
    if not service_type.is_active:
        raise ValidationError({"service_type": _("This service is not open for applications.")})
    summary = (summary or "").strip()
    if not summary:
        errors["summary"] = _("Say briefly what you are asking for.")
    elif len(summary) > 2000:
        errors["summary"] = _("Keep it under 2,000 characters; attach documents for the details.")
    if len(uploads) > MAX_ATTACHMENTS:
        errors["attachment"] = _("At most %(n)s files per application.") % {"n": MAX_ATTACHMENTS}
    if channel == Channel.ONLINE:
        if not service_type.online:
            raise ValidationError({"channel": _("This service is handled at a counter only.")})
        applicant = actor
        applicant_name = applicant_name or actor.display_name or str(actor)
        applicant_mobile = applicant_mobile or (actor.mobile or "")
        entered_by = None
    else:
        if not service_type.offline:
            raise ValidationError({"channel": _("This service is handled online only.")})
        if organization is None or not actor.has_gonghui_perm("hall.handle"):
            raise PermissionDenied
        assert_in_scope(organization, actor, "hall.handle")
        if not applicant_name.strip():
            errors["applicant_name"] = _("Enter the applicant's name.")
        entered_by = actor
    if service_type.applicant_kind == ApplicantKind.MEMBER and current_union(applicant) is None:
        errors["service_type"] = _("This service is for union members. Join the union first.")
    if errors:
        raise ValidationError(errors)
    handling = route(service_type, applicant=applicant, organization=organization)
    workflow = service_type_workflow(service_type)
    today = timezone.localdate()
    try:
        with transaction.atomic():
            request = ServiceRequest.objects.create(
                reference=_reference(today), service_type=service_type, applicant=applicant,
                applicant_name=applicant_name.strip()[:60], applicant_mobile=applicant_mobile[:11],
                summary=summary, owner_organization=handling, handling_organization=handling,
                status=workflow.initial, channel=channel, due_date=calendar.add_working_days(today, service_type.deadline_days),
                idempotency_key=idempotency_key, entered_by=entered_by,
            )
            for upload in uploads:
                _attach(actor=actor, request=request, upload=upload)
            _event(request, actor=actor, kind=EventKind.SUBMITTED, to_status=request.status,
                   note=_("Via %(channel)s") % {"channel": Channel(channel).label})
            audit.record(actor=actor, action="hall.submit", obj=request,
                         after=audit.snapshot(request, ["reference", "service_type", "channel", "applicant_mobile"]))
            _notify_applicant(request, _("Application %(ref)s received") % {"ref": request.reference},
                              _("Due by %(date)s.") % {"date": request.due_date})
            for staff in handlers_of(handling):
                transaction.on_commit(lambda s=staff, r=request: notify(
                    s, _("New application %(ref)s") % {"ref": r.reference}, str(r.service_type),
                    url=f"/work/hall/{r.reference}/"))
    except IntegrityError:
        # Two identical submissions raced: the other one won; answer with it.
        existing = ServiceRequest.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return existing, False
    return request, True


def service_type_workflow(service_type):
    from gonghui.hall.workflows import get_workflow

    return get_workflow(service_type.workflow)


def _lock(request) -> ServiceRequest:
    return ServiceRequest.objects.select_for_update().select_related("service_type").get(pk=request.pk)


@transaction.atomic
def transition(*, actor, request: ServiceRequest, name: str, note: str = "") -> ServiceRequest:
    """Move a request along its workflow, if the state allows it and the actor may take this step."""
    request = _lock(request)
    workflow = request.workflow
    step = workflow.get(name)
    if step is None:
        raise ValidationError({"action": _("Unknown action.")})
    if step.by == APPLICANT:
        if request.applicant_id is None or request.applicant_id != actor.pk:
            raise Http404
    else:
        if not actor.has_gonghui_perm(step.perm):
            raise PermissionDenied
        assert_in_scope(request, actor, step.perm)
        if request.applicant_id is not None and request.applicant_id == actor.pk:
            raise PermissionDenied(_("Nobody handles their own application."))
    if request.status not in step.sources:
        raise ValidationError({"action": _("This cannot be done now: the application is %(status)s.")
                               % {"status": workflow.state_label(request.status)}})
    note = (note or "").strip()
    if step.needs_note and not note:
        raise ValidationError({"note": _("Write a note: the applicant will read it.")})
    if step.guard is not None:
        problem = step.guard(request)
        if problem:
            raise ValidationError({"action": problem})
    before = request.status
    today = timezone.localdate()
    if step.pauses_clock and request.due_date:
        request.paused_days_left = max(calendar.working_days_between(today, request.due_date), 1)
        request.due_date = None
    if step.resumes_clock and request.paused_days_left is not None:
        request.due_date = calendar.add_working_days(today, request.paused_days_left)
        request.paused_days_left = None
    request.status = step.target
    if step.target in workflow.final:
        request.closed_at = timezone.now()
        request.closed_on_time = request.due_date is None or today <= request.due_date
    request.save()
    _event(request, actor=actor, kind=EventKind.TRANSITION, action=name, from_status=before, to_status=step.target,
           note=note)
    if step.effect is not None:
        step.effect(request=request, actor=actor, note=note)
    audit.record(actor=actor, action=f"hall.{name}", obj=request, before={"status": before},
                 after={"status": step.target}, note=note[:500])
    if step.by != APPLICANT:
        _notify_applicant(request, _("%(ref)s: %(status)s") % {"ref": request.reference,
                                                                 "status": workflow.state_label(step.target)}, note)
    return request


@transaction.atomic
def assign(*, actor, requests, assignee: User) -> int:
    """Give requests to a colleague who may handle them; returns how many were assigned."""
    ids = [r.pk for r in requests]
    locked = list(ServiceRequest.objects.select_for_update().filter(pk__in=ids))
    scope = ServiceRequest.objects.visible_to(actor, "hall.handle", include_self=False)
    their_scope = ServiceRequest.objects.visible_to(assignee, "hall.handle", include_self=False)
    allowed = set(scope.filter(pk__in=ids).values_list("pk", flat=True))
    theirs = set(their_scope.filter(pk__in=ids).values_list("pk", flat=True))
    if len(allowed) != len(ids):
        raise Http404
    if len(theirs) != len(ids) or any(r.applicant_id == assignee.pk for r in locked):
        raise ValidationError({"assignee": _("%(name)s cannot handle all of these applications.") % {"name": assignee}})
    for request in locked:
        if not request.is_open:
            continue
        request.assigned_to = assignee
        request.save(update_fields=["assigned_to"])
        _event(request, actor=actor, kind=EventKind.ASSIGNED, note=str(assignee), public=False)
        audit.record(actor=actor, action="hall.assign", obj=request, after={"assigned_to": assignee.pk})
    return len(locked)


@transaction.atomic
def add_attachment(*, actor, request: ServiceRequest, upload, label: str = "") -> RequestAttachment:
    request = _lock(request)
    if request.applicant_id != actor.pk:
        assert_in_scope(request, actor, "hall.handle")
    if not request.is_open:
        raise ValidationError({"attachment": _("The application is closed.")})
    attachment = _attach(actor=actor, request=request, upload=upload, label=label)
    _event(request, actor=actor, kind=EventKind.ATTACHMENT, note=attachment.file.original_name)
    audit.record(actor=actor, action="hall.attach", obj=request, after={"file": str(attachment.file_id)})
    return attachment


@transaction.atomic
def rate(*, actor, request: ServiceRequest, score: int, comment: str = "", real_name: bool = True) -> Rating:
    """The applicant's 好差评 of a closed request; a bad one (1–2) opens a rectification."""
    request = _lock(request)
    if request.applicant_id != actor.pk:
        raise Http404
    if request.is_open:
        raise ValidationError({"score": _("You can rate the service once the application is closed.")})
    if Rating.objects.filter(request=request).exists():
        raise ValidationError({"score": _("You have already rated this application.")})
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise ValidationError({"score": _("Choose 1 to 5 stars.")})
    rating = Rating.objects.create(request=request, score=score, comment=(comment or "").strip()[:1000],
                                   real_name=real_name)
    _event(request, actor=actor, kind=EventKind.RATED, note=f"{score}/5")
    audit.record(actor=actor, action="hall.rate", obj=request, after={"score": score})
    if rating.is_bad:
        rectification = Rectification.objects.create(
            rating=rating, organization=request.handling_organization,
            due_date=calendar.add_working_days(timezone.localdate(), request.service_type.rectify_days),
        )
        audit.record(actor=actor, action="hall.rectification_open", obj=rectification)
        for staff in handlers_of(request.handling_organization):
            transaction.on_commit(lambda s=staff: notify(
                s, _("Bad rating on %(ref)s to rectify") % {"ref": request.reference}, url="/work/hall/ratings/"))
    from gonghui.hall.tasks import push_rating

    transaction.on_commit(lambda: push_rating.enqueue(rating.pk))
    return rating


RECTIFICATION_STEPS = {
    RectificationStatus.OPEN: (RectificationStatus.VERIFIED, "verification"),
    RectificationStatus.VERIFIED: (RectificationStatus.FIXED, "fix"),
    RectificationStatus.FIXED: (RectificationStatus.ANSWERED, "answer"),
}


@transaction.atomic
def advance_rectification(*, actor, rectification: Rectification, text: str) -> Rectification:
    """Verify the complaint, record the fix, answer the rater — in that order, each with its text."""
    rectification = Rectification.objects.select_for_update().select_related("rating__request").get(pk=rectification.pk)
    assert_in_scope(rectification, actor, "hall.handle")
    if not actor.has_gonghui_perm("hall.handle"):
        raise PermissionDenied
    if rectification.status not in RECTIFICATION_STEPS:
        raise ValidationError({"text": _("This bad rating has been answered already.")})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write what was found, changed or answered.")})
    target, field = RECTIFICATION_STEPS[rectification.status]
    setattr(rectification, field, text[:2000])
    rectification.status = target
    if target == RectificationStatus.ANSWERED:
        rectification.answered_at = timezone.now()
    rectification.save()
    request = rectification.rating.request
    _event(request, actor=actor, kind=EventKind.RECTIFICATION, action=target, note=text if target ==
           RectificationStatus.ANSWERED else "", public=target == RectificationStatus.ANSWERED)
    audit.record(actor=actor, action=f"hall.rectification_{target}", obj=rectification, note=text[:500])
    if target == RectificationStatus.ANSWERED:
        _notify_applicant(request, _("Our answer to your rating of %(ref)s") % {"ref": request.reference}, text)
    return rectification


def remind_due(today=None) -> int:
    """Remind handlers of open requests due within the service's reminder window (once a day)."""
    today = today or timezone.localdate()
    reminded = 0
    candidates = ServiceRequest.objects.filter(closed_at__isnull=True, due_date__gte=today).exclude(
        last_reminded_on=today).select_related("service_type", "assigned_to", "handling_organization")
    for request in candidates.iterator(chunk_size=500):
        if calendar.working_days_between(today, request.due_date) > request.service_type.remind_days_before:
            continue
        with transaction.atomic():
            if ServiceRequest.objects.filter(pk=request.pk, last_reminded_on=today).exists():
                continue
            ServiceRequest.objects.filter(pk=request.pk).update(last_reminded_on=today)
            _event(request, actor=None, kind=EventKind.REMINDED, note=str(request.due_date), public=False)
            people = [request.assigned_to] if request.assigned_to else handlers_of(request.handling_organization)
            for person in people:
                transaction.on_commit(lambda p=person, r=request: notify(
                    p, _("%(ref)s is due on %(date)s") % {"ref": r.reference, "date": r.due_date},
                    url=f"/work/hall/{r.reference}/"))
            reminded += 1
    return reminded


def escalate_overdue(today=None) -> int:
    """Hand overdue open requests to the union above; again after a few more working days if still open."""
    today = today or timezone.localdate()
    escalated = 0
    overdue = ServiceRequest.objects.filter(closed_at__isnull=True, due_date__lt=today).filter(
        Q(last_escalated_on__isnull=True) | Q(last_escalated_on__lt=today))
    for candidate in overdue.values_list("pk", flat=True).iterator(chunk_size=500):
        with transaction.atomic():
            request = ServiceRequest.objects.select_for_update().select_related("handling_organization").get(
                pk=candidate)
            if request.closed_at or not request.due_date or request.due_date >= today:
                continue  # closed or paused since it was listed
            if request.last_escalated_on and calendar.working_days_between(
                    request.last_escalated_on, today) < ESCALATE_AGAIN_AFTER_DAYS:
                continue
            upper = request.handling_organization.parent
            if upper is None:
                continue
            before = request.handling_organization
            request.handling_organization = upper
            request.assigned_to = None
            request.escalation_count += 1
            request.last_escalated_on = today
            request.save(update_fields=["handling_organization", "assigned_to", "escalation_count",
                                        "last_escalated_on"])
            _event(request, actor=None, kind=EventKind.ESCALATED,
                   note=_("Overdue since %(date)s: from %(from)s to %(to)s") % {
                       "date": request.due_date, "from": before, "to": upper}, public=True)
            audit.record(actor=None, action="hall.escalate", obj=request, before={"handling_organization": before.pk},
                         after={"handling_organization": upper.pk})
            for staff in handlers_of(upper):
                transaction.on_commit(lambda s=staff, r=request: notify(
                    s, _("Overdue application %(ref)s escalated to you") % {"ref": r.reference},
                    url=f"/work/hall/{r.reference}/"))
            escalated += 1
    return escalated



def open_case(*, actor, service_type: ServiceType, organization, summary: str, idempotency_key: str,
              subject: str, due_date=None) -> tuple[ServiceRequest, bool]:
    """Open a request that no applicant filed: a domain app raising a case itself (monitoring's early-warning
    case for a union). ``actor`` may be None (the system); ``subject`` is shown where an applicant's name
    would be; ``due_date``, if given, is the first stage's deadline (else the service type's). Deadlines, the
    timeline, escalation and the inbox then work as for any request."""
    existing = ServiceRequest.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing, False
    workflow = service_type_workflow(service_type)
    today = timezone.localdate()
    with transaction.atomic():
        request = ServiceRequest.objects.create(
            reference=_reference(today), service_type=service_type, applicant=None,
            applicant_name=subject.strip()[:60], summary=summary[:2000], owner_organization=organization,
            handling_organization=organization, status=workflow.initial, channel=Channel.WALK_IN,
            due_date=due_date or calendar.add_working_days(today, service_type.deadline_days),
            idempotency_key=idempotency_key, entered_by=actor if isinstance(actor, User) else None,
        )
        _event(request, actor=actor, kind=EventKind.SUBMITTED, to_status=request.status, public=False)
        audit.record(actor=actor, action="hall.open_case", obj=request,
                     after=audit.snapshot(request, ["reference", "service_type"]))
        for staff in handlers_of(organization):
            transaction.on_commit(lambda s=staff, r=request: notify(
                s, _("New application %(ref)s") % {"ref": r.reference}, str(r.service_type),
                url=f"/work/hall/{r.reference}/"))
    return request, True
