"""Every write in hardship assistance: apply (through the service hall), home visits, opening the file,
monthly incomes, aid from budget lines, exit, safety net, return, joint relief."""

import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core import audit, files
from gonghui.core.notifications import notify
from gonghui.core.scoping import assert_in_scope
from gonghui.hall import services as hall
from gonghui.hall.models import ServiceType
from gonghui.hall.routing import current_union
from gonghui.hardship import calculator
from gonghui.hardship.choices import FileEventKind, FileStatus
from gonghui.hardship.models import (
    AidRecord,
    BudgetLine,
    FileEvent,
    HardshipApplication,
    HardshipFile,
    HardshipPolicy,
    HomeVisit,
    HouseholdMember,
    MonthlyIncome,
    Referral,
)
from gonghui.hardship.workflow import SERVICE_CODE
from gonghui.members.models import Person

HOUSEHOLD_FIELDS = [
    "medical_expenses", "education_expenses", "accident_costs", "insurance_paid", "homes_count",
    "runs_business", "employs_others", "child_private_high_fee", "child_abroad_self_funded", "is_migrant",
    "residence_years", "employment_months",
]


def policy_for(region, year: int | None = None) -> HardshipPolicy:
    year = year or timezone.localdate().year
    policy = HardshipPolicy.objects.filter(region=region, year__lte=year).order_by("-year").first()
    if policy is None:
        raise ValidationError({"region": _("No minimum living standard is configured for %(region)s yet. "
                                           "Ask the city federation to set it.") % {"region": region.name}})
    return policy


def household_from(facts: dict, *, size: int, annual_income: Decimal, is_member: bool) -> calculator.Household:
    errors = {}
    if size < 1:
        errors["household_size"] = _("A household has at least one person.")
    if size > 20:
        errors["household_size"] = _("Enter at most 20 people; call the union for larger households.")
    if annual_income < 0:
        errors["annual_income"] = _("Income cannot be negative.")
    if annual_income > Decimal("100000000"):
        errors["annual_income"] = _("This income is not plausible; check the number.")
    for key in ("medical_expenses", "education_expenses", "accident_costs", "insurance_paid"):
        if Decimal(facts.get(key) or 0) < 0:
            errors[key] = _("Amounts cannot be negative.")
    if errors:
        raise ValidationError(errors)
    values = {k: facts[k] for k in HOUSEHOLD_FIELDS if k in facts}
    return calculator.Household(size=size, annual_income=annual_income, is_member=is_member, **values)


def self_test(*, region, size: int, annual_income: Decimal, facts: dict, is_member: bool = True):
    """The assessment a household would get, without creating anything (the portal's self-test)."""
    policy = policy_for(region)
    household = household_from(facts, size=size, annual_income=annual_income, is_member=is_member)
    return calculator.assess(household, policy.as_policy()), policy


def _person_of(user) -> Person:
    person = Person.objects.filter(user=user).first()
    if person is None:
        raise ValidationError({"person": _("Your account has no real-name file yet. Ask your union to register "
                                           "you, or apply at the union's counter.")})
    return person


def apply(*, actor, region, members: list[dict], facts: dict, narrative: str, idempotency_key: str,
          uploads=(), person: Person | None = None):
    """File a hardship application through the service hall (a member online, or a cadre on their
    behalf). ``members`` are dicts with name, relation, annual_income, note; the applicant is one of them."""
    person = person or _person_of(actor)
    if not members:
        raise ValidationError({"members": _("List the people in the household, the applicant included.")})
    size = len(members)
    annual_income = sum((Decimal(m.get("annual_income") or 0) for m in members), Decimal("0"))
    if any(Decimal(m.get("annual_income") or 0) < 0 for m in members):
        raise ValidationError({"members": _("Incomes cannot be negative.")})
    applicant = person.user
    assessment, policy = self_test(region=region, size=size, annual_income=annual_income, facts=facts,
                                   is_member=current_union(applicant) is not None)
    service = ServiceType.objects.get(code=SERVICE_CODE)
    with transaction.atomic():
        Person.objects.select_for_update().get(pk=person.pk)  # one application at a time per household
        if HardshipFile.objects.filter(person=person, status=FileStatus.ACTIVE).exists():
            raise ValidationError({"person": _("This household is already on file. Ask the union about aid.")})
        open_applications = HardshipApplication.objects.filter(person=person, request__closed_at__isnull=True)
        existing_key = HardshipApplication.objects.filter(request__idempotency_key=idempotency_key).first()
        if existing_key:
            return existing_key.request, False
        if open_applications.exists():
            raise ValidationError({"person": _("An application for this household is already being handled.")})
        if actor == applicant:
            request, created = hall.submit_request(actor=actor, service_type=service, summary=_("Hardship aid"),
                                                   idempotency_key=idempotency_key, uploads=uploads)
        else:
            request, created = hall.submit_request(
                actor=actor, service_type=service, summary=_("Hardship aid"), idempotency_key=idempotency_key,
                channel="walk_in", applicant=applicant, applicant_name=person.name, applicant_mobile=person.mobile,
                organization=current_union(applicant) or person.owner_organization, uploads=uploads)
        if not created:
            return request, False
        application = HardshipApplication(
            request=request, person=person, region=region, household_size=size, annual_income=annual_income,
            narrative=(narrative or "").strip()[:5000], housing=facts.get("housing", "own"),
            cause=facts.get("cause", "other"),
            per_capita_monthly=assessment.per_capita_monthly, tier=assessment.tier or "",
            exclusions=list(assessment.exclusions), dibao_monthly=policy.dibao_monthly,
            **{k: facts[k] for k in HOUSEHOLD_FIELDS if k in facts},
        )
        application.full_clean(exclude=["request", "person", "per_capita_monthly", "dibao_monthly", "tier",
                                        "exclusions"])
        application.save()
        HouseholdMember.objects.bulk_create([
            HouseholdMember(application=application, name=str(m.get("name", ""))[:60], relation=m.get("relation", "other"),
                            annual_income=Decimal(m.get("annual_income") or 0), note=str(m.get("note", ""))[:200])
            for m in members
        ])
        audit.record(actor=actor, action="hardship.apply", obj=request,
                     after={"tier": application.tier, "exclusions": application.exclusions})
    return request, True


@transaction.atomic
def record_home_visit(*, actor, application: HardshipApplication, visited_on: date, visitors: str, findings: str,
                      photos=()) -> HomeVisit:
    request = application.request
    assert_in_scope(request, actor, "hardship.verify")
    if not actor.has_gonghui_perm("hardship.verify"):
        raise Http404
    errors = {}
    if visited_on > timezone.localdate():
        errors["visited_on"] = _("A visit cannot be in the future.")
    if not (findings or "").strip():
        errors["findings"] = _("Write what the visit found.")
    if not (visitors or "").strip():
        errors["visitors"] = _("Name who visited.")
    if errors:
        raise ValidationError(errors)
    visit = HomeVisit.objects.create(application=application, visited_on=visited_on, visitors=visitors.strip()[:120],
                                     findings=findings.strip()[:5000], recorded_by=actor)
    for upload in photos:
        try:
            content_type = files.validate_upload(upload)
        except ValidationError as error:
            raise ValidationError({"photos": error.messages})
        stored = files.save_private(actor=actor, organization=request.handling_organization, purpose="home-visit",
                                    name=upload.name, data=upload.read(), content_type=content_type)
        visit.photos.add(stored)
    audit.record(actor=actor, action="hardship.home_visit", obj=request, after={"visited_on": str(visited_on)})
    return visit


def _event(file, actor, kind, note=""):
    FileEvent.objects.create(file=file, actor=actor if getattr(actor, "pk", None) else None, kind=kind,
                             note=str(note)[:500])


def open_file(*, actor, application: HardshipApplication) -> HardshipFile:
    """Called by the workflow's approval step, inside its transaction."""
    today = timezone.localdate()
    file = HardshipFile.objects.create(
        person=application.person, application=application, owner_organization=application.request.owner_organization,
        tier=application.tier, opened_on=today, next_review_on=today.replace(year=today.year + 1)
        if not (today.month == 2 and today.day == 29) else date(today.year + 1, 2, 28),
    )
    _event(file, actor, FileEventKind.OPENED, application.get_tier_display())
    audit.record(actor=actor, action="hardship.open_file", obj=file, after={"tier": file.tier})
    return file


def _locked_file(actor, file, perm) -> HardshipFile:
    locked = HardshipFile.objects.select_for_update().select_related("application", "person").get(pk=file.pk)
    assert_in_scope(locked, actor, perm)
    if not actor.has_gonghui_perm(perm):
        raise Http404
    if locked.person.user_id == actor.pk:
        raise PermissionDenied(_("Nobody handles their own hardship file."))
    return locked


@transaction.atomic
def record_monthly_income(*, actor, file: HardshipFile, month: date, household_income: Decimal,
                          household_size: int) -> MonthlyIncome:
    file = _locked_file(actor, file, "hardship.verify")
    errors = {}
    month = month.replace(day=1)
    if month > timezone.localdate():
        errors["month"] = _("This month has not begun yet.")
    if household_income < 0:
        errors["household_income"] = _("Income cannot be negative.")
    if household_size < 1 or household_size > 20:
        errors["household_size"] = _("Between 1 and 20 people.")
    if errors:
        raise ValidationError(errors)
    per_capita = (household_income / household_size).quantize(calculator.CENT)
    record, _created = MonthlyIncome.objects.update_or_create(
        file=file, month=month, defaults={"household_income": household_income, "household_size": household_size,
                                          "per_capita": per_capita, "recorded_by": actor})
    _event(file, actor, FileEventKind.INCOME, f"{month:%Y-%m}: {per_capita}")
    audit.record(actor=actor, action="hardship.income", obj=file, after={"month": f"{month:%Y-%m}"})
    return record


def exit_status(file: HardshipFile) -> dict:
    policy = policy_for(file.application.region).as_policy()
    line = calculator.exit_line(file.tier, policy)
    records = list(file.incomes.values_list("month", "per_capita"))
    months = calculator.months_above(records, line) if line is not None else 0
    return {"line": line, "months": months, "needed": calculator.EXIT_MONTHS,
            "may_exit": calculator.may_exit(file.tier, records, policy)}


@transaction.atomic
def exit_file(*, actor, file: HardshipFile, note: str = "") -> HardshipFile:
    """脱困: allowed when the last 6 consecutive months are above the tier's exit line; for 意外致困 when the
    cadre records that the cause is resolved."""
    file = _locked_file(actor, file, "hardship.approve")
    if file.status != FileStatus.ACTIVE:
        raise ValidationError({"status": _("Only a file on record can exit.")})
    status = exit_status(file)
    if status["line"] is None:
        if not (note or "").strip():
            raise ValidationError({"note": _("Say how the accident's consequences were resolved.")})
    elif not status["may_exit"]:
        raise ValidationError({"status": _("The household has been above its exit line for %(months)s of the "
                                           "%(needed)s consecutive months needed.") % status})
    file.status, file.exited_on = FileStatus.EXITED, timezone.localdate()
    file.save(update_fields=["status", "exited_on"])
    _event(file, actor, FileEventKind.EXITED, note)
    audit.record(actor=actor, action="hardship.exit", obj=file, note=note[:500])
    return file


@transaction.atomic
def transfer_to_safety_net(*, actor, file: HardshipFile, note: str) -> HardshipFile:
    file = _locked_file(actor, file, "hardship.approve")
    if file.status != FileStatus.ACTIVE:
        raise ValidationError({"status": _("Only a file on record can be transferred.")})
    if not (note or "").strip():
        raise ValidationError({"note": _("Record where the household was referred (e.g. the civil affairs bureau's "
                                         "minimum living guarantee) and why it cannot exit.")})
    file.status, file.safety_net_note = FileStatus.SAFETY_NET, note.strip()[:2000]
    file.save(update_fields=["status", "safety_net_note"])
    _event(file, actor, FileEventKind.SAFETY_NET, note)
    audit.record(actor=actor, action="hardship.safety_net", obj=file)
    return file


@transaction.atomic
def reopen_file(*, actor, file: HardshipFile, tier: str, note: str) -> HardshipFile:
    """返困: an exited household falls back; the file re-opens at once, without a new application."""
    file = _locked_file(actor, file, "hardship.approve")
    Person.objects.select_for_update().get(pk=file.person_id)
    if file.status != FileStatus.EXITED:
        raise ValidationError({"status": _("Only an exited household can be reopened.")})
    if tier not in {"deep", "relative", "accident"}:
        raise ValidationError({"tier": _("Choose a tier.")})
    if not (note or "").strip():
        raise ValidationError({"note": _("Say what happened (layoff, illness, accident…).")})
    if HardshipFile.objects.filter(person=file.person, status=FileStatus.ACTIVE).exists():
        raise ValidationError({"status": _("This person already has an active file.")})
    file.status, file.tier, file.exited_on = FileStatus.ACTIVE, tier, None
    file.save(update_fields=["status", "tier", "exited_on"])
    _event(file, actor, FileEventKind.REOPENED, note)
    audit.record(actor=actor, action="hardship.reopen", obj=file, after={"tier": tier}, note=note[:500])
    return file


@transaction.atomic
def create_budget_line(*, actor, organization, year: int, kind: str, name: str, amount: Decimal) -> BudgetLine:
    assert_in_scope(organization, actor, "hardship.pay")
    if not actor.has_gonghui_perm("hardship.pay"):
        raise Http404
    line = BudgetLine(organization=organization, year=year, kind=kind, name=name.strip(), amount=amount)
    line.full_clean()
    line.save()
    audit.record(actor=actor, action="hardship.budget_create", obj=line, after={"amount": str(amount)})
    return line


def pay_aid(*, actor, file: HardshipFile, budget_line: BudgetLine, amount: Decimal, kind: str, note: str = "",
            idempotency_key: str | None = None) -> AidRecord:
    """Pay aid from a budget line. The line is locked, so two cadres paying at once can never overdraw it;
    a repeated submission (same key) returns the first payment."""
    key = idempotency_key or uuid.uuid4().hex
    existing = AidRecord.objects.filter(idempotency_key=key).first()
    if existing:
        if existing.file_id != file.pk or existing.amount != amount:
            raise ValidationError({"amount": _("This form was already used for another payment. Reload the page.")})
        return existing
    try:
        return _pay(actor=actor, file=file, budget_line=budget_line, amount=amount, kind=kind, note=note, key=key)
    except IntegrityError:
        # The same submission raced itself; the first one paid.
        return AidRecord.objects.get(idempotency_key=key)


def _pay(*, actor, file, budget_line, amount, kind, note, key) -> AidRecord:
    with transaction.atomic():
        file = _locked_file(actor, file, "hardship.pay")
        line = BudgetLine.objects.select_for_update().get(pk=budget_line.pk)
        assert_in_scope(line, actor, "hardship.pay")
        errors = {}
        if file.status != FileStatus.ACTIVE:
            errors["file"] = _("Aid is paid to households on file only.")
        if amount <= 0:
            errors["amount"] = _("Enter an amount above zero.")
        elif amount > line.remaining:
            errors["amount"] = _("Only ¥%(left)s is left on this budget line.") % {"left": line.remaining}
        if line.kind != kind:
            errors["budget_line"] = _("This budget line is for another kind of aid.")
        if errors:
            raise ValidationError(errors)
        BudgetLine.objects.filter(pk=line.pk).update(spent=F("spent") + amount)
        record = AidRecord.objects.create(file=file, budget_line=line, kind=kind, amount=amount, paid_by=actor,
                                          note=note[:200], idempotency_key=key)
        _event(file, actor, FileEventKind.AID, f"{record.get_kind_display()} ¥{amount}")
        audit.record(actor=actor, action="hardship.pay", obj=file, after={"amount": str(amount), "line": line.pk})
        user = file.person.user
        if user is not None:
            transaction.on_commit(lambda: notify(user, _("Aid of ¥%(amount)s has been paid") % {"amount": amount}))
    return record


@transaction.atomic
def refer(*, actor, file: HardshipFile, agency: str, note: str) -> Referral:
    file = _locked_file(actor, file, "hardship.verify")
    if not (note or "").strip():
        raise ValidationError({"note": _("Say what was asked of the other body.")})
    referral = Referral.objects.create(file=file, agency=agency, note=note.strip()[:300], recorded_by=actor)
    _event(file, actor, FileEventKind.REFERRAL, referral.get_agency_display())
    audit.record(actor=actor, action="hardship.refer", obj=file, after={"agency": agency})
    return referral


@transaction.atomic
def record_referral_outcome(*, actor, referral: Referral, outcome: str, amount: Decimal | None = None) -> Referral:
    file = _locked_file(actor, referral.file, "hardship.verify")
    referral = Referral.objects.select_for_update().get(pk=referral.pk, file=file)
    if not (outcome or "").strip():
        raise ValidationError({"outcome": _("Say what came of the referral.")})
    referral.outcome, referral.outcome_amount, referral.outcome_on = outcome.strip()[:300], amount, timezone.localdate()
    referral.save(update_fields=["outcome", "outcome_amount", "outcome_on"])
    audit.record(actor=actor, action="hardship.referral_outcome", obj=referral.file)
    return referral


def remind_reviews(today=None) -> int:
    """Yearly review reminders to the union holding the file, two weeks ahead, once per file and year."""
    today = today or timezone.localdate()
    due = HardshipFile.objects.filter(status=FileStatus.ACTIVE, next_review_on__lte=today + timedelta(days=14)).exclude(
        last_review_reminder_on__gte=today - timedelta(days=300))
    count = 0
    for file in due.select_related("owner_organization"):
        HardshipFile.objects.filter(pk=file.pk).update(last_review_reminder_on=today)
        for staff in hall.handlers_of(file.owner_organization):
            notify(staff, _("Yearly review of a hardship file due on %(date)s") % {"date": file.next_review_on},
                   url=f"/work/hardship/files/{file.pk}/")
        count += 1
    return count


def watch_returns(today=None) -> int:
    """返困 watch: an exited household whose newest monthly income is back under its old tier's line
    raises a warning to its union (once a month)."""
    today = today or timezone.localdate()
    warned = 0
    exited = HardshipFile.objects.filter(status=FileStatus.EXITED).exclude(
        return_warned_on__gte=today - timedelta(days=28)).select_related("application__region", "owner_organization")
    for file in exited:
        newest = file.incomes.order_by("-month").first()
        if newest is None:
            continue
        line = calculator.exit_line(file.tier, policy_for(file.application.region).as_policy())
        if line is not None and newest.per_capita <= line:
            HardshipFile.objects.filter(pk=file.pk).update(return_warned_on=today)
            _event(file, None, FileEventKind.RETURN_WARNING, f"{newest.month:%Y-%m}: {newest.per_capita} ≤ {line}")
            for staff in hall.handlers_of(file.owner_organization):
                notify(staff, _("A household that left hardship may be falling back"),
                       url=f"/work/hardship/files/{file.pk}/")
            warned += 1
    return warned
