from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HardshipConfig(AppConfig):
    name = "gonghui.hardship"
    label = "hardship"
    verbose_name = _("Hardship assistance")

    def ready(self):
        from gonghui.hall.workflows import register_detail_panel
        from gonghui.hardship import periodic, workflow  # noqa: F401  (registers the workflow and jobs)
        from gonghui.hardship.views.work import application_panel

        register_detail_panel("hardship", "hardship/partials/application_panel.html", application_panel)
