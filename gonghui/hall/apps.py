from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HallConfig(AppConfig):
    name = "gonghui.hall"
    label = "hall"
    verbose_name = _("Service hall")

    def ready(self):
        from gonghui.hall import periodic, workflows  # noqa: F401  (registers the generic workflow and jobs)
