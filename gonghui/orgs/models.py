from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.scoping import OrgScopedManager
from gonghui.orgs.choices import CoverageKind, OrgKind, Ownership, SizeClass
from gonghui.orgs.validators import validate_uscc

PATH_STEP = 4  # fixed-width base-36 steps: 1.6 million children per parent


def encode_step(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while number:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
    return out.rjust(PATH_STEP, "0")


class Region(models.Model):
    """An administrative division (GB/T 2260 code), loaded as data because the codes change yearly."""

    code = models.CharField(_("code"), max_length=6, primary_key=True)
    name = models.CharField(_("name"), max_length=50)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")

    class Meta:
        ordering = ["code"]
        verbose_name = _("administrative division")
        verbose_name_plural = _("administrative divisions")

    def __str__(self):
        return f"{self.name} ({self.code})"


class Industry(models.Model):
    """A class of the national industry classification GB/T 4754-2017 (门类 letter or 大类 two digits)."""

    code = models.CharField(_("code"), max_length=4, primary_key=True)
    name = models.CharField(_("name"), max_length=80)
    section = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="divisions")

    class Meta:
        ordering = ["code"]
        verbose_name = _("industry")
        verbose_name_plural = _("industries")

    def __str__(self):
        return f"{self.code} {self.name}"


class Organization(models.Model):
    """A trade union organisation: the city federation, a district union, a federation or a grassroots union."""

    name = models.CharField(_("name"), max_length=120)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    children_count = models.PositiveIntegerField(default=0, editable=False)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="organizations",
        verbose_name=_("district"),
    )
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, validators=[validate_uscc],
        help_text=_("The union's own code as a legal person, if registered."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=40, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = OrgScopedManager()
    scope_org_fields = ("",)

    class Meta:
        ordering = ["path"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [models.Index(fields=["kind", "path"])]

    def __str__(self):
        return self.name

    @property
    def audit_organization(self):
        return self

    def ancestors_paths(self) -> list[str]:
        return [self.path[: i * PATH_STEP] for i in range(1, self.depth + 1)]


class Enterprise(models.Model):
    """An employer: a company or institution with its 统一社会信用代码, and its grassroots union if any."""

    name = models.CharField(_("name"), max_length=120)
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc])
    industry = models.ForeignKey(
        Industry, on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("industry (division)")
    )
    size_class = models.CharField(_("size class"), max_length=8, choices=SizeClass.choices)
    ownership = models.CharField(_("ownership"), max_length=12, choices=Ownership.choices)
    headcount = models.PositiveIntegerField(_("employees"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("district"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    owner_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="owned_enterprises",
        verbose_name=_("owner organisation"), help_text=_("The union that registered the enterprise; never changes."),
    )
    union = models.OneToOneField(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="enterprise",
        verbose_name=_("grassroots union"),
    )
    is_active = models.BooleanField(_("operating"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = OrgScopedManager()
    scope_org_fields = ("owner_organization", "union")
    scope_enterprise_fields = ("",)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        indexes = [models.Index(fields=["name", "id"]), models.Index(fields=["region", "name"])]
        constraints = [models.CheckConstraint(condition=models.Q(headcount__gte=0), name="enterprise_headcount_gte_0")]

    def __str__(self):
        return self.name

    @property
    def audit_organization(self):
        return self.owner_organization


class Coverage(models.Model):
    """A non-tree leadership link: an industry union or a park/building federation covering an
    enterprise or a union that sits elsewhere in the tree."""

    covering = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="coverages", verbose_name=_("covering organisation")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CoverageKind.choices)
    target_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="covered_by",
        verbose_name=_("covered union"),
    )
    target_enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, null=True, blank=True, related_name="covered_by",
        verbose_name=_("covered enterprise"),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = OrgScopedManager()
    scope_org_fields = ("covering",)

    class Meta:
        verbose_name = _("coverage link")
        verbose_name_plural = _("coverage links")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(target_organization__isnull=False, target_enterprise__isnull=True)
                    | models.Q(target_organization__isnull=True, target_enterprise__isnull=False)
                ),
                name="coverage_exactly_one_target",
            ),
            models.UniqueConstraint(fields=["covering", "target_organization"], name="coverage_unique_org"),
            models.UniqueConstraint(fields=["covering", "target_enterprise"], name="coverage_unique_enterprise"),
        ]

    def __str__(self):
        return f"{self.covering} → {self.target_organization or self.target_enterprise}"

    @property
    def audit_organization(self):
        return self.covering

    def clean(self):
        if bool(self.target_organization_id) == bool(self.target_enterprise_id):
            raise ValidationError(_("Choose either a union or an enterprise to cover, not both."))
