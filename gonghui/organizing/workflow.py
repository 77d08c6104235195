"""Joining the union is a service of the hall (入会申请): the union the application was routed to accepts or
rejects it (with a reason the applicant reads) within the service's deadline; overdue applications
escalate to the union above through the hall's escalation."""

from django.utils.translation import gettext_lazy

from gonghui.hall.routing import register_router
from gonghui.hall.workflows import APPLICANT, Transition, Workflow, register_apply_view, register_workflow

SERVICE_CODE = "union-join"
SUBMITTED, AWAITING, ACCEPTED, REJECTED, WITHDRAWN = "submitted", "awaiting_materials", "accepted", "rejected", "withdrawn"


def _admit(*, request, actor, note):
    from gonghui.organizing.services import admit_applicant

    admit_applicant(actor=actor, request=request)


def _close(*, request, actor, note):
    from gonghui.organizing.services import close_application

    close_application(request=request)


JOIN = register_workflow(
    Workflow(
        code="join",
        label=gettext_lazy("Joining the union: the routed union accepts or rejects"),
        initial=SUBMITTED,
        states={
            SUBMITTED: gettext_lazy("Submitted, waiting for the union"),
            AWAITING: gettext_lazy("Waiting for materials"),
            ACCEPTED: gettext_lazy("Accepted: welcome to the union"),
            REJECTED: gettext_lazy("Not accepted"),
            WITHDRAWN: gettext_lazy("Withdrawn"),
        },
        final=frozenset({ACCEPTED, REJECTED, WITHDRAWN}),
        transitions=(
            Transition("accept", gettext_lazy("Accept as a member"), (SUBMITTED,), ACCEPTED, perm="members.manage",
                       effect=_admit, style="primary"),
            Transition("request_materials", gettext_lazy("Ask for more information"), (SUBMITTED,), AWAITING,
                       perm="members.manage", needs_note=True, pauses_clock=True),
            Transition("supplement", gettext_lazy("I have answered"), (AWAITING,), SUBMITTED, by=APPLICANT,
                       resumes_clock=True, style="primary"),
            Transition("reject", gettext_lazy("Reject"), (SUBMITTED, AWAITING), REJECTED, perm="members.manage",
                       needs_note=True, effect=_close, style="danger"),
            Transition("withdraw", gettext_lazy("Withdraw my application"), (SUBMITTED, AWAITING), WITHDRAWN,
                       by=APPLICANT, effect=_close, style="danger"),
        ),
    )
)

register_apply_view(SERVICE_CODE, "organizing:join")


@register_router(SERVICE_CODE)
def _route(service_type, *, applicant=None, organization=None):
    # The union was chosen by organizing.routing.route_join before the request was filed.
    from gonghui.organizing.routing import route_join

    return organization or route_join()[0]
