from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gonghui.core"
    label = "core"
    verbose_name = "Gonghui core"

    def ready(self):
        from gonghui.core import periodic  # noqa: F401  (registers the kernel's periodic jobs)
