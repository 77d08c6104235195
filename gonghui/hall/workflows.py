"""Workflows are declared in code by the app that provides a service: states, transitions, who may take
each (a staff permission, or the applicant), and whether a note is required. ``services.transition`` is
the one place that moves a request along them."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

STAFF = "staff"
APPLICANT = "applicant"


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    by: str = STAFF
    perm: str = "hall.handle"
    needs_note: bool = False
    pauses_clock: bool = False  # 补正: the deadline stops while the applicant supplies materials
    resumes_clock: bool = False
    style: str = ""  # "primary" or "danger", for buttons
    # Domain hooks, both called inside the transition's transaction with the locked request:
    guard: Callable | None = None  # guard(request) -> a message why the step cannot be taken now, or None
    effect: Callable | None = None  # effect(request=..., actor=..., note=...) after the status changed


@dataclass(frozen=True)
class Workflow:
    code: str
    label: str
    initial: str
    states: dict[str, str]
    final: frozenset[str]
    transitions: tuple[Transition, ...] = field(default=())

    def state_label(self, state: str) -> str:
        return str(self.states.get(state, state))

    def get(self, name: str) -> Transition | None:
        return next((t for t in self.transitions if t.name == name), None)

    def available(self, state: str, by: str) -> list[Transition]:
        return [t for t in self.transitions if state in t.sources and t.by == by]

    @property
    def open_states(self) -> list[str]:
        return [s for s in self.states if s not in self.final]


_REGISTRY: dict[str, Workflow] = {}
_APPLY_VIEWS: dict[str, str] = {}
_DETAIL_PANELS: dict[str, tuple[str, Callable]] = {}


def register_apply_view(service_code: str, url_name: str) -> None:
    """A domain app that needs its own application form (household, incomes…) names it here; the
    catalogue sends applicants there instead of the generic form."""
    _APPLY_VIEWS[service_code] = url_name


def apply_view(service_code: str) -> str | None:
    return _APPLY_VIEWS.get(service_code)


def register_detail_panel(workflow_code: str, template: str, context: Callable) -> None:
    """The domain's part of the staff request page: a template and ``context(request, user) -> dict``."""
    _DETAIL_PANELS[workflow_code] = (template, context)


def detail_panel(workflow_code: str):
    return _DETAIL_PANELS.get(workflow_code)


def register_workflow(workflow: Workflow) -> Workflow:
    for t in workflow.transitions:
        unknown = {*t.sources, t.target} - set(workflow.states)
        if unknown:
            raise ValueError(f"{workflow.code}.{t.name}: unknown states {unknown}")
    _REGISTRY[workflow.code] = workflow
    return workflow


def get_workflow(code: str) -> Workflow:
    return _REGISTRY[code]


def workflow_choices():
    return [(code, wf.label) for code, wf in _REGISTRY.items()]


# The standard one-stop workflow most services use: accept, ask for missing materials (补正), decide.
SUBMITTED, IN_PROGRESS, AWAITING = "submitted", "in_progress", "awaiting_materials"
COMPLETED, REJECTED, WITHDRAWN = "completed", "rejected", "withdrawn"

STANDARD = register_workflow(
    Workflow(
        code="standard",
        label=_("Standard: accept, handle, decide"),
        initial=SUBMITTED,
        states={
            SUBMITTED: _("Submitted"),
            IN_PROGRESS: _("Being handled"),
            AWAITING: _("Waiting for materials"),
            COMPLETED: _("Completed"),
            REJECTED: _("Not approved"),
            WITHDRAWN: _("Withdrawn"),
        },
        final=frozenset({COMPLETED, REJECTED, WITHDRAWN}),
        transitions=(
            Transition("accept", _("Accept"), (SUBMITTED,), IN_PROGRESS, style="primary"),
            Transition("request_materials", _("Ask for missing materials"), (SUBMITTED, IN_PROGRESS), AWAITING,
                       needs_note=True, pauses_clock=True),
            Transition("supplement", _("I have added the materials"), (AWAITING,), IN_PROGRESS, by=APPLICANT,
                       resumes_clock=True, style="primary"),
            Transition("complete", _("Complete"), (IN_PROGRESS,), COMPLETED, needs_note=True, style="primary"),
            Transition("reject", _("Reject"), (SUBMITTED, IN_PROGRESS, AWAITING), REJECTED, needs_note=True,
                       style="danger"),
            Transition("withdraw", _("Withdraw my application"), (SUBMITTED, IN_PROGRESS, AWAITING), WITHDRAWN,
                       by=APPLICANT, style="danger"),
        ),
    )
)
