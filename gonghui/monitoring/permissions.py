"""The labels of monitoring's permissions and role, declared in accounts/roles.py; repeated here so that this
app's catalogue carries their translations (the shared catalogue belongs to the kernel)."""

from django.utils.translation import gettext_lazy as _

LABELS = (
    _("See monitoring posts, hot topics, alerts, warnings and briefs"),
    _("Manage monitoring sources, schemes, alerts and commentator tasks"),
    _("Work early-warning (四早) cases"),
    _("Push posts into monitoring (partner systems)"),
    _("Carry out commentator tasks (网评员)"),
    _("Opinion monitoring"),
    _("Early warnings"),
    _("Monitoring briefs"),
    _("Commentator tasks"),
)
