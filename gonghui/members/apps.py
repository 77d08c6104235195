from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "gonghui.members"
    label = "members"
    verbose_name = _("Members")

    def ready(self):
        from gonghui.members import roster  # noqa: F401  (registers the roster import and export jobs)
        from gonghui.members.services import on_enterprise_closed
        from gonghui.orgs.signals import enterprise_closed

        enterprise_closed.connect(on_enterprise_closed, dispatch_uid="members.hand_over_on_closure")
