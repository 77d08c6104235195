"""Configuration (policy, alert rules, commentator teams) is edited here; domain records are read-only."""

from django.contrib import admin

from gonghui.monitoring.models import AlertRule, CommentTeam, MonitoringPolicy


@admin.register(MonitoringPolicy)
class MonitoringPolicyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "warning_threshold", "text_alert_threshold", "stage_days"]

    def has_add_permission(self, request):
        return not MonitoringPolicy.objects.exists()


@admin.register(AlertRule)
class AlertRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "scope", "min_posts", "window_hours", "severity", "is_active"]


@admin.register(CommentTeam)
class CommentTeamAdmin(admin.ModelAdmin):
    list_display = ["name", "owner_organization"]
    filter_horizontal = ["members"]
