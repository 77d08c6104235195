from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "gonghui.orgs"
    label = "orgs"
    verbose_name = _("Organisations")

    def ready(self):
        from gonghui.core import search
        from gonghui.orgs import exports  # noqa: F401  (registers export jobs)
        from gonghui.orgs.models import Enterprise, Organization

        search.register_source(
            "organization", lambda: ((o.pk, (o.name, o.short_name)) for o in Organization.objects.iterator())
        )
        search.register_source(
            "enterprise", lambda: ((e.pk, (e.name, e.uscc)) for e in Enterprise.objects.iterator(chunk_size=5000))
        )
