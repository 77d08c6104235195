"""Kernel tables with no domain knowledge: audit log, search index, private files, consents,
notifications, background jobs and the scheduler's tick claims."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.scoping import OrgScopedManager


class AppendOnlyError(Exception):
    pass


class AuditEvent(models.Model):
    """One entry of the tamper-evident audit log (who did what to which record, when, from where)."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events"
    )
    actor_label = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events"
    )
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    row_hmac = models.CharField(max_length=64)
    seal_seq = models.BigIntegerField(null=True, blank=True, unique=True)
    chain_hash = models.CharField(max_length=64, blank=True)

    objects = OrgScopedManager()
    scope_org_fields = ("organization",)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events are append-only.")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"


class AuditCheckpoint(models.Model):
    """A signed statement: the first ``count`` sealed audit rows end in chain hash ``last_hash``."""

    created_at = models.DateTimeField(default=timezone.now)
    count = models.BigIntegerField()
    last_hash = models.CharField(max_length=64)
    signature = models.CharField(max_length=64)

    class Meta:
        ordering = ["-count"]


class Lock(models.Model):
    """A named row that writers lock with SELECT … FOR UPDATE to take turns (scheduler, sealing)."""

    name = models.CharField(max_length=80, primary_key=True)


class SchedulerTick(models.Model):
    """A periodic job's claim on one time slot: the unique key lets exactly one scheduler run it."""

    job = models.CharField(max_length=80)
    slot = models.DateTimeField()
    claimed_by = models.CharField(max_length=120)
    claimed_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="scheduler_tick_once")]


class SearchDocument(models.Model):
    """The searchable text of one record, segmented for Chinese full-text search (core.search)."""

    kind = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    tokens = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_doc_unique")]


class PrivateFile(models.Model):
    """An uploaded file in private storage (ID scan, medical paper, photo); served only through a
    scope-checked, audited view."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="private_files"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="uploaded_files"
    )
    purpose = models.CharField(_("purpose"), max_length=60)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    objects = OrgScopedManager()
    scope_org_fields = ("organization",)
    scope_self_fields = ("uploaded_by",)

    def __str__(self):
        return self.original_name


class ConsentPurpose(models.TextChoices):
    SENSITIVE_PROCESSING = "sensitive_processing", _("Processing of sensitive personal information")
    SHARE_COURT = "share_court", _("Sharing with the people's court")
    SHARE_HR_BUREAU = "share_hr_bureau", _("Sharing with the HR and social security bureau")


class Consent(models.Model):
    """A person's separate consent to one purpose (PIPL arts. 23, 29), versioned, withdrawable."""

    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    subject_id = models.BigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    purpose = models.CharField(_("purpose"), max_length=40, choices=ConsentPurpose.choices)
    version = models.CharField(_("text version"), max_length=20)
    granted_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["subject_type", "subject_id", "purpose"])]


class Notification(models.Model):
    """An in-app message to one user."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    """A long-running piece of work a user asked for (export, import, report), with progress."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=60)
    params = models.JSONField(default=dict)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jobs")
    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, null=True, related_name="+")
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    result_file = models.ForeignKey(PrivateFile, on_delete=models.PROTECT, null=True, related_name="+")
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = OrgScopedManager()
    scope_org_fields = ()
    scope_self_fields = ("requested_by",)

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return int(self.progress * 100 / self.total) if self.total else 0


class RateBucket(models.Model):
    """Hits of one key (an action and a client) in a fixed time window, shared by every web process."""

    key = models.CharField(max_length=160)
    window = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="rate_bucket_unique")]
