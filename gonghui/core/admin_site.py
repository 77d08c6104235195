from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class GonghuiAdminSite(admin.AdminSite):
    """Configuration and master data for city administrators; domain records are read-only here."""

    site_header = "Gonghui · configuration"
    site_title = "Gonghui admin"

    def has_permission(self, request):
        user = request.user
        return user.is_active and user.is_authenticated and user.has_gonghui_perm("admin.site")


class GonghuiAdminConfig(AdminConfig):
    default_site = "gonghui.core.admin_site.GonghuiAdminSite"


class ReadOnlyAdmin(admin.ModelAdmin):
    """Domain records: every change goes through a service, so the admin only shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
