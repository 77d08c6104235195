from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmploymentConfig(AppConfig):
    name = "gonghui.employment"
    label = "employment"
    verbose_name = _("Employment (会聘)")

    def ready(self):
        from gonghui.employment import exchange, periodic  # noqa: F401  (registers jobs and the daily run)
