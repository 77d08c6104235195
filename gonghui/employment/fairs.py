"""Job fairs: themed, on site, online or live-streamed; employer booths; seeker registration within quotas
(seats held for priority groups), signed QR tickets checked in at the door, and the results."""

from datetime import datetime

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core import audit
from gonghui.core.scoping import assert_in_scope, scope_of
from gonghui.employment.choices import (
    ApplicationStatus,
    FairMode,
    FairStatus,
    FairTheme,
    PostingStatus,
    PriorityGroup,
)
from gonghui.employment.models import (
    Application,
    Employer,
    FairBooth,
    FairRegistration,
    JobFair,
    SeekerProfile,
)

TICKET_SALT = "employment.fair-ticket"
TICKET_MAX_AGE = 60 * 60 * 24 * 120

# Which priority group a themed fair holds its reserved seats for.
PRIORITY_FOR_THEME = {FairTheme.GRADUATE: PriorityGroup.HARDSHIP_GRADUATE,
                      FairTheme.REEMPLOYMENT: PriorityGroup.CLOSED_ENTERPRISE}


@transaction.atomic
def create_fair(*, actor, organization, name: str, theme: str, mode: str, starts_at: datetime, ends_at: datetime,
                quota: int, priority_quota: int = 0, venue: str = "", stream_url: str = "", campaign=None) -> JobFair:
    if not scope_of(actor, "employment.manage").covers_path(organization.path):
        raise PermissionDenied
    if campaign is not None:
        assert_in_scope(campaign, actor, "employment.manage")
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("Give the fair a name.")
    if theme not in FairTheme.values:
        errors["theme"] = _("Choose a theme.")
    if mode not in FairMode.values:
        errors["mode"] = _("Choose a format.")
    if ends_at <= starts_at:
        errors["ends_at"] = _("The fair ends before it starts.")
    if quota < 1:
        errors["quota"] = _("Offer at least one seat.")
    if priority_quota < 0 or priority_quota > quota:
        errors["priority_quota"] = _("Seats held for priority groups must be between 0 and the seats offered.")
    if mode == FairMode.ONSITE and not (venue or "").strip():
        errors["venue"] = _("Enter the venue of an on-site fair.")
    if mode == FairMode.LIVE and not (stream_url or "").startswith("https://"):
        errors["stream_url"] = _("Enter the https link of the live stream.")
    if errors:
        raise ValidationError(errors)
    fair = JobFair.objects.create(owner_organization=organization, name=name.strip()[:100], theme=theme, mode=mode,
                                  starts_at=starts_at, ends_at=ends_at, quota=quota, priority_quota=priority_quota,
                                  venue=(venue or "").strip()[:200], stream_url=stream_url or "", campaign=campaign)
    audit.record(actor=actor, action="employment.fair_create", obj=fair, after={"quota": quota, "theme": theme})
    return fair


@transaction.atomic
def add_booth(*, actor, fair: JobFair, employer: Employer, number: str = "", postings=()) -> FairBooth:
    fair = JobFair.objects.select_for_update().get(pk=fair.pk)
    assert_in_scope(fair, actor, "employment.manage")
    employer = Employer.objects.select_for_update().get(pk=employer.pk)
    assert_in_scope(employer, actor, "employment.manage")
    if not employer.is_approved:
        raise ValidationError({"employer": _("Only approved employers get a booth.")})
    live = [p for p in postings if p.employer_id == employer.pk and p.status == PostingStatus.PUBLISHED]
    booth, _created = FairBooth.objects.get_or_create(fair=fair, employer=employer,
                                                      defaults={"number": (number or "")[:10]})
    if live:
        booth.postings.add(*live)
    audit.record(actor=actor, action="employment.fair_booth", obj=fair, after={"employer": employer.pk})
    return booth


def _priority(fair: JobFair, seeker: SeekerProfile) -> bool:
    group = PRIORITY_FOR_THEME.get(fair.theme)
    return bool(group and group in (seeker.priority_groups or []))


def register(*, actor, fair: JobFair) -> FairRegistration:
    """Take a seat. The fair row is locked while seats are counted, so the last seat goes to one person;
    seats held for the priority group are not given to others."""
    seeker = SeekerProfile.objects.filter(user=actor).first()
    if seeker is None:
        raise ValidationError({"fair": _("Fill in your job-seeker profile first.")})
    with transaction.atomic():
        fair = JobFair.objects.select_for_update().get(pk=fair.pk)
        if fair.status != FairStatus.OPEN or fair.ends_at <= timezone.now():
            raise ValidationError({"fair": _("Registration for this fair is closed.")})
        existing = FairRegistration.objects.filter(fair=fair, seeker=seeker).first()
        if existing is not None:
            return existing
        priority = _priority(fair, seeker)
        if fair.registered >= fair.quota:
            raise ValidationError({"fair": _("The fair is fully booked.")})
        if not priority:
            general_taken = FairRegistration.objects.filter(fair=fair, priority=False).count()
            if general_taken >= fair.quota - fair.priority_quota:
                raise ValidationError({"fair": _("The open seats are taken; the remaining seats are held for "
                                                 "priority groups.")})
        registration = FairRegistration.objects.create(fair=fair, seeker=seeker, priority=priority)
        JobFair.objects.filter(pk=fair.pk).update(registered=F("registered") + 1)
        audit.record(actor=actor, action="employment.fair_register", obj=fair, after={"priority": priority})
    return registration


def ticket_token(registration: FairRegistration) -> str:
    """The QR ticket: signed and expiring, carrying no enumerable id in the clear meaning."""
    return signing.dumps({"r": registration.pk, "f": registration.fair_id}, salt=TICKET_SALT, compress=True)


@transaction.atomic
def check_in(*, actor, fair: JobFair, token: str) -> FairRegistration:
    assert_in_scope(fair, actor, "employment.manage")
    fair = JobFair.objects.get(pk=fair.pk)
    now = timezone.now()
    if fair.status == FairStatus.CLOSED or now > fair.ends_at:
        raise ValidationError({"token": _("This fair is over; check-in is closed.")})
    try:
        data = signing.loads((token or "").strip(), salt=TICKET_SALT, max_age=TICKET_MAX_AGE)
    except signing.BadSignature:
        raise ValidationError({"token": _("This ticket is not valid.")})
    if data.get("f") != fair.pk:
        raise ValidationError({"token": _("This ticket is for another fair.")})
    registration = FairRegistration.objects.select_for_update().filter(pk=data.get("r"), fair=fair).select_related(
        "seeker").first()
    if registration is None:
        raise ValidationError({"token": _("This ticket is not valid.")})
    if registration.checked_in_at is not None:
        raise ValidationError({"token": _("%(name)s checked in already at %(time)s.") % {
            "name": registration.seeker.name,
            "time": timezone.localtime(registration.checked_in_at).strftime("%H:%M")}})
    registration.checked_in_at, registration.checked_in_by = timezone.now(), actor
    registration.save(update_fields=["checked_in_at", "checked_in_by"])
    audit.record(actor=actor, action="employment.fair_checkin", obj=fair, after={"registration": registration.pk})
    return registration


def close_finished(*, now=None) -> int:
    """Mark the fairs that have ended as finished (registration and check-in are closed then)."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(JobFair.objects.select_for_update().filter(status=FairStatus.OPEN, ends_at__lt=now).values_list(
            "pk", flat=True))
        if ids:
            JobFair.objects.filter(pk__in=ids).update(status=FairStatus.CLOSED)
            audit.record(actor=None, action="employment.fairs_close", after={"fairs": ids})
    return len(ids)


def results(fair: JobFair) -> dict:
    """The figures a fair reports: seats, check-ins, booths, postings, applications and hires through it."""
    registrations = FairRegistration.objects.filter(fair=fair)
    posting_ids = list(FairBooth.postings.through.objects.filter(fairbooth__fair=fair).values_list(
        "jobposting_id", flat=True))
    seekers = registrations.values("seeker_id")
    applications = Application.objects.filter(posting_id__in=posting_ids, seeker_id__in=seekers)
    return {
        "registered": registrations.count(),
        "priority": registrations.filter(priority=True).count(),
        "checked_in": registrations.filter(checked_in_at__isnull=False).count(),
        "booths": fair.booths.count(),
        "postings": len(set(posting_ids)),
        "applications": applications.count(),
        "hired": applications.filter(status=ApplicationStatus.HIRED).count(),
    }
