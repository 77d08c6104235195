from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.crypto import EncryptedTextField
from gonghui.core.masking import mask_id_number, mask_mobile
from gonghui.core.scoping import OrgScopedManager
from gonghui.members.choices import EmploymentForm, SkillLevel
from gonghui.organizing.choices import JoinRoute


class JoinApplication(models.Model):
    """The details of one online join application; the request itself (deadline, timeline, 我的办件) is a
    service-hall request. The person and the membership are only created when the union accepts."""

    request = models.OneToOneField("hall.ServiceRequest", on_delete=models.PROTECT, related_name="join")
    name = models.CharField(_("name"), max_length=60)
    id_number = EncryptedTextField(_("ID card number"))
    id_number_bidx = models.CharField(max_length=64, db_index=True, editable=False)
    mobile = models.CharField(_("mobile"), max_length=11)
    employment_form = models.CharField(_("employment form"), max_length=20, choices=EmploymentForm.choices)
    employer = models.ForeignKey(
        "orgs.Enterprise", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("employer")
    )
    employer_name = models.CharField(_("employer (as written)"), max_length=120, blank=True)
    platform = models.ForeignKey(
        "orgs.Enterprise", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("platform")
    )
    occupation = models.CharField(_("occupation"), max_length=60, blank=True)
    skill_level = models.CharField(_("skill level"), max_length=12, choices=SkillLevel.choices, blank=True)
    home_region = models.ForeignKey(
        "orgs.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("home district")
    )
    home_street = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("street / town where you live"),
    )
    chosen_union = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("union chosen by QR code"),
    )
    route = models.CharField(_("routed by"), max_length=16, choices=JoinRoute.choices)
    is_open = models.BooleanField(default=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = OrgScopedManager()
    scope_org_fields = ("request__handling_organization", "request__owner_organization")
    scope_self_fields = ("request__applicant",)
    audit_masks = {"id_number": mask_id_number, "mobile": mask_mobile}

    class Meta:
        verbose_name = _("join application")
        verbose_name_plural = _("join applications")
        constraints = [
            # One open application per person (by ID number), whatever account or device it comes from.
            models.UniqueConstraint(fields=["id_number_bidx"], condition=models.Q(is_open=True),
                                    name="one_open_join_application"),
        ]

    def __str__(self):
        return f"{self.name} ({self.request.reference})"

    @property
    def audit_organization(self):
        return self.request.handling_organization
