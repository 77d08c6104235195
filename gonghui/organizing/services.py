"""Every write of union organising: the online join application (a service of the hall) and its acceptance."""

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gonghui.core import audit, consent, ratelimit
from gonghui.core.crypto import blind_index
from gonghui.core.models import ConsentPurpose
from gonghui.hall import services as hall
from gonghui.hall.models import ServiceRequest, ServiceType
from gonghui.members import services as members
from gonghui.members.choices import PRIORITY_NEW_EMPLOYMENT, EmploymentForm, SkillLevel
from gonghui.members.models import Person
from gonghui.members.validators import normalise_id_number
from gonghui.organizing.choices import JoinRoute
from gonghui.organizing.models import JoinApplication
from gonghui.organizing.routing import route_join
from gonghui.organizing.workflow import SERVICE_CODE
from gonghui.orgs.choices import OrgKind
from gonghui.orgs.models import Organization

UNION_QR_SALT = "gonghui.organizing.join-union"
JOIN_CONSENT_VERSION = "join-2026-11"
PERSON_FIELDS = ["name", "id_number", "mobile", "employment_form", "employer", "platform_name", "occupation",
                 "skill_level", "home_region", "user"]
GIG_FORMS = {f for f in EmploymentForm.values if f != EmploymentForm.EMPLOYEE}


def union_qr_token(union: Organization) -> str:
    """What a union's join QR code carries: its id, signed so a printed code cannot be edited to another union."""
    return signing.Signer(salt=UNION_QR_SALT).sign(str(union.pk))


def union_from_token(token: str) -> Organization | None:
    try:
        pk = int(signing.Signer(salt=UNION_QR_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
    return Organization.objects.filter(pk=pk, is_active=True, kind__in=members.MEMBER_HOLDING_KINDS).first()


def _validate(data: dict) -> dict:
    errors = {}
    clean = dict(data)
    clean["name"] = (data.get("name") or "").strip()
    if not clean["name"]:
        errors["name"] = _("Enter your name as on your ID card.")
    elif len(clean["name"]) > 60:
        errors["name"] = _("A name has at most 60 characters.")
    try:
        clean["id_number"] = normalise_id_number(data.get("id_number", ""))
    except ValidationError as error:
        errors["id_number"] = error.messages
    mobile = (data.get("mobile") or "").strip()
    if not (len(mobile) == 11 and mobile.isdigit() and mobile.startswith("1")):
        errors["mobile"] = _("Enter an 11-digit mobile number.")
    clean["mobile"] = mobile
    form = data.get("employment_form")
    if form not in EmploymentForm.values:
        errors["employment_form"] = _("Choose how you work.")
    employer, platform = data.get("employer"), data.get("platform")
    if form == EmploymentForm.EMPLOYEE and employer is None and not (data.get("employer_name") or "").strip():
        errors["employer"] = _("Name your employer (or choose it from the list).")
    if form in PRIORITY_NEW_EMPLOYMENT and platform is None and not (data.get("employer_name") or "").strip():
        errors["platform"] = _("Choose the platform you work through, or write its name.")
    if (data.get("skill_level") or "") not in ("", *SkillLevel.values):
        errors["skill_level"] = _("Choose a skill level from the list.")
    if data.get("home_region") is None:
        errors["home_region"] = _("Choose the district where you live.")
    street = data.get("home_street")
    if street is not None and (street.kind != OrgKind.STREET_FEDERATION
                               or street.region_id != getattr(data.get("home_region"), "pk", None)):
        errors["home_street"] = _("Choose a street or town in the district where you live.")
    if errors:
        raise ValidationError(errors)
    return clean


def apply_to_join(*, actor, data: dict, idempotency_key: str) -> tuple[ServiceRequest, bool]:
    """File an online join application for the signed-in worker. ``data``: name, id_number, mobile,
    employment_form, employer / employer_name, platform, occupation, skill_level, home_region, home_street,
    chosen_union. Routing picks the union; one open application per ID number; members are told to transfer."""
    existing = JoinApplication.objects.filter(request__idempotency_key=idempotency_key).select_related("request").first()
    if existing is not None:
        if existing.request.applicant_id != actor.pk:
            raise ValidationError({"idempotency_key": _("This form was already used. Reload the page.")})
        return existing.request, False
    # Every attempt counts, so ID numbers cannot be tried one after another.
    if not ratelimit.hit(f"join-apply:{actor.pk}", limit=settings.GONGHUI_JOIN_ATTEMPTS_PER_HOUR, window_seconds=3600):
        raise ValidationError({"id_number": _("Too many attempts. Try again in an hour, or call 12351.")})
    clean = _validate(data)
    bidx = blind_index(clean["id_number"])
    handling, route = route_join(chosen_union=data.get("chosen_union"), employer=data.get("employer"),
                                 platform=data.get("platform"), home_region=data.get("home_region"),
                                 home_street=data.get("home_street"))
    if route == JoinRoute.CITY or handling.kind not in members.MEMBER_HOLDING_KINDS:
        raise ValidationError({"home_region": _("No union takes online applications for this district yet. "
                                                "Call 12351 and we will help you join.")})
    service = ServiceType.objects.get(code=SERVICE_CODE)
    # What we say about an ID number that is not the applicant's own file must not reveal anything about it.
    not_online = _("This ID number cannot be used to apply online. Bring your ID card to a union, or call 12351.")
    try:
        with transaction.atomic():
            person = Person.objects.select_for_update().filter(id_number_bidx=bidx).first()
            own = Person.objects.select_for_update().filter(user=actor).first()
            if own is not None and own.id_number and own.id_number_bidx != bidx:
                raise ValidationError({"id_number": _("Your account is registered with a different ID number.")})
            if person is not None and person.user_id != actor.pk:
                # Someone else's file, or a file a union entered without an account: only the same name may claim
                # it online, and only when the account has no other file; the union checks the ID card on contact.
                if person.user_id is not None or own is not None or person.name != clean["name"]:
                    raise ValidationError({"id_number": not_online})
                if members.current_membership(person) is not None:
                    raise ValidationError({"id_number": not_online})
            person = person or own
            if person is not None and person.user_id == actor.pk and (current := members.current_membership(person)):
                raise ValidationError({"id_number": _("You are already a member of %(union)s. To move to another "
                                                      "union, ask for a transfer.") % {"union": current.union}})
            open_app = JoinApplication.objects.filter(id_number_bidx=bidx, is_open=True).select_related("request").first()
            if open_app is not None:
                if open_app.request.applicant_id == actor.pk:
                    raise ValidationError({"id_number": _("Your application %(ref)s is already being handled.")
                                                        % {"ref": open_app.request.reference}})
                raise ValidationError({"id_number": not_online})
            request, created = hall.submit_request(
                actor=actor, service_type=service, summary=_("Join the union: %(name)s") % {"name": clean["name"]},
                idempotency_key=idempotency_key, applicant_name=clean["name"], applicant_mobile=clean["mobile"],
                organization=handling)
            if not created:
                return request, False
            application = JoinApplication.objects.create(
                request=request, name=clean["name"], id_number=clean["id_number"], id_number_bidx=bidx,
                mobile=clean["mobile"], employment_form=clean["employment_form"], employer=data.get("employer"),
                employer_name=(data.get("employer_name") or "").strip()[:120], platform=data.get("platform"),
                occupation=(data.get("occupation") or "").strip()[:60], skill_level=data.get("skill_level") or "",
                home_region=data["home_region"], home_street=data.get("home_street"),
                chosen_union=data.get("chosen_union"), route=route)
            # The form's separate consent to process the ID number (PIPL art. 29), kept with the application.
            consent.grant(actor=actor, subject=application, purpose=ConsentPurpose.SENSITIVE_PROCESSING,
                          version=JOIN_CONSENT_VERSION)
            audit.record(actor=actor, action="join.apply", obj=application,
                         after={"route": route, "union": handling.pk, "employment_form": application.employment_form})
    except IntegrityError:
        # Two applications for one person raced; the database let one through.
        raise ValidationError({"id_number": not_online})
    return request, True


def admit_applicant(*, actor, request: ServiceRequest) -> None:
    """The hall's accept step: create the person's file (or complete the applicant's own) and make them a member
    of the union the application was routed to. When it was escalated, the union above accepts it on that
    union's behalf. An existing file keeps its name and ID number: only work details are updated."""
    application = JoinApplication.objects.select_for_update().get(request=request)
    by_id = Person.objects.select_for_update().filter(id_number_bidx=application.id_number_bidx).first()
    own = Person.objects.select_for_update().filter(user_id=request.applicant_id).first() if request.applicant_id else None
    if by_id is not None and own is not None and by_id.pk != own.pk:
        raise ValidationError({"action": _("Two files exist for this person (one by ID number, one by account). "
                                           "Ask the district to merge them, then accept.")})
    if by_id is not None and by_id.user_id not in (None, request.applicant_id):
        raise ValidationError({"action": _("This ID number belongs to another account; reject the application.")})
    union = request.owner_organization
    person = by_id or own
    before = audit.snapshot(person, PERSON_FIELDS) if person is not None else {}
    if person is None:
        person = Person(owner_organization=union, name=application.name)
    if not person.id_number:
        person.name, person.id_number = application.name, application.id_number
    if person.user_id is None:
        person.user_id = request.applicant_id
    person.mobile = person.mobile or application.mobile
    person.employment_form, person.employer = application.employment_form, application.employer
    person.platform_name = application.platform.name if application.platform else application.employer_name
    person.occupation, person.skill_level = application.occupation, application.skill_level
    person.home_region = application.home_region
    person.save()
    old, new = audit.diff(before, audit.snapshot(person, PERSON_FIELDS))
    audit.record(actor=actor, action="person.update" if before else "person.create", obj=person, before=old, after=new)
    consent.grant(actor=actor, subject=person, purpose=ConsentPurpose.SENSITIVE_PROCESSING,
                  version=JOIN_CONSENT_VERSION)
    members.admit(actor=actor, person=person, union=union, note=request.reference)
    application.is_open = False
    application.save(update_fields=["is_open"])


def close_application(*, request: ServiceRequest) -> None:
    JoinApplication.objects.filter(request=request).update(is_open=False)
