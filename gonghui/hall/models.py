from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.masking import mask_mobile
from gonghui.core.scoping import OrgScopedManager
from gonghui.hall.choices import ApplicantKind, Channel, EventKind, HandlingLevel, RectificationStatus


class CalendarDay(models.Model):
    """A day that breaks the Monday–Friday rule: a public holiday on a weekday or a make-up working day
    on a weekend, as announced by the State Council."""

    date = models.DateField(_("date"), primary_key=True)
    is_working_day = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=40, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")

    def __str__(self):
        return f"{self.date} {self.name}"


class ServiceType(models.Model):
    """A service in the one-stop catalogue (join the union, hardship aid, legal aid, …)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    materials = models.JSONField(
        _("required materials"), default=list, blank=True, help_text=_("A list of the documents to bring or upload.")
    )
    applicant_kind = models.CharField(_("who may apply"), max_length=10, choices=ApplicantKind.choices,
                                      default=ApplicantKind.WORKER)
    handling_level = models.CharField(_("handling level"), max_length=10, choices=HandlingLevel.choices,
                                      default=HandlingLevel.GRASSROOTS)
    deadline_days = models.PositiveSmallIntegerField(
        _("deadline (working days)"), default=15, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    remind_days_before = models.PositiveSmallIntegerField(_("remind this many working days before"), default=2)
    rectify_days = models.PositiveSmallIntegerField(
        _("days to rectify a bad rating (working days)"), default=15,
        help_text=_("Local practice (好差评): 15 working days by default; set per local rules."),
    )
    online = models.BooleanField(_("can apply online"), default=True)
    offline = models.BooleanField(_("can apply at a counter"), default=True)
    workflow = models.CharField(_("workflow"), max_length=40, default="standard",
                                help_text=_("Declared in code by the app that provides the service."))
    is_active = models.BooleanField(_("published"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("service type")
        verbose_name_plural = _("service types")

    def __str__(self):
        return self.name


class ServiceRequest(models.Model):
    """One application to the service hall, whatever the service: the row every workflow moves."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    service_type = models.ForeignKey(ServiceType, on_delete=models.PROTECT, related_name="requests",
                                     verbose_name=_("service"))
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="service_requests", verbose_name=_("applicant account"))
    applicant_name = models.CharField(_("applicant"), max_length=60)
    applicant_mobile = models.CharField(_("applicant mobile"), max_length=11, blank=True)
    summary = models.TextField(_("what is asked"), max_length=2000)
    owner_organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT,
                                           related_name="owned_requests", editable=False)
    handling_organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT,
                                              related_name="handled_requests", verbose_name=_("handling union"))
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="assigned_requests", verbose_name=_("handled by"))
    status = models.CharField(_("status"), max_length=30, db_index=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now, db_index=True)
    due_date = models.DateField(_("due date"), null=True, blank=True, db_index=True)
    paused_days_left = models.SmallIntegerField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_on_time = models.BooleanField(null=True, editable=False)
    escalation_count = models.PositiveSmallIntegerField(default=0, editable=False)
    last_reminded_on = models.DateField(null=True, blank=True, editable=False)
    last_escalated_on = models.DateField(null=True, blank=True, editable=False)
    idempotency_key = models.CharField(max_length=64, editable=False)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="entered_requests")

    objects = OrgScopedManager()
    scope_org_fields = ("owner_organization", "handling_organization")
    scope_self_fields = ("applicant",)
    audit_masks = {"applicant_mobile": mask_mobile}

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        indexes = [
            models.Index(fields=["handling_organization", "-submitted_at"]),
            models.Index(fields=["owner_organization", "-submitted_at"]),
            models.Index(fields=["service_type", "-submitted_at"]),
            models.Index(fields=["applicant", "-submitted_at"]),
            models.Index(fields=["status", "due_date"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["idempotency_key"], name="request_idempotency_key_unique"),
        ]

    def __str__(self):
        return f"{self.reference} {self.service_type}"

    @property
    def audit_organization(self):
        return self.handling_organization

    @property
    def workflow(self):
        from gonghui.hall.workflows import get_workflow

        return get_workflow(self.service_type.workflow)

    @property
    def status_label(self) -> str:
        return self.workflow.state_label(self.status)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < timezone.localdate()


class RequestEvent(models.Model):
    """One line of a request's timeline: who did what, when, with what note."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    actor_label = models.CharField(max_length=150, blank=True)
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    action = models.CharField(max_length=40, blank=True)
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30, blank=True)
    note = models.TextField(blank=True, max_length=2000)
    public = models.BooleanField(default=True, help_text="Shown to the applicant.")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.request.reference} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    @property
    def to_status_label(self) -> str:
        return self.request.workflow.state_label(self.to_status) if self.to_status else ""


class RequestAttachment(models.Model):
    """A document attached to a request (ID scan, certificate, photo), kept in private storage."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="attachments")
    file = models.ForeignKey("core.PrivateFile", on_delete=models.PROTECT, related_name="+")
    label = models.CharField(_("what it is"), max_length=80, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.label or self.file.original_name


class Rating(models.Model):
    """The applicant's 好差评 of a finished request: 1–5 with a comment."""

    request = models.OneToOneField(ServiceRequest, on_delete=models.PROTECT, related_name="rating")
    score = models.PositiveSmallIntegerField(_("score"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), blank=True, max_length=1000)
    real_name = models.BooleanField(_("rated under my name"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    pushed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="rating_1_to_5")]

    def __str__(self):
        return f"{self.request.reference}: {self.score}"

    @property
    def is_bad(self) -> bool:
        return self.score <= 2


class Rectification(models.Model):
    """The follow-up every bad rating gets: verified, fixed and answered to the rater within a deadline."""

    rating = models.OneToOneField(Rating, on_delete=models.PROTECT, related_name="rectification")
    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="rectifications")
    status = models.CharField(_("status"), max_length=10, choices=RectificationStatus.choices,
                              default=RectificationStatus.OPEN)
    due_date = models.DateField(_("due date"))
    verification = models.TextField(_("what was found"), blank=True, max_length=2000)
    fix = models.TextField(_("what was changed"), blank=True, max_length=2000)
    answer = models.TextField(_("answer to the rater"), blank=True, max_length=2000)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = OrgScopedManager()
    scope_org_fields = ("organization",)

    def __str__(self):
        return f"{self.rating.request.reference} {self.get_status_display()}"

    @property
    def audit_organization(self):
        return self.organization


class ReferenceCounter(models.Model):
    """The last sequence number handed out on one day, so references read GH20261125-00042."""

    day = models.DateField(primary_key=True)
    last = models.PositiveIntegerField(default=0)
