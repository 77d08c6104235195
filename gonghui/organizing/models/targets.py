"""Targets per organisation and year, set by the level above for the levels below."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.scoping import OrgScopedManager
from gonghui.members.choices import PRIORITY_NEW_EMPLOYMENT, EmploymentForm


class TargetMetric(models.TextChoices):
    MEMBERS_JOINED = "joined", _("Members joined in the year")
    UNIONS_ESTABLISHED = "established", _("Unions established in the year")
    ESTABLISHMENT_RATE = "rate", _("Establishment rate (enterprises with 25+ staff that have a union), %")


class TargetGroup(models.TextChoices):
    """Whom a joining target counts: everyone, all new forms of employment, the four priority groups, or one
    employment form."""

    ALL = "all", _("All workers")
    NEW_EMPLOYMENT = "gig", _("All new forms of employment")
    PRIORITY = "priority4", _("The four priority groups (truck, ride-hailing, courier, food delivery)")
    # One group per employment form, so a target can name e.g. food-delivery riders alone.
    EMPLOYEE = "employee", EmploymentForm.EMPLOYEE.label
    TRUCK_DRIVER = "truck_driver", EmploymentForm.TRUCK_DRIVER.label
    RIDE_HAILING_DRIVER = "ride_hailing", EmploymentForm.RIDE_HAILING_DRIVER.label
    COURIER = "courier", EmploymentForm.COURIER.label
    FOOD_DELIVERY = "food_delivery", EmploymentForm.FOOD_DELIVERY.label
    CARE_WORKER = "care_worker", EmploymentForm.CARE_WORKER.label
    DOMESTIC_WORKER = "domestic", EmploymentForm.DOMESTIC_WORKER.label
    MALL_INFORMATION = "mall_info", EmploymentForm.MALL_INFORMATION.label
    REAL_ESTATE_AGENT = "estate_agent", EmploymentForm.REAL_ESTATE_AGENT.label
    SECURITY_GUARD = "security_guard", EmploymentForm.SECURITY_GUARD.label
    OTHER_FLEXIBLE = "flexible", EmploymentForm.OTHER_FLEXIBLE.label


def employment_forms_of(group: str) -> list[str] | None:
    """The employment forms a group counts; None for everyone."""
    if group == TargetGroup.ALL:
        return None
    if group == TargetGroup.NEW_EMPLOYMENT:
        return [f for f in EmploymentForm.values if f != EmploymentForm.EMPLOYEE]
    if group == TargetGroup.PRIORITY:
        return sorted(str(f) for f in PRIORITY_NEW_EMPLOYMENT)
    return [group]


class Target(models.Model):
    """A yearly target of one organisation (members joined, unions established or the establishment rate)."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="targets", verbose_name=_("organisation")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    metric = models.CharField(_("measure"), max_length=12, choices=TargetMetric.choices)
    group = models.CharField(_("group"), max_length=20, choices=TargetGroup.choices, default=TargetGroup.ALL)
    value = models.PositiveIntegerField(_("target"), validators=[MinValueValidator(1)])
    note = models.CharField(_("note"), max_length=200, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)

    objects = OrgScopedManager()
    scope_org_fields = ("organization",)

    class Meta:
        ordering = ["-year", "organization__path", "metric", "group"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["organization", "year", "metric", "group"], name="target_unique"),
            models.CheckConstraint(condition=models.Q(value__gte=1), name="target_value_positive"),
            models.CheckConstraint(condition=~models.Q(metric="rate") | models.Q(value__lte=100),
                                   name="target_rate_at_most_100"),
        ]

    def __str__(self):
        return f"{self.organization} {self.year} {self.get_metric_display()} {self.get_group_display()}: {self.value}"

    @property
    def audit_organization(self):
        return self.organization
