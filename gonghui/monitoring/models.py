"""Monitoring data: where posts come from, the posts themselves with their classification, schemes, alerts,
warning cases (a service-hall request with a detail row), briefs and 网评员 tasks.

Scoping (decided here, documented in docs/architecture.md): a post belongs to the union that covers the
enterprise it is about (the enterprise's grassroots union, else the organisation that registered the
enterprise); a post about no known enterprise belongs to the district union of its region, else to the
organisation that owns its source. Coverage links reach posts through their enterprise.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.scoping import OrgScopedManager
from gonghui.monitoring.choices import (
    AlertScope,
    AlertStatus,
    BriefKind,
    Category,
    FeedStatus,
    Severity,
    SourceKind,
    TaskKind,
    TaskStatus,
    WarningOutcome,
)


class MonitoringPolicy(models.Model):
    """The city's monitoring configuration: which severity opens a warning case, stage deadlines, text rules."""

    warning_threshold = models.CharField(
        _("open a warning case from"), max_length=8, choices=Severity.choices, default=Severity.RED,
        help_text=_("An alert at or above this level opens a 四早 warning case for the covering union."),
    )
    text_alert_threshold = models.CharField(
        _("one text alone raises an alert from"), max_length=8, choices=Severity.choices, default=Severity.ORANGE,
    )
    stage_days = models.PositiveSmallIntegerField(
        _("working days per stage"), default=2, validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("Each 四早 stage must be finished within this many working days, or the case is escalated "
                    "to the union above (local practice; configuration)."),
    )
    severity_rules = models.JSONField(
        _("per-text severity rules"), default=dict, blank=True,
        help_text=_("The text engine's SeverityRules as JSON; empty means the engine's defaults."),
    )

    class Meta:
        verbose_name = _("monitoring policy")
        verbose_name_plural = _("monitoring policy")

    def __str__(self):
        return str(_("Monitoring policy"))

    @classmethod
    def current(cls) -> "MonitoringPolicy":
        return cls.objects.order_by("pk").first() or cls()


class Source(models.Model):
    """Where posts come from: a partner system pushing through the API, a feed, uploads or an internal channel."""

    code = models.SlugField(_("code"), max_length=40, unique=True,
                            help_text=_("Partner systems name the source by this code when they push."))
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=10, choices=SourceKind.choices)
    owner_organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT,
                                           related_name="monitoring_sources", verbose_name=_("owner organisation"))
    url = models.URLField(_("feed address"), max_length=500, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    interval_minutes = models.PositiveIntegerField(_("pull every (minutes)"), default=30,
                                                   validators=[MinValueValidator(5), MaxValueValidator(24 * 60)])
    status = models.CharField(_("status"), max_length=10, choices=FeedStatus.choices, default=FeedStatus.NEW)
    last_pulled_at = models.DateTimeField(_("last pulled"), null=True, blank=True)
    next_pull_at = models.DateTimeField(_("next pull"), null=True, blank=True, db_index=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    failures = models.PositiveSmallIntegerField(_("failures in a row"), default=0)
    cursor = models.CharField(max_length=40, blank=True, editable=False,
                              help_text="Internal channels: the last request id taken in.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = OrgScopedManager()
    scope_org_fields = ("owner_organization",)

    class Meta:
        ordering = ["name"]
        verbose_name = _("monitoring source")
        verbose_name_plural = _("monitoring sources")

    def __str__(self):
        return self.name

    @property
    def audit_organization(self):
        return self.owner_organization


class Post(models.Model):
    """One normalised item in monitoring: a post, news article, complaint or hotline note, classified."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="posts")
    external_id = models.CharField(max_length=200)
    url = models.URLField(max_length=500, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    text = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published"), db_index=True)
    ingested_at = models.DateTimeField(default=timezone.now)
    region = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    enterprise = models.ForeignKey("orgs.Enterprise", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="monitoring_posts")
    owner_organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    categories = models.JSONField(default=list)
    sentiment = models.FloatField(default=0.0)
    severity = models.CharField(max_length=8, choices=Severity.choices, default=Severity.NONE)
    terms = models.JSONField(default=list)
    fingerprint = models.BinaryField(null=True, blank=True, editable=False)  # MinHash signature (near duplicates)
    duplicate_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="duplicates")
    # Set on insert, cleared once alerts were evaluated for it; a sweep retries posts whose evaluation failed.
    alerts_pending = models.BooleanField(default=False, editable=False)
    # The saved schemes (监测方案) the post matched when it was ingested (or when the scheme was saved).
    schemes = models.ManyToManyField("Scheme", related_name="posts", blank=True, editable=False)

    objects = OrgScopedManager()
    scope_org_fields = ("owner_organization",)
    scope_enterprise_fields = ("enterprise",)

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["source", "external_id"], name="post_source_external_id")]
        indexes = [models.Index(fields=["owner_organization", "-published_at"]),
                   models.Index(fields=["enterprise", "-published_at"]),
                   models.Index(fields=["-ingested_at"])]

    def __str__(self):
        return self.title or self.text[:40]

    @property
    def audit_organization(self):
        return self.owner_organization

    @property
    def is_duplicate(self) -> bool:
        return self.duplicate_of_id is not None


class PostTag(models.Model):
    """One (post, category) pair, denormalised so hot topics, bursts and briefs are plain GROUP BYs.
    Near duplicates get no tags: they are grouped under their first post and not counted twice."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="tags")
    category = models.CharField(max_length=20, choices=Category.choices)
    enterprise = models.ForeignKey("orgs.Enterprise", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    region = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    owner_organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField()

    objects = OrgScopedManager()
    scope_org_fields = ("owner_organization",)
    scope_enterprise_fields = ("enterprise",)

    class Meta:
        indexes = [models.Index(fields=["enterprise", "category", "published_at"]),
                   models.Index(fields=["region", "category", "published_at"]),
                   models.Index(fields=["published_at"])]


class Scheme(models.Model):
    """A monitoring scheme (监测方案): term groups combined with AND / OR / NOT and a proximity window."""

    name = models.CharField(_("name"), max_length=80)
    owner_organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    region_terms = models.JSONField(_("region words"), default=list, blank=True)
    subject_terms = models.JSONField(_("subject words"), default=list, blank=True)
    event_terms = models.JSONField(_("event words"), default=list, blank=True)
    exclude_terms = models.JSONField(_("exclude words"), default=list, blank=True)
    any_of = models.BooleanField(_("any group is enough (OR)"), default=False)
    window = models.PositiveSmallIntegerField(_("proximity window (characters)"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = OrgScopedManager()
    scope_org_fields = ("owner_organization",)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.name

    @property
    def audit_organization(self):
        return self.owner_organization


class AlertRule(models.Model):
    """A volume rule over a cluster: e.g. collective_action about one enterprise, ≥ 5 posts in 24 h → red."""

    name = models.CharField(_("name"), max_length=80)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, blank=True,
                                help_text=_("Empty: the rule applies to each risk category on its own."))
    scope = models.CharField(_("cluster by"), max_length=10, choices=AlertScope.choices, default=AlertScope.ENTERPRISE)
    min_posts = models.PositiveIntegerField(_("at least this many posts"), default=5, validators=[MinValueValidator(1)])
    window_hours = models.PositiveIntegerField(_("within (hours)"), default=24,
                                               validators=[MinValueValidator(1), MaxValueValidator(24 * 14)])
    severity = models.CharField(_("alert level"), max_length=8, choices=Severity.choices, default=Severity.RED)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")

    def __str__(self):
        return self.name


class Alert(models.Model):
    """A risk signal about one enterprise or district and one category, raised by text severity or volume."""

    key = models.CharField(max_length=80, db_index=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    enterprise = models.ForeignKey("orgs.Enterprise", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="monitoring_alerts")
    region = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    owner_organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    severity = models.CharField(_("level"), max_length=8, choices=Severity.choices)
    reason = models.CharField(_("why"), max_length=300)
    rule = models.ForeignKey(AlertRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="alerts")
    post_count = models.PositiveIntegerField(default=0)
    posts = models.ManyToManyField(Post, related_name="alerts", blank=True)
    status = models.CharField(_("status"), max_length=12, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    raised_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)
    # One open warning case per enterprise (or district): later alerts about it join the open case.
    warning = models.ForeignKey("hall.ServiceRequest", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="monitoring_alerts")

    objects = OrgScopedManager()
    scope_org_fields = ("owner_organization",)
    scope_enterprise_fields = ("enterprise",)

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["key"], condition=~models.Q(status="closed"),
                                               name="alert_one_open_per_key")]

    def __str__(self):
        return f"{self.get_severity_display()} {self.get_category_display()} {self.enterprise or self.region or ''}"

    @property
    def audit_organization(self):
        return self.owner_organization


class WarningCase(models.Model):
    """The detail of a 四早 warning case: the hall request it is, what raised it and how it ended."""

    request = models.OneToOneField("hall.ServiceRequest", on_delete=models.PROTECT, related_name="warning_case")
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    severity = models.CharField(_("level"), max_length=8, choices=Severity.choices)
    enterprise = models.ForeignKey("orgs.Enterprise", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    region = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=12, choices=WarningOutcome.choices, blank=True)

    objects = OrgScopedManager()
    scope_org_fields = ("request__owner_organization", "request__handling_organization")

    def __str__(self):
        return self.request.reference


class WarningAction(models.Model):
    """Something the union did on a warning case (met the employer, talked to workers), logged with time."""

    case = models.ForeignKey(WarningCase, on_delete=models.CASCADE, related_name="actions")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(max_length=20)
    text = models.TextField(_("what was done"), max_length=2000)

    class Meta:
        ordering = ["at", "id"]


class Brief(models.Model):
    """A daily or weekly monitoring brief (舆情日报/周报) for one union's area, kept in the archive."""

    kind = models.CharField(_("kind"), max_length=8, choices=BriefKind.choices)
    owner_organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    period_start = models.DateTimeField(_("from"))
    period_end = models.DateTimeField(_("to"))
    data = models.JSONField(default=dict)
    generated_at = models.DateTimeField(default=timezone.now)
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")

    objects = OrgScopedManager()
    scope_org_fields = ("owner_organization",)

    class Meta:
        ordering = ["-period_end", "-id"]
        constraints = [models.UniqueConstraint(fields=["kind", "owner_organization", "period_start"],
                                               name="brief_one_per_period")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.owner_organization} {timezone.localtime(self.period_start):%Y-%m-%d}"

    @property
    def audit_organization(self):
        return self.owner_organization


class CommentTeam(models.Model):
    """A team of online commentators (网评员队伍) run by a union."""

    name = models.CharField(_("name"), max_length=80)
    owner_organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="comment_teams", blank=True)

    objects = OrgScopedManager()
    scope_org_fields = ("owner_organization",)

    class Meta:
        ordering = ["name"]
        verbose_name = _("commentator team")
        verbose_name_plural = _("commentator teams")

    def __str__(self):
        return self.name


class CommentTask(models.Model):
    """A 网评员 task about one post: clarify, respond or report it, by a due time, with a completion record."""

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="comment_tasks")
    kind = models.CharField(_("task"), max_length=10, choices=TaskKind.choices)
    team = models.ForeignKey(CommentTeam, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("team"))
    owner_organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    instructions = models.TextField(_("instructions"), max_length=1000, blank=True)
    due_at = models.DateTimeField(_("due"))
    status = models.CharField(_("status"), max_length=6, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)
    completion_note = models.TextField(_("what was done"), max_length=2000, blank=True)
    completion_url = models.URLField(_("link to the response"), max_length=500, blank=True)

    objects = OrgScopedManager()
    scope_org_fields = ("owner_organization",)

    class Meta:
        ordering = ["status", "due_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.post}"

    @property
    def audit_organization(self):
        return self.owner_organization

    @property
    def is_overdue(self) -> bool:
        return self.status == TaskStatus.OPEN and self.due_at < timezone.now()
