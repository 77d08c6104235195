from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.scoping import OrgScopedManager
from gonghui.wishes.choices import DonorKind, DonorStatus, WishCategory, WishStatus

MONEY = {"max_digits": 10, "decimal_places": 2}


class WishSettings(models.Model):
    """City-wide settings of the wish platform (one row)."""

    amount_cap = models.DecimalField(_("highest amount of one wish (¥)"), **MONEY, default=Decimal("500"),
                                     validators=[MinValueValidator(Decimal("1"))],
                                     help_text=_("Local practice; most cities cap a 微心愿 at a few hundred yuan."))

    class Meta:
        verbose_name = _("wish settings")
        verbose_name_plural = _("wish settings")

    def __str__(self):
        return f"cap ¥{self.amount_cap}"

    @classmethod
    def current(cls) -> "WishSettings":
        return cls.objects.get_or_create(pk=1)[0]


class Donor(models.Model):
    """A person or enterprise who fulfils wishes; acts under the union's name only once staff approve."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="donor")
    kind = models.CharField(_("donor"), max_length=10, choices=DonorKind.choices)
    name = models.CharField(_("name shown on the certificate"), max_length=80)
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=DonorStatus.choices, default=DonorStatus.PENDING)
    categories = models.JSONField(_("categories I like to fulfil"), default=list, blank=True)
    regions = models.JSONField(_("districts I like to help"), default=list, blank=True)
    budget = models.DecimalField(_("budget for recommendations (¥)"), **MONEY, default=Decimal("0"),
                                 validators=[MinValueValidator(Decimal("0"))])
    owner_organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="donors")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = OrgScopedManager()
    scope_org_fields = ("owner_organization",)
    scope_self_fields = ("user",)

    def __str__(self):
        return self.name

    @property
    def audit_organization(self):
        return self.owner_organization


class Wish(models.Model):
    """A 微心愿 of a worker on file: verified and published without identifying data, claimed once."""

    person = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="wishes")
    owner_organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="wishes")
    region = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("district"))
    category = models.CharField(_("category"), max_length=10, choices=WishCategory.choices)
    description = models.TextField(_("the wish, in the worker's words"), max_length=1000)
    public_title = models.CharField(_("title on the wall"), max_length=60, blank=True)
    public_text = models.TextField(_("text on the wall (no names, schools or addresses)"), max_length=500, blank=True)
    amount = models.DecimalField(_("amount (¥)"), **MONEY, validators=[MinValueValidator(Decimal("1"))])
    status = models.CharField(_("status"), max_length=10, choices=WishStatus.choices, default=WishStatus.SUBMITTED,
                              db_index=True)
    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, null=True, blank=True, related_name="wishes")
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    delivery_photo = models.ForeignKey("core.PrivateFile", on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+")
    received_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = OrgScopedManager()
    scope_org_fields = ("owner_organization",)
    scope_self_fields = ("person__user",)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "published_at"])]

    def __str__(self):
        return self.public_title or self.get_category_display()

    @property
    def audit_organization(self):
        return self.owner_organization


class WishEvent(models.Model):
    """One line of a wish's public record."""

    wish = models.ForeignKey(Wish, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=WishStatus.choices)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]


class MatchRun(models.Model):
    """One batch recommendation of open wishes to donors, with the solver's figures."""

    created_at = models.DateTimeField(default=timezone.now)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    wishes = models.PositiveIntegerField(default=0)
    donors = models.PositiveIntegerField(default=0)
    greedy_count = models.PositiveIntegerField(default=0)
    greedy_value = models.DecimalField(**MONEY, default=0)
    count = models.PositiveIntegerField(default=0)
    value = models.DecimalField(**MONEY, default=0)
    gap = models.FloatField(null=True, help_text="Relative optimality gap reported by CP-SAT (0 = proven optimal).")
    status = models.CharField(max_length=20, blank=True)
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-created_at"]


class Recommendation(models.Model):
    """A wish recommended to a donor by a match run, with the reason shown to the donor."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="recommendations")
    donor = models.ForeignKey(Donor, on_delete=models.CASCADE, related_name="recommendations")
    wish = models.ForeignKey(Wish, on_delete=models.CASCADE, related_name="recommendations")
    reason = models.CharField(max_length=300)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "wish"], name="one_recommendation_per_wish")]
