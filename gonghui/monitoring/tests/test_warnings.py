from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from gonghui.core.models import Notification
from gonghui.hall import services as hall
from gonghui.hall.models import ServiceRequest
from gonghui.monitoring import warnings
from gonghui.monitoring.choices import AlertStatus
from gonghui.monitoring.models import Alert, MonitoringPolicy, WarningAction
from gonghui.monitoring.tests.helpers import BURST_TEXTS, push
from gonghui.monitoring.workflow import CLOSED, DISPOSING, ENGAGED, REPORTED, RESOLVING


def _burst(world):
    push(world, BURST_TEXTS, prefix="burst")
    return Alert.objects.get(enterprise=world.enterprises["a1"], category="collective_action")


def test_a_burst_of_collective_wage_arrears_posts_opens_a_red_warning_for_the_union(
        world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        alert = _burst(world)
    assert alert.severity == "red" and alert.post_count >= 5 and alert.rule is not None
    case = alert.warning.warning_case
    assert alert.warning.handling_organization == world.orgs["union_a1"]
    assert alert.warning.status == REPORTED and case.enterprise == world.enterprises["a1"]
    assert Notification.objects.filter(user=world.users["district_a"], url__contains=alert.warning.reference).exists()
    assert Notification.objects.filter(user=world.users["union_a1"]).exists()
    assert not Notification.objects.filter(user=world.users["district_b"]).exists()
    # More posts strengthen the same alert; no second case is opened.
    push(world, ["浦江精密工人今天继续聚集讨薪，拖欠工资问题仍未解决。"], prefix="more")
    assert Alert.objects.filter(enterprise=world.enterprises["a1"], category="collective_action").count() == 1
    assert ServiceRequest.objects.filter(service_type__code="monitoring-warning").count() == 1


def test_below_the_policy_threshold_no_case_is_opened(world):
    MonitoringPolicy.objects.update(warning_threshold="red", text_alert_threshold="yellow")
    push(world, ["浦江精密拖欠工资两个月了，希望工会帮忙问问。"] * 1 + ["浦江精密这个月工资又晚发了，拖欠半个月。"],
         prefix="few")
    assert not ServiceRequest.objects.filter(service_type__code="monitoring-warning").exists()
    MonitoringPolicy.objects.update(warning_threshold="blue", text_alert_threshold="blue")
    push(world, ["浦江精密拖欠工资三个月，工人们很着急。"], prefix="more")
    assert ServiceRequest.objects.filter(service_type__code="monitoring-warning").exists()


def test_district_a_works_the_case_through_the_four_stages(world):
    request = _burst(world).warning
    district_a = world.users["district_a"]
    for name, state in (("engage", ENGAGED), ("dispose", DISPOSING), ("resolve", RESOLVING)):
        request = hall.transition(actor=district_a, request=request, name=name, note=f"{name} 已处理")
        assert request.status == state and request.due_date > timezone.localdate() - timedelta(days=1)
    warnings.log_action(actor=district_a, case=request.warning_case, text="与企业负责人约谈，承诺月底前补发工资")
    with pytest.raises(ValidationError):
        hall.transition(actor=district_a, request=request, name="close", note="已化解")
    warnings.set_outcome(actor=district_a, case=request.warning_case, outcome="resolved")
    request = hall.transition(actor=district_a, request=request, name="close", note="工资已补发，工人复工")
    assert request.status == CLOSED and request.closed_at
    stages = list(request.events.filter(kind="transition").values_list("to_status", flat=True))
    assert stages == [ENGAGED, DISPOSING, RESOLVING, CLOSED]
    assert Alert.objects.get(warning=request).status == AlertStatus.CLOSED
    assert WarningAction.objects.get().stage == RESOLVING


def test_stages_cannot_be_skipped_and_district_b_cannot_act(world):
    request = _burst(world).warning
    with pytest.raises(ValidationError):
        hall.transition(actor=world.users["district_a"], request=request, name="resolve", note="x")
    with pytest.raises(Http404):
        hall.transition(actor=world.users["district_b"], request=request, name="engage", note="x")
    with pytest.raises(Http404):
        warnings.log_action(actor=world.users["district_b"], case=request.warning_case, text="x")
    with pytest.raises(ValidationError):
        hall.transition(actor=world.users["district_a"], request=request, name="engage", note="")


def test_an_overrunning_stage_is_escalated_to_the_union_above(world):
    request = _burst(world).warning
    ServiceRequest.objects.filter(pk=request.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    assert hall.escalate_overdue() == 1
    request.refresh_from_db()
    assert request.handling_organization == world.orgs["street_a"] and request.escalation_count == 1
    # The next stage gets a fresh deadline and may be escalated again when it overruns.
    request = hall.transition(actor=world.users["district_a"], request=request, name="engage", note="已介入")
    assert request.due_date >= timezone.localdate() and request.last_escalated_on is None


def test_the_warning_panel_and_dashboard(world):
    request = _burst(world).warning
    page = world.client("district_a").get(f"/work/hall/{request.reference}/").content.decode()
    assert 'data-testid="warning-panel"' in page and 'data-testid="log-action"' in page
    dashboard = world.client("district_a").get("/work/monitoring/warnings/").content.decode()
    assert request.reference in dashboard
    assert request.reference not in world.client("district_b").get("/work/monitoring/warnings/").content.decode()
