from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WishesConfig(AppConfig):
    name = "gonghui.wishes"
    label = "wishes"
    verbose_name = _("Wishes (点亮微心愿)")
