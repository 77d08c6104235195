"""Every write of the employment platform: employers, postings and their review, seekers, applications
and placements. Fairs are in ``fairs.py``, imports and exports in ``exchange.py``."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core import audit
from gonghui.core.notifications import notify
from gonghui.core.scoping import assert_in_scope, scope_of
from gonghui.employment import checks, matching
from gonghui.employment.choices import (
    APPLICATION_MOVES,
    OPEN_APPLICATION,
    ApplicationStatus,
    ContactVisibility,
    Education,
    EmployerStatus,
    PostingStatus,
    PriorityGroup,
)
from gonghui.employment.models import (
    Application,
    ApplicationEvent,
    Campaign,
    Employer,
    JobPosting,
    Placement,
    SeekerProfile,
)
from gonghui.members.models import Person
from gonghui.orgs.models import PATH_STEP, Enterprise, Organization
from gonghui.orgs.validators import normalise_uscc

EDUCATION_CODES = frozenset(Education.values)
POSTING_FIELDS = ("title", "description", "occupation_code", "industry", "region", "salary_min", "salary_max",
                  "salary_months", "salary_negotiable", "education", "experience_years", "skills", "headcount",
                  "benefits", "contact_name", "contact_phone", "closes_on")


# ---- employers ---------------------------------------------------------------------------------------

@transaction.atomic
def register_employer(*, actor, uscc: str, contact_name: str, contact_phone: str) -> Employer:
    """A named contact asks to act for an enterprise in the registry. The credit code is public, so it
    proves nothing: union staff approve before the employer can post."""
    existing = Employer.objects.select_for_update().filter(user=actor).first()
    if existing is not None and existing.status != EmployerStatus.REJECTED:
        raise ValidationError({"uscc": _("Your account already acts for an employer.")})
    errors = {}
    enterprise = None
    try:
        code = normalise_uscc((uscc or "").strip())
    except ValidationError as error:
        errors["uscc"] = error.messages
    else:
        enterprise = Enterprise.objects.filter(uscc=code, is_active=True).first()
        if enterprise is None:
            errors["uscc"] = _("No operating enterprise with this credit code is registered with the union. "
                               "Ask your union to register the enterprise first.")
    if not (contact_name or "").strip():
        errors["contact_name"] = _("Enter the name of the contact person.")
    if not checks.valid_phone(contact_phone):
        errors["contact_phone"] = _("Enter a mobile or landline number.")
    if existing is not None and enterprise is not None and enterprise.pk != existing.enterprise_id:
        errors["uscc"] = _("A refused request can be sent again for the same enterprise only. "
                           "Ask your union if you act for another one.")
    if errors:
        raise ValidationError(errors)
    if existing is not None:
        # A refused employer corrects what the union asked for and sends the request again.
        before = {"status": existing.status}
        existing.contact_name, existing.contact_phone = contact_name.strip()[:40], contact_phone.strip()[:20]
        existing.status, existing.decided_by = EmployerStatus.PENDING, None
        existing.save(update_fields=["contact_name", "contact_phone", "status", "decided_by"])
        audit.record(actor=actor, action="employment.employer_resubmit", obj=existing, before=before,
                     after={"status": existing.status, **audit.snapshot(existing, ["contact_name", "contact_phone"])})
        return existing
    employer = Employer.objects.create(enterprise=enterprise, user=actor, contact_name=contact_name.strip()[:40],
                                       contact_phone=contact_phone.strip()[:20],
                                       owner_organization=enterprise.owner_organization)
    audit.record(actor=actor, action="employment.employer_register", obj=employer,
                 after=audit.snapshot(employer, ["enterprise", "contact_name", "contact_phone"]))
    return employer


@transaction.atomic
def decide_employer(*, actor, employer: Employer, approve: bool, note: str = "") -> Employer:
    employer = Employer.objects.select_for_update().get(pk=employer.pk)
    assert_in_scope(employer, actor, "employment.review")
    if employer.user_id == actor.pk:
        raise PermissionDenied
    if employer.status not in (EmployerStatus.PENDING, EmployerStatus.SUSPENDED, EmployerStatus.APPROVED):
        raise ValidationError({"decision": _("This request has already been decided.")})
    if not approve and not (note or "").strip():
        raise ValidationError({"note": _("Tell the employer why.")})
    before = employer.status
    employer.status = EmployerStatus.APPROVED if approve else (
        EmployerStatus.SUSPENDED if before == EmployerStatus.APPROVED else EmployerStatus.REJECTED)
    employer.decided_by, employer.decision_note = actor, (note or "").strip()[:300]
    employer.save(update_fields=["status", "decided_by", "decision_note"])
    audit.record(actor=actor, action="employment.employer_decide", obj=employer, before={"status": before},
                 after={"status": employer.status}, note=employer.decision_note)
    if before == EmployerStatus.APPROVED and not approve:
        JobPosting.objects.filter(employer=employer, status=PostingStatus.PUBLISHED).update(
            status=PostingStatus.CLOSED, updated_at=timezone.now())
        matching.bump()
    user = employer.user
    transaction.on_commit(lambda: notify(user, _("Your employer account: %(status)s") % {
        "status": employer.get_status_display()}, body=employer.decision_note, url="/employer/"))
    return employer


# ---- postings ----------------------------------------------------------------------------------------

def _clean_posting(data: dict, *, today: date | None = None) -> dict:
    """Field-level checks shared by the employer's form, the API and imports."""
    today = today or timezone.localdate()
    errors: dict[str, list] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    for field in ("title", "description", "contact_name"):
        if not (data.get(field) or "").strip():
            add(field, _("This field is required."))
    for field in ("title", "description", "benefits"):
        for message in checks.unsafe_text(data.get(field) or ""):
            add(field, message)
    low, high = data.get("salary_min"), data.get("salary_max")
    if not data.get("salary_negotiable"):
        if low is None and high is None:
            add("salary_min", _("Enter the monthly salary range, or mark the salary as negotiable."))
    if low is not None and low < 0:
        add("salary_min", _("The salary cannot be negative."))
    if low is not None and high is not None and low > high:
        add("salary_max", _("The highest salary (%(max)s) is below the lowest (%(min)s).") % {
            "max": high, "min": low})
    months = data.get("salary_months") or 12
    if not 12 <= months <= 24:
        add("salary_months", _("Between 12 and 24 months a year."))
    closes_on = data.get("closes_on")
    if closes_on is None:
        add("closes_on", _("Enter the closing date."))
    elif closes_on < today:
        add("closes_on", _("The closing date %(date)s is in the past.") % {"date": closes_on.isoformat()})
    if (data.get("headcount") or 0) < 1:
        add("headcount", _("Hire at least one person."))
    if data.get("education", Education.ANY) not in EDUCATION_CODES:
        add("education", _("Choose an education level."))
    if not checks.valid_phone(data.get("contact_phone") or ""):
        add("contact_phone", _("Enter a mobile or landline number."))
    if data.get("industry") is None:
        add("industry", _("Choose the industry."))
    if data.get("region") is None:
        add("region", _("Choose the district."))
    if errors:
        raise ValidationError(errors)
    cleaned = {k: data.get(k) for k in POSTING_FIELDS if k in data}
    cleaned["title"] = data["title"].strip()[:80]
    cleaned["description"] = data["description"].strip()[:5000]
    cleaned["skills"] = sorted({s.strip()[:30] for s in (data.get("skills") or []) if s and s.strip()})[:30]
    cleaned["salary_months"] = months
    return cleaned


def _approved_employer_of(actor) -> Employer:
    employer = Employer.objects.select_related("enterprise").filter(user=actor).first()
    if employer is None or not employer.is_approved:
        raise ValidationError({"title": _("Only employers approved by the union can post jobs. "
                                          "Your account is not approved (yet).")})
    return employer


def campaigns_for_employer(employer: Employer):
    """The campaigns an employer may tag postings with: those of the employer's own organisation and the
    organisations above it (a district's graduate campaign is not open to employers of another district)."""
    path = employer.owner_organization.path
    paths = [path[:i] for i in range(PATH_STEP, len(path) + 1, PATH_STEP)]
    return Campaign.objects.filter(owner_organization__path__in=paths)


def _allowed_campaigns(employer: Employer, campaigns) -> list[Campaign]:
    wanted = {getattr(c, "pk", c) for c in campaigns or ()}
    allowed = list(campaigns_for_employer(employer).filter(pk__in=wanted))
    if len(allowed) != len(wanted):
        raise ValidationError({"campaigns": _("Choose campaigns run by your union or the unions above it.")})
    return allowed


@transaction.atomic
def submit_posting(*, actor, campaigns=(), **fields) -> JobPosting:
    """An approved employer submits a posting; it waits for union review before anyone sees it."""
    employer = _approved_employer_of(actor)
    cleaned = _clean_posting(fields)
    campaigns = _allowed_campaigns(employer, campaigns)
    posting = JobPosting.objects.create(employer=employer, owner_organization=employer.owner_organization,
                                        findings=checks.findings_for(cleaned), **cleaned)
    if campaigns:
        posting.campaigns.set(campaigns)
    audit.record(actor=actor, action="employment.posting_submit", obj=posting,
                 after={"title": posting.title, "findings": [f["code"] for f in posting.findings]})
    return posting


@transaction.atomic
def update_posting(*, actor, posting: JobPosting, campaigns=None, **fields) -> JobPosting:
    """The employer edits a posting; any change goes back to review."""
    employer = _approved_employer_of(actor)
    posting = JobPosting.objects.select_for_update().get(pk=posting.pk)
    if posting.employer_id != employer.pk:
        raise Http404
    if posting.status == PostingStatus.CLOSED:
        raise ValidationError({"title": _("A closed posting cannot be changed; post a new one.")})
    cleaned = _clean_posting(fields)
    if campaigns is not None:
        campaigns = _allowed_campaigns(employer, campaigns)
    before = audit.snapshot(posting, list(cleaned))
    was_live = posting.status == PostingStatus.PUBLISHED
    for key, value in cleaned.items():
        setattr(posting, key, value)
    posting.findings = checks.findings_for(cleaned)
    posting.status, posting.updated_at = PostingStatus.PENDING, timezone.now()
    posting.save()
    if campaigns is not None:
        posting.campaigns.set(campaigns)
    old, new = audit.diff(before, audit.snapshot(posting, list(cleaned)))
    audit.record(actor=actor, action="employment.posting_update", obj=posting, before=old, after=new)
    if was_live:
        matching.bump()
    return posting


@transaction.atomic
def review_posting(*, actor, posting: JobPosting, approve: bool, note: str = "", campaigns=None) -> JobPosting:
    """The union publishes a posting or returns it. Banned requirements (gender, ethnicity, region,
    marital or pregnancy status) block publication until the employer fixes them."""
    posting = JobPosting.objects.select_for_update(of=("self",)).select_related("employer").get(pk=posting.pk)
    assert_in_scope(posting, actor, "employment.review")
    if posting.employer.user_id == actor.pk:
        raise PermissionDenied
    if posting.status != PostingStatus.PENDING:
        raise ValidationError({"note": _("Only a posting waiting for review can be decided.")})
    if not posting.employer.is_approved:
        raise ValidationError({"note": _("The employer is not approved.")})
    posting.findings = checks.findings_for({"title": posting.title, "description": posting.description,
                                            "benefits": posting.benefits})
    if approve:
        banned = [f for f in posting.findings if f["severity"] == "ban"]
        if banned:
            raise ValidationError({"note": _("The posting contains requirements the Employment Promotion Law "
                                             "bans: %(items)s. Return it to the employer to fix.") % {
                "items": "、".join(f["excerpt"] for f in banned)}})
        if posting.closes_on < timezone.localdate():
            raise ValidationError({"note": _("The closing date has passed.")})
        posting.status, posting.published_at = PostingStatus.PUBLISHED, timezone.now()
    else:
        if not (note or "").strip():
            raise ValidationError({"note": _("Tell the employer what to change.")})
        posting.status = PostingStatus.RETURNED
    posting.review_note, posting.reviewed_by, posting.updated_at = (note or "").strip()[:500], actor, timezone.now()
    posting.save()
    after = {}
    if campaigns is not None:
        tagged = _allowed_campaigns(posting.employer, campaigns)
        posting.campaigns.set(tagged)
        after["campaigns"] = sorted(c.pk for c in tagged)
    audit.record(actor=actor, action="employment.posting_" + ("publish" if approve else "return"), obj=posting,
                 note=posting.review_note, after=after or None)
    user = posting.employer.user
    title = posting.title
    transaction.on_commit(lambda: notify(user, (_("Your posting %(title)s is published.") if approve else _(
        "Your posting %(title)s needs changes.")) % {"title": title}, body=note or "",
        url=f"/employer/postings/{posting.pk}/"))
    matching.bump()
    return posting


@transaction.atomic
def close_posting(*, actor, posting: JobPosting) -> JobPosting:
    posting = JobPosting.objects.select_for_update(of=("self",)).select_related("employer").get(pk=posting.pk)
    if posting.employer.user_id != actor.pk:
        assert_in_scope(posting, actor, "employment.review")
    posting.status, posting.updated_at = PostingStatus.CLOSED, timezone.now()
    posting.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action="employment.posting_close", obj=posting)
    matching.bump()
    return posting


# ---- seekers -----------------------------------------------------------------------------------------

def seeker_owner_organization(person: Person | None) -> Organization:
    """A member's file belongs to their union; a non-member's profile to the city federation."""
    if person is not None:
        membership = person.memberships.filter(status="active").select_related("union").first()
        return membership.union if membership else person.owner_organization
    return Organization.objects.get(parent__isnull=True)


def prefill_from_person(person: Person | None) -> dict:
    if person is None:
        return {}
    return {"name": person.name, "mobile": person.mobile, "desired_occupations": person.occupation,
            "desired_regions": [person.employer.region_id] if person.employer_id else []}


@transaction.atomic
def save_seeker_profile(*, actor, name: str, mobile: str, summary: str = "", desired_occupations=(),
                        desired_regions=(), desired_salary: Decimal | None = None, skills=(),
                        education: str = Education.ANY, experience_years: int = 0, certificates=(),
                        priority_groups=(), contact_visibility: str = ContactVisibility.APPLIED,
                        is_active: bool = True) -> SeekerProfile:
    """A worker (member or not) creates or updates their own job-seeker profile."""
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("Enter your name.")
    if not checks.valid_mobile(mobile):
        errors["mobile"] = _("Enter an 11-digit mobile number.")
    if desired_salary is not None and desired_salary < 0:
        errors["desired_salary"] = _("The salary cannot be negative.")
    if education not in Education.values:
        errors["education"] = _("Choose an education level.")
    if set(priority_groups) - set(PriorityGroup.values):
        errors["priority_groups"] = _("Unknown priority group.")
    if contact_visibility not in ContactVisibility.values:
        errors["contact_visibility"] = _("Choose who may see your mobile.")
    for message in checks.unsafe_text(summary or ""):
        errors.setdefault("summary", []).append(message)
    if errors:
        raise ValidationError(errors)
    person = Person.objects.filter(user=actor).first()
    values = {
        "name": name.strip()[:60], "mobile": mobile.strip(), "summary": (summary or "").strip()[:2000],
        "desired_occupations": _words(desired_occupations), "desired_regions": sorted(set(desired_regions)),
        "desired_salary": desired_salary, "skills": _words(skills), "education": education,
        "experience_years": experience_years or 0, "certificates": list(certificates)[:20],
        "priority_groups": sorted(set(priority_groups)), "contact_visibility": contact_visibility,
        "is_active": is_active, "person": person, "updated_at": timezone.now(),
    }
    profile = SeekerProfile.objects.select_for_update().filter(user=actor).first()
    if profile is None:
        profile = SeekerProfile.objects.create(user=actor, owner_organization=seeker_owner_organization(person),
                                               **values)
        audit.record(actor=actor, action="employment.seeker_create", obj=profile,
                     after=audit.snapshot(profile, ["name", "mobile", "education", "priority_groups"]))
    else:
        before = audit.snapshot(profile, list(values))
        for key, value in values.items():
            setattr(profile, key, value)
        profile.save()
        old, new = audit.diff(before, audit.snapshot(profile, list(values)))
        audit.record(actor=actor, action="employment.seeker_update", obj=profile, before=old, after=new)
    matching.bump("seekers")
    return profile


def _words(value) -> list[str]:
    if isinstance(value, str):
        value = value.replace("，", ",").replace("、", ",").replace("；", ",").split(",")
    return [w.strip()[:30] for w in value if w and w.strip()][:20]


def can_see_contact(actor, seeker: SeekerProfile) -> bool:
    """The seeker decides: nobody, employers they applied to, or every approved employer. Union staff
    holding employment.manage over the seeker's union may see it (audited), unless the seeker chose nobody."""
    if seeker.user_id is not None and seeker.user_id == getattr(actor, "pk", None):
        return True
    employer = Employer.objects.filter(user=actor, status=EmployerStatus.APPROVED).first() if getattr(
        actor, "pk", None) else None
    if employer is not None:
        if seeker.contact_visibility == ContactVisibility.APPROVED_EMPLOYERS:
            return True
        if seeker.contact_visibility == ContactVisibility.APPLIED:
            return Application.objects.filter(seeker=seeker, posting__employer=employer).exclude(
                status=ApplicationStatus.WITHDRAWN).exists()
        return False
    if seeker.contact_visibility == ContactVisibility.PRIVATE:
        return False
    return scope_of(actor, "employment.manage").covers_path(seeker.owner_organization.path)


def reveal_contact(*, actor, seeker: SeekerProfile) -> str:
    """The seeker's mobile in full, if they allow the viewer; the read is audited."""
    if not can_see_contact(actor, seeker):
        raise PermissionDenied(_("The seeker does not share their mobile with you."))
    return audit.reveal(actor=actor, obj=seeker, field="mobile", reason="employment contact")


# ---- applications ------------------------------------------------------------------------------------

def _event(application, note=""):
    ApplicationEvent.objects.create(application=application, status=application.status, note=(note or "")[:300])


def apply(*, actor, posting: JobPosting, idempotency_key: str, note: str = "") -> tuple[Application, bool]:
    """A seeker applies once per posting. A repeated submission (same key) returns the first application;
    a second application to the same posting is refused (and the database's unique constraint holds
    against a race)."""
    key = (idempotency_key or "").strip()[:64]
    if len(key) < 8:
        raise ValidationError({"idempotency_key": _("The form has expired; reload the page.")})
    existing = Application.objects.filter(idempotency_key=key).select_related("seeker").first()
    if existing is not None:
        if existing.seeker.user_id != actor.pk:
            raise ValidationError({"idempotency_key": _("The form has expired; reload the page.")})
        return existing, False
    seeker = SeekerProfile.objects.filter(user=actor).first()
    if seeker is None:
        raise ValidationError({"posting": _("Fill in your job-seeker profile first.")})
    duplicate = _("You have already applied for this job. Follow its progress under My job applications.")
    try:
        with transaction.atomic():
            posting = JobPosting.objects.select_related("employer").get(pk=posting.pk)
            if not posting.is_live:
                raise ValidationError({"posting": _("This job is no longer open.")})
            if posting.employer.user_id == actor.pk:
                raise ValidationError({"posting": _("You cannot apply to your own posting.")})
            if Application.objects.filter(posting=posting, seeker=seeker).exists():
                raise ValidationError({"posting": duplicate})
            application = Application.objects.create(posting=posting, seeker=seeker, idempotency_key=key,
                                                     owner_organization=posting.owner_organization,
                                                     note=(note or "").strip()[:500])
            _event(application)
            audit.record(actor=actor, action="employment.apply", obj=application)
            employer_user = posting.employer.user
            title = posting.title
            transaction.on_commit(lambda: notify(employer_user, _("New application for %(title)s") % {
                "title": title}, url=f"/employer/postings/{posting.pk}/"))
    except IntegrityError:
        again = Application.objects.filter(idempotency_key=key).select_related("seeker").first()
        if again is not None and again.seeker.user_id == actor.pk:
            return again, False
        raise ValidationError({"posting": duplicate})
    return application, True


def _employer_application(actor, application) -> Application:
    locked = Application.objects.select_for_update(of=("self",)).select_related(
        "posting__employer", "seeker").get(pk=application.pk)
    if locked.posting.employer.user_id != actor.pk or not locked.posting.employer.is_approved:
        raise Http404
    return locked


@transaction.atomic
def move_application(*, actor, application: Application, status: str, note: str = "") -> Application:
    """The employer moves an application on: viewed → interview → offer → hired, or rejects it.
    A hire is recorded as a placement (an outcome for the statistics)."""
    application = _employer_application(actor, application)
    allowed = APPLICATION_MOVES.get(application.status, set())
    if status not in allowed:
        raise ValidationError({"status": _("An application that is “%(now)s” cannot move to “%(to)s”.") % {
            "now": application.get_status_display(),
            "to": ApplicationStatus(status).label if status in ApplicationStatus.values else status}})
    if status == ApplicationStatus.HIRED:
        # Lock the posting: two hires at once must not both take the last place.
        posting = JobPosting.objects.select_for_update().get(pk=application.posting_id)
        hired = Application.objects.filter(posting=posting, status=ApplicationStatus.HIRED).count()
        if hired >= posting.headcount:
            raise ValidationError({"status": _("All %(headcount)s places of this posting are filled; nobody more "
                                               "can be hired for it.") % {"headcount": posting.headcount}})
        application.posting = posting
    before = application.status
    application.status, application.updated_at = status, timezone.now()
    application.save(update_fields=["status", "updated_at"])
    _event(application, note)
    if status == ApplicationStatus.HIRED:
        posting = application.posting
        Placement.objects.create(application=application, owner_organization=application.owner_organization,
                                 region_id=posting.region_id, industry_id=posting.industry_id,
                                 occupation_code=posting.occupation_code,
                                 priority_groups=list(application.seeker.priority_groups))
        hired = Application.objects.filter(posting=posting, status=ApplicationStatus.HIRED).count()
        if hired >= posting.headcount:
            JobPosting.objects.filter(pk=posting.pk).update(status=PostingStatus.CLOSED, updated_at=timezone.now())
            matching.bump()
    audit.record(actor=actor, action="employment.application_move", obj=application, before={"status": before},
                 after={"status": status}, note=note[:300] if note else "")
    user = application.seeker.user
    if user is not None:
        label = application.get_status_display()
        title = application.posting.title
        transaction.on_commit(lambda: notify(user, _("%(title)s: %(status)s") % {"title": title, "status": label},
                                             body=note or "", url="/jobs/applications/"))
    return application


@transaction.atomic
def withdraw_application(*, actor, application: Application) -> Application:
    application = Application.objects.select_for_update(of=("self",)).select_related(
        "seeker", "posting__employer__user").get(pk=application.pk)
    if application.seeker.user_id != actor.pk:
        raise Http404
    if application.status not in OPEN_APPLICATION:
        raise ValidationError({"status": _("This application can no longer be withdrawn.")})
    declined = application.status == ApplicationStatus.OFFER  # withdrawing at the offer declines it
    note = _("Offer declined") if declined else ""
    application.status, application.updated_at = ApplicationStatus.WITHDRAWN, timezone.now()
    application.save(update_fields=["status", "updated_at"])
    _event(application, note)
    audit.record(actor=actor, action="employment.application_" + ("decline" if declined else "withdraw"),
                 obj=application, note=note)
    if declined:
        posting = application.posting
        employer_user, title = posting.employer.user, posting.title
        transaction.on_commit(lambda: notify(employer_user, _("%(title)s: the offer was declined") % {
            "title": title}, url=f"/employer/postings/{posting.pk}/"))
    return application


# ---- campaigns ---------------------------------------------------------------------------------------

@transaction.atomic
def create_campaign(*, actor, organization, name: str, theme: str, starts_on: date, ends_on: date) -> Campaign:
    if not scope_of(actor, "employment.manage").covers_path(organization.path):
        raise PermissionDenied
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("Give the campaign a name.")
    if ends_on < starts_on:
        errors["ends_on"] = _("The campaign ends before it starts.")
    if errors:
        raise ValidationError(errors)
    campaign = Campaign.objects.create(owner_organization=organization, name=name.strip()[:100], theme=theme,
                                       starts_on=starts_on, ends_on=ends_on)
    audit.record(actor=actor, action="employment.campaign_create", obj=campaign)
    return campaign
