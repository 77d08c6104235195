from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.crypto import EncryptedTextField
from gonghui.core.scoping import OrgScopedManager
from gonghui.hardship import calculator
from gonghui.hardship.choices import (
    Agency,
    AidKind,
    Cause,
    FileEventKind,
    FileStatus,
    Housing,
    Relation,
    Tier,
)

MONEY = {"max_digits": 12, "decimal_places": 2}
NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


class HardshipPolicy(models.Model):
    """The local lines and rules for one district and year: 低保, the relative multiple, exit lines and the
    exclusions in force (local practice, so configuration)."""

    region = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, related_name="hardship_policies",
                               verbose_name=_("district"))
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    dibao_monthly = models.DecimalField(_("minimum living standard (低保) per person per month"), **MONEY,
                                        validators=[MinValueValidator(Decimal("1"))])
    relative_multiplier = models.DecimalField(_("relative hardship line, × 低保"), max_digits=4, decimal_places=2,
                                              default=Decimal("2"))
    exit_deep_multiplier = models.DecimalField(_("exit line for deep hardship, × 低保"), max_digits=4,
                                               decimal_places=2, default=Decimal("1"))
    exit_relative_multiplier = models.DecimalField(_("exit line for relative hardship, × 低保"), max_digits=4,
                                                   decimal_places=2, default=Decimal("2"))
    accident_cost_ratio = models.DecimalField(
        _("accident hardship: costs above this share of household income"), max_digits=3, decimal_places=2,
        default=Decimal("0.8"), help_text=_("Local practice (平顶山, 青岛): 0.8."))
    min_employment_months = models.PositiveSmallIntegerField(_("migrant workers: months employed at least"),
                                                             default=12)
    min_residence_years = models.PositiveSmallIntegerField(_("migrant workers: years of residence at least"),
                                                           default=1)
    exclude_two_homes = models.BooleanField(_("exclude households with two or more homes"), default=True)
    exclude_business = models.BooleanField(_("exclude households running a business or employing others"),
                                           default=True)
    exclude_private_school = models.BooleanField(_("exclude high-fee private school or self-funded study abroad"),
                                                 default=True)

    class Meta:
        verbose_name = _("hardship policy")
        verbose_name_plural = _("hardship policies")
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="hardship_policy_region_year")]

    def __str__(self):
        return f"{self.region.name} {self.year}: 低保 {self.dibao_monthly}"

    def as_policy(self) -> calculator.Policy:
        return calculator.Policy(
            dibao_monthly=self.dibao_monthly, relative_multiplier=self.relative_multiplier,
            exit_deep_multiplier=self.exit_deep_multiplier, exit_relative_multiplier=self.exit_relative_multiplier,
            accident_cost_ratio=self.accident_cost_ratio, min_employment_months=self.min_employment_months,
            min_residence_years=self.min_residence_years, exclude_two_homes=self.exclude_two_homes,
            exclude_business=self.exclude_business, exclude_private_school=self.exclude_private_school,
        )


class HardshipApplication(models.Model):
    """The household facts of one hardship application (the detail of a service-hall request)."""

    request = models.OneToOneField("hall.ServiceRequest", on_delete=models.PROTECT, related_name="hardship")
    person = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="hardship_applications")
    region = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("district"))
    household_size = models.PositiveSmallIntegerField(_("people in the household"),
                                                      validators=[MinValueValidator(1), MaxValueValidator(20)])
    annual_income = models.DecimalField(_("household income last 12 months"), **MONEY, validators=NON_NEGATIVE)
    medical_expenses = models.DecimalField(_("medical expenses last 12 months"), **MONEY, default=0,
                                           validators=NON_NEGATIVE)
    education_expenses = models.DecimalField(_("education expenses last 12 months"), **MONEY, default=0,
                                             validators=NON_NEGATIVE)
    accident_costs = models.DecimalField(_("necessary costs of an accident, disaster or illness"), **MONEY,
                                         default=0, validators=NON_NEGATIVE)
    insurance_paid = models.DecimalField(_("paid back by insurance and other aid"), **MONEY, default=0,
                                         validators=NON_NEGATIVE)
    housing = models.CharField(_("housing"), max_length=8, choices=Housing.choices)
    homes_count = models.PositiveSmallIntegerField(_("homes owned"), default=0)
    cause = models.CharField(_("main cause"), max_length=14, choices=Cause.choices)
    narrative = EncryptedTextField(_("the family's situation"), blank=True)
    runs_business = models.BooleanField(_("the household runs a business"), default=False)
    employs_others = models.BooleanField(_("the household employs others"), default=False)
    child_private_high_fee = models.BooleanField(_("a child attends a high-fee private school"), default=False)
    child_abroad_self_funded = models.BooleanField(_("a child studies abroad at own cost"), default=False)
    is_migrant = models.BooleanField(_("migrant worker"), default=False)
    residence_years = models.PositiveSmallIntegerField(_("years living in the city"), default=0)
    employment_months = models.PositiveSmallIntegerField(_("months with the current employer"), default=0)
    per_capita_monthly = models.DecimalField(**MONEY, editable=False)
    tier = models.CharField(max_length=10, choices=Tier.choices, blank=True, editable=False)
    exclusions = models.JSONField(default=list, editable=False)
    dibao_monthly = models.DecimalField(**MONEY, editable=False)

    audit_masks = {"narrative": lambda v: "***" if v else ""}

    def __str__(self):
        return f"{self.request.reference} {self.person}"


class HouseholdMember(models.Model):
    """One person of an applying household, with their income."""

    application = models.ForeignKey(HardshipApplication, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=60)
    relation = models.CharField(_("relation"), max_length=8, choices=Relation.choices)
    annual_income = models.DecimalField(_("income last 12 months"), **MONEY, default=0, validators=NON_NEGATIVE)
    note = models.CharField(_("health, disability, school"), max_length=200, blank=True)

    def __str__(self):
        return self.name


class HomeVisit(models.Model):
    """A cadre's visit to the household to verify the application, with photos in private storage."""

    application = models.ForeignKey(HardshipApplication, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("visited on"))
    visitors = models.CharField(_("visitors"), max_length=120)
    findings = EncryptedTextField(_("what was found"))
    photos = models.ManyToManyField("core.PrivateFile", blank=True, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.application} {self.visited_on}"


class HardshipFile(models.Model):
    """A household on file (建档): its tier, status, incomes, aid and history."""

    person = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="hardship_files")
    application = models.OneToOneField(HardshipApplication, on_delete=models.PROTECT, related_name="file")
    owner_organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT,
                                           related_name="hardship_files", verbose_name=_("union"))
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices)
    status = models.CharField(_("status"), max_length=12, choices=FileStatus.choices, default=FileStatus.ACTIVE)
    opened_on = models.DateField(_("opened on"))
    next_review_on = models.DateField(_("next yearly review"))
    exited_on = models.DateField(_("exited on"), null=True, blank=True)
    safety_net_note = models.TextField(_("safety-net referral"), blank=True)
    last_review_reminder_on = models.DateField(null=True, blank=True, editable=False)
    return_warned_on = models.DateField(null=True, blank=True, editable=False)

    objects = OrgScopedManager()
    scope_org_fields = ("owner_organization",)
    scope_self_fields = ("person__user",)

    class Meta:
        verbose_name = _("hardship file")
        verbose_name_plural = _("hardship files")
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(status="active"), name="one_active_hardship_file")
        ]

    def __str__(self):
        return f"{self.person} · {self.get_tier_display()}"

    @property
    def audit_organization(self):
        return self.owner_organization


class FileEvent(models.Model):
    """One line of a file's history."""

    file = models.ForeignKey(HardshipFile, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    kind = models.CharField(max_length=16, choices=FileEventKind.choices)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-id"]


class MonthlyIncome(models.Model):
    """The household's income in one month, for exit (脱困) and return (返困) watching."""

    file = models.ForeignKey(HardshipFile, on_delete=models.CASCADE, related_name="incomes")
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    household_income = models.DecimalField(_("household income in the month"), **MONEY, validators=NON_NEGATIVE)
    household_size = models.PositiveSmallIntegerField(_("people"), validators=[MinValueValidator(1)])
    per_capita = models.DecimalField(**MONEY, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["file", "month"], name="one_income_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="income_month_first_day"),
        ]


class BudgetLine(models.Model):
    """Money an organisation may spend on one kind of aid in one year; it can never go negative."""

    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="budget_lines")
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("aid kind"), max_length=10, choices=AidKind.choices)
    name = models.CharField(_("name"), max_length=80)
    amount = models.DecimalField(_("amount"), **MONEY, validators=NON_NEGATIVE)
    spent = models.DecimalField(_("spent"), **MONEY, default=0, editable=False)

    objects = OrgScopedManager()
    scope_org_fields = ("organization",)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.CheckConstraint(condition=Q(spent__gte=0) & Q(spent__lte=F("amount")), name="budget_not_overspent"),
        ]

    def __str__(self):
        return f"{self.organization} {self.year} {self.name}"

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.spent

    @property
    def audit_organization(self):
        return self.organization


class AidRecord(models.Model):
    """Aid paid to a household on file, drawn from a budget line."""

    file = models.ForeignKey(HardshipFile, on_delete=models.PROTECT, related_name="aid")
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(_("aid kind"), max_length=10, choices=AidKind.choices)
    amount = models.DecimalField(_("amount"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    paid_on = models.DateField(_("paid on"), default=timezone.localdate)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True)
    idempotency_key = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        ordering = ["-paid_on", "-id"]


class Referral(models.Model):
    """A joint-relief referral (联合救助) to another body, and what came of it."""

    file = models.ForeignKey(HardshipFile, on_delete=models.PROTECT, related_name="referrals")
    agency = models.CharField(_("referred to"), max_length=14, choices=Agency.choices)
    referred_on = models.DateField(_("referred on"), default=timezone.localdate)
    note = models.CharField(_("what was asked"), max_length=300)
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)
    outcome_amount = models.DecimalField(_("amount granted"), **MONEY, null=True, blank=True,
                                         validators=NON_NEGATIVE)
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
