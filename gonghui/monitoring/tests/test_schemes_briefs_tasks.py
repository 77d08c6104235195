import io
import re
from datetime import timedelta

from django.utils import timezone
from pypdf import PdfReader

from gonghui.hall import services as hall
from gonghui.monitoring import briefs, services
from gonghui.monitoring.models import Brief, CommentTask, CommentTeam, Scheme
from gonghui.monitoring.tests.helpers import BURST_TEXTS, push

SCHEME = {"name": "浦江精密欠薪", "organization": "", "region_terms": "", "subject_terms": "浦江精密",
          "event_terms": "欠薪、拖欠工资、讨薪", "exclude_terms": "", "window": "0"}


def test_a_scheme_is_previewed_then_saved_in_the_workbench(world):
    push(world, BURST_TEXTS + ["汇城软件今天发布新产品"])
    client = world.client("district_a")
    data = {**SCHEME, "organization": world.orgs["district_a"].pk}
    preview = client.post("/work/monitoring/schemes/new/", {**data, "preview": "1"}).content.decode()
    assert 'data-testid="scheme-preview"' in preview and not Scheme.objects.exists()
    line = re.search(r'data-testid="scheme-matched">([^<]*)<', preview).group(1)
    matched, total = sorted(int(n) for n in re.findall(r"\d+", line))
    assert 3 <= matched < total  # the unrelated post is not matched
    response = client.post("/work/monitoring/schemes/new/", {**data, "save": "1"})
    scheme = Scheme.objects.get()
    assert response.status_code == 302 and scheme.event_terms == ["欠薪", "拖欠工资", "讨薪"]
    detail = client.get(f"/work/monitoring/schemes/{scheme.pk}/").content.decode()
    assert 'data-testid="scheme-matched"' in detail


def test_scheme_errors_are_per_field_and_warnings_need_confirming(world):
    client = world.client("district_a")
    data = {**SCHEME, "organization": world.orgs["district_a"].pk, "subject_terms": "", "event_terms": ""}
    page = client.post("/work/monitoring/schemes/new/", {**data, "preview": "1"}).content.decode()
    assert 'class="field-error"' in page and not Scheme.objects.exists()
    dead = {**SCHEME, "organization": world.orgs["district_a"].pk, "exclude_terms": "精密"}
    page = client.post("/work/monitoring/schemes/new/", {**dead, "preview": "1"}).content.decode()
    assert 'data-testid="scheme-warning"' in page
    client.post("/work/monitoring/schemes/new/", {**dead, "save": "1"})
    assert not Scheme.objects.exists()
    client.post("/work/monitoring/schemes/new/", {**dead, "save": "1", "confirm_warnings": "on"})
    assert Scheme.objects.count() == 1


def test_district_b_cannot_build_a_scheme_for_district_a(world):
    data = {**SCHEME, "organization": world.orgs["district_a"].pk, "save": "1"}
    page = world.client("district_b").post("/work/monitoring/schemes/new/", data)
    assert page.status_code == 200 and not Scheme.objects.exists()


def test_the_daily_brief_lists_the_warning_and_never_personal_data(world):
    push(world, BURST_TEXTS + ["我叫王小明，电话13912345678，浦江精密拖欠我工资。"], hours_ago=2)
    tomorrow = timezone.localdate() + timedelta(days=1)
    brief, created = briefs.generate(actor=world.users["district_a"], organization=world.orgs["district_a"],
                                     kind="daily", day=tomorrow)
    assert created and brief.data["current"]["volume"] == 7 and brief.data["new_warnings"]
    reference = brief.data["new_warnings"][0]["reference"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(briefs.pdf(brief))).pages)
    assert reference in text and "13912345678" not in text and "王小明" not in text
    assert "上海浦江精密机械有限公司" in text
    again, created = briefs.generate(actor=None, organization=world.orgs["district_a"], kind="daily", day=tomorrow)
    assert not created and again.pk == brief.pk
    response = world.client("district_a").get(f"/work/monitoring/briefs/{brief.pk}/pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert world.client("district_b").get(f"/work/monitoring/briefs/{brief.pk}/").status_code == 404


def test_closed_warnings_and_trend_in_the_brief(world):
    push(world, BURST_TEXTS)
    from gonghui.monitoring.models import Alert
    from gonghui.monitoring.warnings import set_outcome

    request = Alert.objects.get(category="collective_action").warning
    district_a = world.users["district_a"]
    request = hall.transition(actor=district_a, request=request, name="engage", note="到场")
    set_outcome(actor=district_a, case=request.warning_case, outcome="false_alarm")
    hall.transition(actor=district_a, request=request, name="close_false_alarm", note="经核实系误传")
    data = briefs.compute(organization=world.orgs["city"], kind="daily", start=timezone.now() - timedelta(days=1),
                          end=timezone.now() + timedelta(minutes=1))
    assert data["closed_warnings"][0]["reference"] == request.reference
    assert data["categories"][0]["count"] >= 5 and data["previous"]["volume"] == 0


def test_briefs_are_generated_on_schedule_once_per_period(world):
    made = briefs.scheduled()
    assert made >= 3 and Brief.objects.filter(kind="daily").count() >= 3
    assert briefs.scheduled() == 0


def test_commentator_tasks_are_assigned_to_a_team_and_completed(world):
    push(world, ["浦江精密拖欠工资，网上有不实传言称老板跑路"])
    from gonghui.monitoring.models import Post

    post = Post.objects.get()
    team = CommentTeam.objects.create(name="浦东网评员", owner_organization=world.orgs["district_a"])
    client = world.client("district_a")
    due = (timezone.localtime() + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    client.post(f"/work/monitoring/posts/{post.pk}/tasks/", {"kind": "clarify", "team": team.pk, "due_at": due,
                                                              "instructions": "核实后发布澄清"})
    task = CommentTask.objects.get()
    assert task.team == team and task.status == "open"
    past = client.post(f"/work/monitoring/posts/{post.pk}/tasks/", {"kind": "respond", "team": team.pk,
                                                                     "due_at": "2020-01-01T10:00"})
    assert past.status_code == 302 and CommentTask.objects.count() == 1
    client.post(f"/work/monitoring/tasks/{task.pk}/complete/", {"note": "已发布澄清", "url": "https://weibo.example/1"})
    task.refresh_from_db()
    assert task.status == "done" and task.completed_by == world.users["district_a"]
    import pytest
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.complete_task(actor=world.users["district_a"], task=task, note="again")
