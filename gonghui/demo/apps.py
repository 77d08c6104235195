from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo personas and scale data (``manage.py seed``); it sits above every app because it uses them all."""

    name = "gonghui.demo"
    label = "demo"
    verbose_name = "Demo data"
