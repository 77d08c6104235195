from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizingConfig(AppConfig):
    name = "gonghui.organizing"
    label = "organizing"
    verbose_name = _("Union organising (joining, transfers, establishment)")

    def ready(self):
        from gonghui.hall.workflows import register_detail_panel
        from gonghui.organizing import establishment, workflow  # noqa: F401  (the join workflow, its router, jobs)
        from gonghui.organizing.views.work import application_panel

        register_detail_panel("join", "organizing/partials/application_panel.html", application_panel)
