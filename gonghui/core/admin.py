from django.contrib import admin

from gonghui.core.admin_site import ReadOnlyAdmin
from gonghui.core.models import AuditEvent, Consent, Job, PrivateFile


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_label", "action", "object_repr", "ip", "seal_seq"]
    list_filter = ["action"]
    search_fields = ["actor_label", "object_repr", "action"]


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ["subject_type", "subject_id", "purpose", "version", "granted_at", "withdrawn_at"]


@admin.register(PrivateFile)
class PrivateFileAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "purpose", "organization", "size", "created_at"]


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ["kind", "requested_by", "status", "progress", "total", "created_at"]
