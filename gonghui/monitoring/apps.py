from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "gonghui.monitoring"
    label = "monitoring"
    verbose_name = _("Labour-relations risk and opinion monitoring")

    def ready(self):
        from gonghui.hall.workflows import register_detail_panel
        from gonghui.monitoring import periodic, workflow  # noqa: F401  (registers the workflow and jobs)
        from gonghui.monitoring.views.work import warning_panel

        register_detail_panel("monitoring-warning", "monitoring/partials/warning_panel.html", warning_panel)
