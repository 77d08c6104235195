"""The 四早 early-warning case as a service-hall workflow: 早报告 → 早参与 → 早处置 → 早化解 → closed with an
outcome. Each step is a hall transition, so it is timestamped on the hall timeline with its note; each stage
gets its own deadline on the request, so the hall's escalation hands an overrunning stage to the union above."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.hall.workflows import Transition, Workflow, register_workflow

SERVICE_CODE = "monitoring-warning"
REPORTED, ENGAGED, DISPOSING, RESOLVING, CLOSED = "reported", "engaged", "disposing", "resolving", "closed"
PERM = "monitoring.warn"


def _next_stage_deadline(*, request, actor, note):
    """A new stage starts: it gets the policy's working days from today, and the escalation clock restarts."""
    from gonghui.hall import calendar
    from gonghui.monitoring.models import MonitoringPolicy

    if request.status == CLOSED:
        return
    days = MonitoringPolicy.current().stage_days
    request.due_date = calendar.add_working_days(timezone.localdate(), days)
    request.last_escalated_on = None
    request.save(update_fields=["due_date", "last_escalated_on"])


def _needs_outcome(request):
    case = getattr(request, "warning_case", None)
    if case is None or not case.outcome:
        return _("Record the outcome first.")
    return None


def _close_alert(*, request, actor, note):
    from gonghui.monitoring.warnings import close_alert_of_case

    close_alert_of_case(request=request, actor=actor)


WARNING = register_workflow(
    Workflow(
        code="monitoring-warning",
        label=gettext_lazy("Early warning (四早): report, engage, dispose, resolve"),
        initial=REPORTED,
        states={
            REPORTED: gettext_lazy("Early report"),
            ENGAGED: gettext_lazy("Early engagement"),
            DISPOSING: gettext_lazy("Early handling"),
            RESOLVING: gettext_lazy("Early resolution"),
            CLOSED: gettext_lazy("Closed"),
        },
        final=frozenset({CLOSED}),
        transitions=(
            Transition("engage", gettext_lazy("Engage: the union is on it"), (REPORTED,), ENGAGED, perm=PERM,
                       needs_note=True, effect=_next_stage_deadline, style="primary"),
            Transition("dispose", gettext_lazy("Handle: measures taken"), (ENGAGED,), DISPOSING, perm=PERM,
                       needs_note=True, effect=_next_stage_deadline, style="primary"),
            Transition("resolve", gettext_lazy("Resolve: the dispute is being settled"), (DISPOSING,), RESOLVING,
                       perm=PERM, needs_note=True, effect=_next_stage_deadline, style="primary"),
            Transition("close", gettext_lazy("Close the case"), (RESOLVING,), CLOSED, perm=PERM, needs_note=True,
                       guard=_needs_outcome, effect=_close_alert, style="primary"),
            Transition("close_false_alarm", gettext_lazy("Close: no dispute found"), (REPORTED, ENGAGED), CLOSED,
                       perm=PERM, needs_note=True, guard=_needs_outcome, effect=_close_alert, style="danger"),
        ),
    )
)
