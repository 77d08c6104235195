from django.contrib import admin

from gonghui.employment.models import Campaign, Employer, JobFair, JobPosting


class ReadOnly(admin.ModelAdmin):
    """Domain records change through services only (audited); the admin shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Employer)
class EmployerAdmin(ReadOnly):
    list_display = ("enterprise", "contact_name", "status", "created_at")
    list_filter = ("status",)


@admin.register(JobPosting)
class JobPostingAdmin(ReadOnly):
    list_display = ("title", "employer", "region", "status", "closes_on")
    list_filter = ("status",)
    search_fields = ("title",)


@admin.register(Campaign)
class CampaignAdmin(ReadOnly):
    list_display = ("name", "theme", "starts_on", "ends_on")


@admin.register(JobFair)
class JobFairAdmin(ReadOnly):
    list_display = ("name", "theme", "mode", "starts_at", "quota", "registered")
