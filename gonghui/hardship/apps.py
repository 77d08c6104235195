from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HardshipConfig(AppConfig):
    name = "gonghui.hardship"
    label = "hardship"
    verbose_name = _("Hardship assistance")

    def ready(self):
        from gonghui.hardship import periodic, workflow  # noqa: F401  (registers the workflow and jobs)
