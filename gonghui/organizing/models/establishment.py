"""Union establishment (组建): a case takes one or more enterprises without a union from a preparatory group
through an election to the upper union's approval, which puts a new union into the tree."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.scoping import OrgScopedManager


class EstablishmentOutcome(models.TextChoices):
    """What the case sets up."""

    GRASSROOTS = "grassroots", _("A grassroots union of one enterprise")
    JOINT = "joint", _("A joint grassroots union of several small enterprises")
    PARK = "park", _("A park federation")
    BUILDING = "building", _("A building federation")
    PROJECT = "project", _("A project federation")
    INDUSTRY = "industry", _("An industry federation")


class CaseStatus(models.TextChoices):
    PREPARING = "preparing", _("Preparatory group at work")
    ELECTED = "elected", _("Elected, waiting for the upper union's approval")
    ESTABLISHED = "established", _("Established")
    ABANDONED = "abandoned", _("Abandoned")


OPEN_STATUSES = [CaseStatus.PREPARING, CaseStatus.ELECTED]


class PreparatoryRole(models.TextChoices):
    LEADER = "leader", _("Group leader")
    MEMBER = "member", _("Member")


class CaseEventKind(models.TextChoices):
    OPENED = "opened", _("Case opened")
    MEMBER_ADDED = "member_added", _("Preparatory group member added")
    MEMBER_REMOVED = "member_removed", _("Preparatory group member removed")
    ELECTED = "elected", _("Election recorded")
    RETURNED = "returned", _("Returned by the upper union")
    APPROVED = "approved", _("Approved by the upper union; union established")
    ABANDONED = "abandoned", _("Case abandoned")


class EstablishmentCase(models.Model):
    """One establishment effort (组建) guided by an upper union, ending with a new union under it."""

    owner_organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="establishment_cases",
        verbose_name=_("upper union"),
        help_text=_("The union that guides the case, approves it and under which the new union is placed."),
    )
    outcome = models.CharField(_("what is set up"), max_length=12, choices=EstablishmentOutcome.choices)
    proposed_name = models.CharField(_("name of the new union"), max_length=120)
    status = models.CharField(_("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.PREPARING)
    enterprises = models.ManyToManyField(
        "orgs.Enterprise", through="CaseEnterprise", related_name="establishment_cases",
        verbose_name=_("enterprises"),
    )
    election_date = models.DateField(_("election date"), null=True, blank=True)
    committee = models.JSONField(_("committee members"), default=list, blank=True)
    chair_name = models.CharField(_("chair"), max_length=60, blank=True)
    union = models.OneToOneField(
        "orgs.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="establishment_case",
        verbose_name=_("new union"),
    )
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    closing_note = models.CharField(_("note"), max_length=300, blank=True)
    idempotency_key = models.CharField(max_length=64, blank=True)

    objects = OrgScopedManager()
    scope_org_fields = ("owner_organization",)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("establishment case")
        verbose_name_plural = _("establishment cases")
        indexes = [models.Index(fields=["owner_organization", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["opened_by", "idempotency_key"], condition=~models.Q(idempotency_key=""),
                name="establishment_case_idempotency",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="established") | models.Q(union__isnull=False),
                name="establishment_case_established_has_union",
            ),
        ]

    def __str__(self):
        return self.proposed_name

    @property
    def audit_organization(self):
        return self.owner_organization

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class CaseEnterprise(models.Model):
    """An enterprise taking part in an establishment case; an enterprise is in at most one open case."""

    case = models.ForeignKey(EstablishmentCase, on_delete=models.PROTECT, related_name="case_enterprises")
    enterprise = models.ForeignKey("orgs.Enterprise", on_delete=models.PROTECT, related_name="+")
    is_open = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("enterprise in an establishment case")
        verbose_name_plural = _("enterprises in establishment cases")
        constraints = [
            models.UniqueConstraint(fields=["case", "enterprise"], name="case_enterprise_unique"),
            models.UniqueConstraint(fields=["enterprise"], condition=models.Q(is_open=True),
                                    name="enterprise_one_open_case"),
        ]


class PreparatoryMember(models.Model):
    """A member of the preparatory group (筹备组) of an establishment case."""

    case = models.ForeignKey(EstablishmentCase, on_delete=models.PROTECT, related_name="preparatory_members")
    name = models.CharField(_("name"), max_length=60)
    role = models.CharField(_("role in the group"), max_length=8, choices=PreparatoryRole.choices,
                            default=PreparatoryRole.MEMBER)
    job_title = models.CharField(_("job title"), max_length=60, blank=True)
    added_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("preparatory group member")
        verbose_name_plural = _("preparatory group members")
        constraints = [
            models.UniqueConstraint(fields=["case", "name"], name="preparatory_member_unique_name"),
            models.UniqueConstraint(fields=["case"], condition=models.Q(role="leader"),
                                    name="preparatory_one_leader"),
        ]

    def __str__(self):
        return self.name


class CaseEvent(models.Model):
    """One step in the timeline of an establishment case."""

    case = models.ForeignKey(EstablishmentCase, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("event"), max_length=16, choices=CaseEventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("establishment case event")
        verbose_name_plural = _("establishment case events")
