from django.contrib import admin

from gonghui.core.admin_site import ReadOnlyAdmin
from gonghui.orgs.models import Coverage, Enterprise, Industry, Organization, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "parent"]
    search_fields = ["code", "name"]


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "section"]
    search_fields = ["code", "name"]


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "parent", "region", "is_active"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Enterprise)
class EnterpriseAdmin(ReadOnlyAdmin):
    list_display = ["name", "uscc", "region", "headcount", "union"]
    search_fields = ["name", "uscc"]
    list_select_related = ["region", "union"]


@admin.register(Coverage)
class CoverageAdmin(ReadOnlyAdmin):
    list_display = ["covering", "kind", "target_organization", "target_enterprise"]
