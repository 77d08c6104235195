from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.crypto import EncryptedTextField, blind_index
from gonghui.core.masking import mask_id_number, mask_mobile
from gonghui.core.scoping import OrgScopedManager
from gonghui.members.choices import (
    CURRENT_STATUSES,
    EmploymentForm,
    Gender,
    MembershipEventKind,
    MembershipStatus,
    SkillLevel,
    TransferStatus,
)
from gonghui.members.validators import birth_date_of, gender_of


class Person(models.Model):
    """A real-name file of a worker (name, ID number, mobile, employer or platform)."""

    name = models.CharField(_("name"), max_length=60)
    id_number = EncryptedTextField(_("ID card number"), blank=True)
    id_number_bidx = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    mobile = models.CharField(_("mobile"), max_length=11, blank=True, db_index=True)
    employer = models.ForeignKey(
        "orgs.Enterprise", on_delete=models.PROTECT, null=True, blank=True, related_name="people",
        verbose_name=_("employer"),
    )
    platform_name = models.CharField(_("platform"), max_length=80, blank=True)
    employment_form = models.CharField(_("employment form"), max_length=20, choices=EmploymentForm.choices)
    occupation = models.CharField(_("occupation"), max_length=60, blank=True)
    skill_level = models.CharField(_("skill level"), max_length=12, choices=SkillLevel.choices, blank=True)
    home_region = models.ForeignKey(
        "orgs.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("home district"),
    )
    owner_organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="people", verbose_name=_("owner organisation")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="person"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = OrgScopedManager()
    scope_org_fields = ("owner_organization", "memberships__union")
    scope_self_fields = ("user",)
    audit_masks = {"id_number": mask_id_number, "mobile": mask_mobile}

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_bidx"], condition=~models.Q(id_number_bidx=""), name="person_unique_id_number"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def audit_organization(self):
        return self.owner_organization

    def save(self, *args, **kwargs):
        self.id_number_bidx = blind_index(self.id_number)
        if self.id_number:
            self.birth_date = birth_date_of(self.id_number)
            self.gender = gender_of(self.id_number)
        super().save(*args, **kwargs)


class Membership(models.Model):
    """A person's membership of one union, with its status and history."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    union = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="memberships")
    status = models.CharField(_("status"), max_length=12, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE)
    member_number = models.CharField(_("member number"), max_length=24, db_index=True)
    joined_on = models.DateField(_("joined on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = OrgScopedManager()
    scope_org_fields = ("union",)
    scope_self_fields = ("person__user",)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(status__in=CURRENT_STATUSES), name="one_current_membership"
            ),
            # A member number follows the person through transfers, so it is unique among current memberships.
            models.UniqueConstraint(
                fields=["member_number"], condition=models.Q(status__in=CURRENT_STATUSES),
                name="current_member_number_unique",
            ),
        ]
        indexes = [models.Index(fields=["union", "status", "joined_on"])]

    def __str__(self):
        return f"{self.person} @ {self.union}"

    @property
    def audit_organization(self):
        return self.union


class MembershipEvent(models.Model):
    """The history of a person's membership: joined, transferred, retained, held by the upper union, ended."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="membership_events")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("event"), max_length=20, choices=MembershipEventKind.choices)
    union = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = OrgScopedManager()
    scope_org_fields = ("union",)
    scope_self_fields = ("person__user",)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("membership event")
        verbose_name_plural = _("membership events")

    @property
    def audit_organization(self):
        return self.union


class MemberCard(models.Model):
    """An e-member card. Its QR code carries a short-lived signed token naming the card's public id (never the
    member number); revoking the card makes every token of it invalid at once."""

    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="cards")
    public_id = models.CharField(max_length=32, unique=True, editable=False)
    issued_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(_("reason"), max_length=120, blank=True)

    objects = OrgScopedManager()
    scope_org_fields = ("membership__union",)
    scope_self_fields = ("membership__person__user",)

    class Meta:
        verbose_name = _("e-member card")
        verbose_name_plural = _("e-member cards")
        constraints = [
            models.UniqueConstraint(
                fields=["membership"], condition=models.Q(revoked_at__isnull=True), name="one_live_card"
            )
        ]

    @property
    def audit_organization(self):
        return self.membership.union


class Transfer(models.Model):
    """会籍接转: moving a current membership from one union to another; both unions confirm."""

    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="transfers")
    from_union = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="transfers_out", verbose_name=_("from union")
    )
    to_union = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="transfers_in", verbose_name=_("to union")
    )
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(_("status"), max_length=12, choices=TransferStatus.choices, default=TransferStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    out_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    out_confirmed_at = models.DateTimeField(null=True, blank=True)
    in_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    in_confirmed_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.CharField(_("reason for refusal"), max_length=200, blank=True)
    idempotency_key = models.CharField(max_length=64, blank=True)

    objects = OrgScopedManager()
    scope_org_fields = ("from_union", "to_union")
    scope_self_fields = ("membership__person__user",)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("membership transfer")
        verbose_name_plural = _("membership transfers")
        constraints = [
            models.UniqueConstraint(
                fields=["membership"], condition=models.Q(status="pending"), name="one_pending_transfer"
            ),
            models.UniqueConstraint(
                fields=["requested_by", "idempotency_key"], condition=~models.Q(idempotency_key=""),
                name="transfer_idempotency",
            ),
            models.CheckConstraint(condition=~models.Q(from_union=models.F("to_union")), name="transfer_not_same_union"),
        ]

    def __str__(self):
        return f"{self.membership.person} {self.from_union} → {self.to_union}"

    @property
    def audit_organization(self):
        return self.from_union


class RosterImportStatus(models.TextChoices):
    VALIDATING = "validating", _("Checking the file")
    INVALID = "invalid", _("Has errors")
    READY = "ready", _("Ready to import")
    COMMITTING = "committing", _("Importing")
    COMMITTED = "committed", _("Imported")
    FAILED = "failed", _("Import failed")


class RosterImport(models.Model):
    """A member roster (名册) a cadre uploaded into one union: its check result and whether it has landed."""

    union = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="roster_imports", verbose_name=_("union")
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    source_file = models.ForeignKey("core.PrivateFile", on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(
        _("status"), max_length=12, choices=RosterImportStatus.choices, default=RosterImportStatus.VALIDATING
    )
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    error_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    # File-level messages and the first rows with errors (masked values only), for the preview.
    problems = models.JSONField(default=dict, blank=True)
    validation_job = models.ForeignKey("core.Job", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    commit_job = models.ForeignKey("core.Job", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    imported_count = models.PositiveIntegerField(_("members imported"), default=0)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    committed_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = OrgScopedManager()
    scope_org_fields = ("union",)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        constraints = [
            # The same file lands in a union at most once, however often it is uploaded or submitted.
            models.UniqueConstraint(
                fields=["union", "sha256"], condition=models.Q(status__in=["committing", "committed"]),
                name="roster_import_once_per_union",
            ),
            models.UniqueConstraint(
                fields=["uploaded_by", "idempotency_key"], condition=~models.Q(idempotency_key=""),
                name="roster_import_idempotency",
            ),
        ]

    def __str__(self):
        return f"{self.file_name} → {self.union}"

    @property
    def audit_organization(self):
        return self.union


class MemberNumberSequence(models.Model):
    """The last member number handed out under a prefix (the union's region code); locked to allocate."""

    prefix = models.CharField(max_length=6, primary_key=True)
    last = models.PositiveBigIntegerField(default=0)
