from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.masking import mask_mobile
from gonghui.core.scoping import OrgScopedManager
from gonghui.employment.choices import (
    ApplicationStatus,
    ContactVisibility,
    Education,
    EmployerStatus,
    FairMode,
    FairStatus,
    FairTheme,
    PostingStatus,
)

MONEY = {"max_digits": 10, "decimal_places": 2}


class Employer(models.Model):
    """An enterprise in the registry acting on the job platform through a named contact, once staff approve."""

    enterprise = models.ForeignKey("orgs.Enterprise", on_delete=models.PROTECT, related_name="employer_accounts",
                                   verbose_name=_("enterprise"))
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="employer")
    contact_name = models.CharField(_("contact person"), max_length=40)
    contact_phone = models.CharField(_("contact phone"), max_length=20)
    status = models.CharField(_("status"), max_length=10, choices=EmployerStatus.choices,
                              default=EmployerStatus.PENDING, db_index=True)
    owner_organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decision_note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = OrgScopedManager()
    scope_org_fields = ("owner_organization",)
    scope_enterprise_fields = ("enterprise",)
    scope_self_fields = ("user",)
    audit_masks = {"contact_phone": mask_mobile}

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return str(self.enterprise)

    @property
    def audit_organization(self):
        return self.owner_organization

    @property
    def is_approved(self) -> bool:
        return self.status == EmployerStatus.APPROVED


class Campaign(models.Model):
    """An employment campaign (会聘, 百位劳模送岗位, graduates, 关停并转 re-employment) that postings are tagged to."""

    name = models.CharField(_("name"), max_length=100)
    theme = models.CharField(_("theme"), max_length=15, choices=FairTheme.choices)
    owner_organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    created_at = models.DateTimeField(default=timezone.now)

    objects = OrgScopedManager()
    scope_org_fields = ("owner_organization",)

    class Meta:
        ordering = ["-starts_on", "-id"]

    def __str__(self):
        return self.name

    @property
    def audit_organization(self):
        return self.owner_organization


class JobPosting(models.Model):
    """A job an approved employer offers; the union reviews it before it goes live."""

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="postings")
    owner_organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("job title"), max_length=80)
    description = models.TextField(_("description and requirements"), max_length=5000)
    occupation_code = models.CharField(_("occupation (national classification code)"), max_length=16, blank=True)
    industry = models.ForeignKey("orgs.Industry", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("industry"))
    region = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("district"))
    salary_min = models.DecimalField(_("monthly salary from (¥)"), **MONEY, null=True, blank=True)
    salary_max = models.DecimalField(_("monthly salary to (¥)"), **MONEY, null=True, blank=True)
    salary_months = models.PositiveSmallIntegerField(_("months paid a year"), default=12)
    salary_negotiable = models.BooleanField(_("salary negotiable"), default=False)
    education = models.CharField(_("education"), max_length=24, choices=Education.choices, default=Education.ANY)
    experience_years = models.PositiveSmallIntegerField(_("years of experience"), default=0)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    headcount = models.PositiveIntegerField(_("head count"), default=1)
    benefits = models.CharField(_("benefits"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=40)
    contact_phone = models.CharField(_("contact phone"), max_length=20)
    closes_on = models.DateField(_("closing date"))
    status = models.CharField(_("status"), max_length=10, choices=PostingStatus.choices,
                              default=PostingStatus.PENDING, db_index=True)
    findings = models.JSONField(default=list, blank=True)
    review_note = models.CharField(_("review note"), max_length=500, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    campaigns = models.ManyToManyField(Campaign, blank=True, related_name="postings", verbose_name=_("campaigns"))
    external_key = models.CharField(max_length=64, blank=True, db_index=True,
                                    help_text="Import de-duplication key (employer, title, district).")
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = OrgScopedManager()
    scope_org_fields = ("owner_organization",)
    # An industry union or park federation covering the employer's enterprise reaches its postings too.
    scope_enterprise_fields = ("employer__enterprise",)
    scope_self_fields = ("employer__user",)
    audit_masks = {"contact_phone": mask_mobile}

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "published_at"]), models.Index(fields=["owner_organization",
                                                                                      "created_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(salary_min__isnull=True) | Q(salary_max__isnull=True)
                                   | Q(salary_min__lte=models.F("salary_max")), name="posting_salary_min_lte_max"),
            models.CheckConstraint(condition=Q(headcount__gte=1), name="posting_headcount_gte_1"),
            # One open posting per import key, so two imports of one file at once cannot both create it.
            models.UniqueConstraint(fields=["external_key"], condition=~Q(external_key="") & ~Q(
                status=PostingStatus.CLOSED), name="one_open_posting_per_import_key"),
        ]

    def __str__(self):
        return self.title

    @property
    def audit_organization(self):
        return self.owner_organization

    @property
    def salary_text(self) -> str:
        from gonghui.employment.engine.salary import SalaryRange, format_salary

        low = int(self.salary_min) if self.salary_min is not None else None
        high = int(self.salary_max) if self.salary_max is not None else None
        return format_salary(SalaryRange(low, high, self.salary_months, low is None and high is None))

    @property
    def is_live(self) -> bool:
        return self.status == PostingStatus.PUBLISHED and self.closes_on >= timezone.localdate()


class SeekerProfile(models.Model):
    """A job seeker's profile (member or not); the seeker decides who sees the contact details."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="seeker")
    person = models.ForeignKey("members.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    owner_organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=60)
    mobile = models.CharField(_("mobile"), max_length=11)
    summary = models.TextField(_("about me: work done, what I look for"), max_length=2000, blank=True)
    desired_occupations = models.JSONField(_("desired occupations"), default=list, blank=True)
    desired_regions = models.JSONField(_("desired districts"), default=list, blank=True)
    desired_salary = models.DecimalField(_("lowest monthly salary I accept (¥)"), **MONEY, null=True, blank=True)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    education = models.CharField(_("education"), max_length=24, choices=Education.choices, default=Education.ANY)
    experience_years = models.PositiveSmallIntegerField(_("years of experience"), default=0)
    certificates = models.JSONField(_("skill-level certificates"), default=list, blank=True)
    priority_groups = models.JSONField(_("priority groups"), default=list, blank=True)
    contact_visibility = models.CharField(_("who may see my mobile"), max_length=10,
                                          choices=ContactVisibility.choices, default=ContactVisibility.APPLIED)
    is_active = models.BooleanField(_("looking for work"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = OrgScopedManager()
    scope_org_fields = ("owner_organization",)
    scope_self_fields = ("user",)
    audit_masks = {"mobile": mask_mobile}

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self):
        return self.name

    @property
    def audit_organization(self):
        return self.owner_organization


class Application(models.Model):
    """A seeker's application to a posting, moved by the employer from viewed to hired or rejected."""

    posting = models.ForeignKey(JobPosting, on_delete=models.PROTECT, related_name="applications")
    seeker = models.ForeignKey(SeekerProfile, on_delete=models.PROTECT, related_name="applications")
    owner_organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.SUBMITTED, db_index=True)
    note = models.CharField(_("note to the employer"), max_length=500, blank=True)
    idempotency_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = OrgScopedManager()
    scope_org_fields = ("owner_organization",)
    scope_enterprise_fields = ("posting__employer__enterprise",)
    scope_self_fields = ("seeker__user",)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["posting", "seeker"], name="one_application_per_posting")]

    def __str__(self):
        return f"{self.seeker} → {self.posting}"

    @property
    def audit_organization(self):
        return self.owner_organization


class ApplicationEvent(models.Model):
    """One step of an application, shown to the seeker as progress."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=10, choices=ApplicationStatus.choices)
    note = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]


class Placement(models.Model):
    """An outcome: a seeker hired through the platform, kept for the statistics and the HR bureau."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="placement")
    owner_organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, related_name="+")
    industry = models.ForeignKey("orgs.Industry", on_delete=models.PROTECT, related_name="+")
    occupation_code = models.CharField(max_length=16, blank=True)
    priority_groups = models.JSONField(default=list, blank=True)
    hired_on = models.DateField(default=timezone.localdate, db_index=True)

    objects = OrgScopedManager()
    scope_org_fields = ("owner_organization",)

    @property
    def audit_organization(self):
        return self.owner_organization


class Recommendation(models.Model):
    """A posting recommended to a seeker by the daily run, with the reasons as engine codes."""

    seeker = models.ForeignKey(SeekerProfile, on_delete=models.CASCADE, related_name="recommendations")
    posting = models.ForeignKey(JobPosting, on_delete=models.CASCADE, related_name="+")
    run_on = models.DateField(db_index=True)
    score = models.FloatField()
    reasons = models.JSONField(default=list)

    class Meta:
        ordering = ["-run_on", "-score"]
        constraints = [models.UniqueConstraint(fields=["seeker", "posting", "run_on"], name="one_recommendation")]


class IndexVersion(models.Model):
    """A counter bumped by every change that the in-process matching indexes depend on."""

    name = models.CharField(max_length=30, primary_key=True)
    version = models.PositiveBigIntegerField(default=0)


class JobFair(models.Model):
    """A job fair: on site, online or live-streamed, themed, with booths, registration quotas and check-in."""

    name = models.CharField(_("name"), max_length=100)
    theme = models.CharField(_("theme"), max_length=15, choices=FairTheme.choices)
    mode = models.CharField(_("format"), max_length=10, choices=FairMode.choices)
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, null=True, blank=True, related_name="fairs",
                                 verbose_name=_("campaign"))
    owner_organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    stream_url = models.URLField(_("live-stream link"), blank=True)
    quota = models.PositiveIntegerField(_("seats for seekers"))
    priority_quota = models.PositiveIntegerField(
        _("seats held for priority groups"), default=0,
        help_text=_("Graduate fairs hold these seats for graduates from hardship families."))
    registered = models.PositiveIntegerField(default=0)
    status = models.CharField(_("status"), max_length=10, choices=FairStatus.choices, default=FairStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now)

    objects = OrgScopedManager()
    scope_org_fields = ("owner_organization",)

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(registered__lte=models.F("quota")),
                                              name="fair_registered_lte_quota")]

    def __str__(self):
        return self.name

    @property
    def audit_organization(self):
        return self.owner_organization


class FairBooth(models.Model):
    """An employer's booth at a fair, with the postings it brings."""

    fair = models.ForeignKey(JobFair, on_delete=models.CASCADE, related_name="booths")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="booths")
    number = models.CharField(_("booth"), max_length=10, blank=True)
    postings = models.ManyToManyField(JobPosting, blank=True, related_name="booths")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["fair", "employer"], name="one_booth_per_employer")]


class FairRegistration(models.Model):
    """A seeker's seat at a fair; the signed ticket is checked in at the door."""

    fair = models.ForeignKey(JobFair, on_delete=models.PROTECT, related_name="registrations")
    seeker = models.ForeignKey(SeekerProfile, on_delete=models.PROTECT, related_name="fair_registrations")
    priority = models.BooleanField(default=False)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["fair", "seeker"], name="one_registration_per_fair")]
