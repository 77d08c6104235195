from django.contrib import admin

from gonghui.accounts import services
from gonghui.accounts.models import ApiToken, RoleAssignment, User
from gonghui.core.admin_site import ReadOnlyAdmin


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ["username", "display_name", "is_active", "last_login"]
    search_fields = ["username", "display_name"]
    exclude = ["password", "totp_secret"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    """Role assignments are configuration, but each one is granted through the audited service."""

    list_display = ["user", "role", "organization", "granted_by", "created_at"]
    list_filter = ["role"]
    autocomplete_fields = ["user"]
    fields = ["user", "role", "organization"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        assignment = services.assign_role(
            actor=request.user, user=obj.user, role=obj.role, organization=obj.organization
        )
        obj.pk = assignment.pk


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["name", "prefix", "organization", "expires_at", "revoked_at"]
    exclude = ["key_hash"]
