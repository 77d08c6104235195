"""Every allowed and every forbidden transition of the standard workflow, by the right and wrong people."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from gonghui.hall import services
from gonghui.hall.models import ServiceRequest, ServiceType
from gonghui.hall.workflows import APPLICANT, STANDARD

STATES = list(STANDARD.states)
STEPS = [t.name for t in STANDARD.transitions]


def _request_in(world, state, key="wf"):
    service = ServiceType.objects.get(code="general-consultation")
    request, _ = services.submit_request(actor=world.users["carol"], service_type=service, summary="咨询",
                                         idempotency_key=key)
    ServiceRequest.objects.filter(pk=request.pk).update(status=state)
    return ServiceRequest.objects.get(pk=request.pk)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("step", STEPS)
def test_transition_matrix(world, state, step):
    request = _request_in(world, state)
    transition = STANDARD.get(step)
    actor = world.users["carol"] if transition.by == APPLICANT else world.users["district_a"]
    allowed = state in transition.sources
    if allowed:
        moved = services.transition(actor=actor, request=request, name=step, note="说明")
        assert moved.status == transition.target
        assert moved.events.filter(action=step, from_status=state, to_status=transition.target).exists()
        assert (moved.closed_at is not None) == (transition.target in STANDARD.final)
    else:
        with pytest.raises(ValidationError):
            services.transition(actor=actor, request=request, name=step, note="说明")
        assert ServiceRequest.objects.get(pk=request.pk).status == state


@pytest.mark.parametrize("step", [t.name for t in STANDARD.transitions if t.by != APPLICANT])
def test_staff_steps_are_refused_to_applicant_and_outsiders(world, step):
    request = _request_in(world, STANDARD.get(step).sources[0])
    with pytest.raises(PermissionDenied):
        services.transition(actor=world.users["carol"], request=request, name=step, note="x")
    with pytest.raises(Http404):
        services.transition(actor=world.users["district_b"], request=request, name=step, note="x")


@pytest.mark.parametrize("step", [t.name for t in STANDARD.transitions if t.by == APPLICANT])
def test_applicant_steps_are_refused_to_staff_and_others(world, step):
    request = _request_in(world, STANDARD.get(step).sources[0])
    for other in ("district_a", "alice"):
        with pytest.raises(Http404):
            services.transition(actor=world.users[other], request=request, name=step)


def test_a_note_is_required_where_the_applicant_must_be_told_why(world):
    request = _request_in(world, "in_progress")
    with pytest.raises(ValidationError) as info:
        services.transition(actor=world.users["district_a"], request=request, name="reject", note="  ")
    assert "note" in info.value.message_dict


def test_asking_for_materials_pauses_the_deadline_and_supplying_resumes_it(world):
    request = _request_in(world, "in_progress")
    ServiceRequest.objects.filter(pk=request.pk).update(due_date=date.today() + timedelta(days=14))
    request.refresh_from_db()
    paused = services.transition(actor=world.users["district_a"], request=request, name="request_materials",
                                 note="请补充劳动合同")
    assert paused.due_date is None and paused.paused_days_left >= 1
    resumed = services.transition(actor=world.users["carol"], request=paused, name="supplement")
    assert resumed.due_date is not None and resumed.paused_days_left is None


def test_closing_on_time_is_recorded(world):
    request = _request_in(world, "in_progress")
    done = services.transition(actor=world.users["district_a"], request=request, name="complete", note="已办结")
    assert done.closed_on_time is True
    late = _request_in(world, "in_progress", key="late")
    ServiceRequest.objects.filter(pk=late.pk).update(due_date=date.today() - timedelta(days=1))
    late.refresh_from_db()
    assert services.transition(actor=world.users["district_a"], request=late, name="complete",
                               note="已办结").closed_on_time is False


def test_nobody_handles_their_own_application(world):
    """A cadre who is also a worker applies to their own union: the step is refused to them, not to colleagues."""
    from gonghui.members.models import Person

    Person.objects.create(name="工会主席本人", employment_form="employee", owner_organization=world.orgs["union_a1"],
                          user=world.users["union_a1"])
    service = ServiceType.objects.get(code="general-consultation")
    request, _ = services.submit_request(actor=world.users["union_a1"], service_type=service, summary="我自己的诉求",
                                         idempotency_key="own")
    assert request.handling_organization == world.orgs["union_a1"]
    with pytest.raises(PermissionDenied):
        services.transition(actor=world.users["union_a1"], request=request, name="accept")
    with pytest.raises(ValidationError):
        services.assign(actor=world.users["district_a"], requests=[request], assignee=world.users["union_a1"])
    assert services.transition(actor=world.users["district_a"], request=request, name="accept").status == "in_progress"
