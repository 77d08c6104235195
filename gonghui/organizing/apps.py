from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizingConfig(AppConfig):
    name = "gonghui.organizing"
    label = "organizing"
    verbose_name = _("Union organising (joining, transfers, establishment)")
