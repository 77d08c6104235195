from django import forms
from django.contrib import admin

from gonghui.core.admin_site import ReadOnlyAdmin
from gonghui.hall.models import CalendarDay, Rating, Rectification, ServiceRequest, ServiceType
from gonghui.hall.workflows import workflow_choices


class ServiceTypeForm(forms.ModelForm):
    workflow = forms.ChoiceField(choices=workflow_choices)

    class Meta:
        model = ServiceType
        fields = ["code", "name", "description", "materials", "applicant_kind", "handling_level", "deadline_days",
                  "remind_days_before", "rectify_days", "online", "offline", "workflow", "is_active", "sort_order"]


@admin.register(ServiceType)
class ServiceTypeAdmin(admin.ModelAdmin):
    form = ServiceTypeForm
    list_display = ["name", "code", "handling_level", "deadline_days", "online", "offline", "is_active"]
    list_filter = ["handling_level", "is_active"]
    search_fields = ["name", "code"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_working_day", "name"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"


@admin.register(ServiceRequest)
class ServiceRequestAdmin(ReadOnlyAdmin):
    list_display = ["reference", "service_type", "status", "handling_organization", "due_date", "channel"]
    list_filter = ["status", "channel", "service_type"]
    search_fields = ["reference"]
    exclude = ["applicant_mobile", "idempotency_key"]


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ["request", "score", "created_at", "pushed_at"]


@admin.register(Rectification)
class RectificationAdmin(ReadOnlyAdmin):
    list_display = ["rating", "status", "due_date", "organization"]
