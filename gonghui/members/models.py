from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.crypto import EncryptedTextField, blind_index
from gonghui.core.masking import mask_id_number, mask_mobile
from gonghui.core.scoping import OrgScopedManager
from gonghui.members.choices import CURRENT_STATUSES, EmploymentForm, Gender, MembershipStatus
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
    member_number = models.CharField(_("member number"), max_length=24, unique=True)
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
            )
        ]

    def __str__(self):
        return f"{self.person} @ {self.union}"

    @property
    def audit_organization(self):
        return self.union
