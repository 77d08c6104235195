"""The hardship application's workflow: the grassroots union accepts and verifies it with a home visit,
the district approves, and approval opens the file (建档)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.hall.workflows import APPLICANT, Transition, Workflow, register_apply_view, register_workflow

SERVICE_CODE = "hardship-aid"
SUBMITTED, VERIFYING, AWAITING = "submitted", "verifying", "awaiting_materials"
VERIFIED, APPROVED, REJECTED, WITHDRAWN = "verified", "approved", "rejected", "withdrawn"


def _needs_home_visit(request):
    if not request.hardship.visits.exists():
        return _("Record the home visit first.")
    return None


def _needs_eligibility(request):
    application = request.hardship
    if not application.tier:
        return _("By the figures this household is above every hardship line; reject it or correct the figures.")
    if application.exclusions:
        return _("An exclusion applies; reject it or correct the facts.")
    return None


def _open_file(*, request, actor, note):
    from gonghui.hardship.services import open_file

    open_file(actor=actor, application=request.hardship)


HARDSHIP = register_workflow(
    Workflow(
        code="hardship",
        label=gettext_lazy("Hardship: verify with a home visit, district approves"),
        initial=SUBMITTED,
        states={
            SUBMITTED: gettext_lazy("Submitted"),
            VERIFYING: gettext_lazy("Being verified by the union"),
            AWAITING: gettext_lazy("Waiting for materials"),
            VERIFIED: gettext_lazy("Verified, waiting for district approval"),
            APPROVED: gettext_lazy("Approved, on file"),
            REJECTED: gettext_lazy("Not approved"),
            WITHDRAWN: gettext_lazy("Withdrawn"),
        },
        final=frozenset({APPROVED, REJECTED, WITHDRAWN}),
        transitions=(
            Transition("accept", gettext_lazy("Accept"), (SUBMITTED,), VERIFYING, style="primary"),
            Transition("request_materials", gettext_lazy("Ask for missing materials"), (SUBMITTED, VERIFYING), AWAITING,
                       needs_note=True, pauses_clock=True),
            Transition("supplement", gettext_lazy("I have added the materials"), (AWAITING,), VERIFYING, by=APPLICANT,
                       resumes_clock=True, style="primary"),
            Transition("verify", gettext_lazy("Verified: send to the district"), (VERIFYING,), VERIFIED,
                       perm="hardship.verify", guard=_needs_home_visit, style="primary"),
            Transition("approve", gettext_lazy("Approve and open the file"), (VERIFIED,), APPROVED, perm="hardship.approve",
                       guard=_needs_eligibility, effect=_open_file, style="primary"),
            Transition("return_to_union", gettext_lazy("Send back to the union"), (VERIFIED,), VERIFYING,
                       perm="hardship.approve", needs_note=True),
            Transition("reject", gettext_lazy("Reject"), (SUBMITTED, VERIFYING, AWAITING, VERIFIED), REJECTED,
                       needs_note=True, style="danger"),
            Transition("withdraw", gettext_lazy("Withdraw my application"), (SUBMITTED, VERIFYING, AWAITING), WITHDRAWN,
                       by=APPLICANT, style="danger"),
        ),
    )
)

register_apply_view(SERVICE_CODE, "hardship:apply")
