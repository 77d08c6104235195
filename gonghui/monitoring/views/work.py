"""The workbench pages of monitoring: overview with hot topics, bursts and the timeline; posts; sources, feeds and
uploads; schemes with preview; alerts; the early-warning dashboard; briefs; 网评员 tasks."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gonghui.core.forms import apply_errors, run_action
from gonghui.core.pagination import keyset_page
from gonghui.core.permissions import staff_view
from gonghui.hall.models import ServiceRequest
from gonghui.monitoring import briefs, channels, detection, services, warnings
from gonghui.monitoring.choices import SEVERITY_RANK, AlertStatus, Category, Severity, SourceKind, TaskStatus
from gonghui.monitoring.forms import (
    ActionForm,
    BriefForm,
    CompleteTaskForm,
    OutcomeForm,
    SchemeForm,
    SourceForm,
    TaskForm,
    UploadForm,
)
from gonghui.monitoring.models import Alert, Brief, CommentTask, Post, PostTag, Scheme, Source, WarningCase
from gonghui.monitoring.workflow import CLOSED, PERM, SERVICE_CODE

VIEW, MANAGE = "monitoring.view", "monitoring.manage"


@staff_view(VIEW)
def dashboard(request):
    tags = PostTag.objects.visible_to(request.user, VIEW)
    posts = Post.objects.visible_to(request.user, VIEW)
    now = timezone.now()
    day = now - timedelta(days=1)
    line = detection.timeline(tags, days=14, now=now)
    return render(request, "monitoring/work/dashboard.html", {
        "posts_24h": posts.filter(published_at__gte=day, duplicate_of__isnull=True).count(),
        "duplicates_24h": posts.filter(published_at__gte=day, duplicate_of__isnull=False).count(),
        "open_alerts": Alert.objects.visible_to(request.user, VIEW).exclude(status=AlertStatus.CLOSED).count(),
        "hot": detection.hot_topics(tags, since=now - timedelta(days=7)),
        "bursts": {dim: detection.bursts(tags, dimension=dim, now=now) for dim in ("enterprise", "region", "category")},
        "timeline": line, "has_timeline": bool(line["series"]),
        "alerts": Alert.objects.visible_to(request.user, VIEW).select_related("enterprise", "warning")[:8],
    })


@staff_view(VIEW)
def post_list(request):
    qs = Post.objects.visible_to(request.user, VIEW).select_related("source", "enterprise")
    category, severity = request.GET.get("category", ""), request.GET.get("severity", "")
    if category in Category.values:
        qs = qs.filter(pk__in=PostTag.objects.filter(category=category).values("post_id"))
    if severity in Severity.values:
        qs = qs.filter(severity=severity)
    if request.GET.get("duplicates") != "1":
        qs = qs.filter(duplicate_of__isnull=True)
    schemes = list(Scheme.objects.visible_to(request.user, VIEW).filter(is_active=True)[:200])
    scheme = request.GET.get("scheme", "")
    if scheme:
        # Only a scheme the viewer may see filters; another's id filters to nothing rather than leaking.
        chosen = next((s for s in schemes if str(s.pk) == scheme), None)
        qs = qs.filter(schemes=chosen) if chosen else qs.none()
    page = keyset_page(qs, sort="-published_at", cursor=request.GET.get("cursor"), size=30)
    return render(request, "monitoring/work/post_list.html", {
        "page": page, "category": category, "severity": severity, "categories": Category.choices,
        "severities": Severity.choices, "labels": dict(Category.choices), "schemes": schemes, "scheme": scheme})


def _post(request, pk, perm=VIEW) -> Post:
    return Post.objects.select_related("source", "enterprise", "duplicate_of").get_visible_or_404(
        request.user, perm, pk=pk)


@staff_view(VIEW)
def post_detail(request, pk):
    post = _post(request, pk)
    can_manage = Post.objects.visible_to(request.user, MANAGE).filter(pk=post.pk).exists()
    visible = Post.objects.visible_to(request.user, VIEW)  # other organisations' copies stay out of sight
    duplicate_of = visible.filter(pk=post.duplicate_of_id).first() if post.duplicate_of_id else None
    return render(request, "monitoring/work/post_detail.html", {
        "post": post, "labels": dict(Category.choices), "duplicate_of": duplicate_of,
        "duplicates": visible.filter(duplicate_of=post).select_related("source")[:20],
        "tasks": post.comment_tasks.select_related("team"),
        "task_form": TaskForm(user=request.user, initial={"due_at": (timezone.localtime() + timedelta(hours=4))
                                                          .strftime("%Y-%m-%dT%H:%M")}) if can_manage else None})


@require_POST
@staff_view(MANAGE)
def task_create(request, pk):
    post = _post(request, pk, MANAGE)
    form = TaskForm(request.POST, user=request.user)
    run_action(request, form, lambda d: services.create_task(
        actor=request.user, post=post, kind=d["kind"], team=d["team"], due_at=d["due_at"],
        instructions=d["instructions"]), _("Task assigned to the team."))
    return redirect("monitoring:post_detail", pk=post.pk)


@staff_view(MANAGE)
def source_list(request):
    form = SourceForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.create_source(actor=request.user, organization=d["organization"], code=d["code"],
                                   name=d["name"], kind=d["kind"], url=d["url"] or "",
                                   interval_minutes=d["interval_minutes"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Source added."))
            return redirect("monitoring:source_list")
    sources = Source.objects.visible_to(request.user, MANAGE).annotate(n=Count("posts"))
    return render(request, "monitoring/work/source_list.html", {"sources": sources, "form": form})


def _source(request, pk) -> Source:
    return Source.objects.get_visible_or_404(request.user, MANAGE, pk=pk)


@require_POST
@staff_view(MANAGE)
def source_pull(request, pk):
    source = _source(request, pk)
    if source.kind != SourceKind.FEED:
        raise Http404
    result = channels.record_pull(actor=request.user, source=source)
    if result is None:
        source.refresh_from_db()
        messages.error(request, _("The pull failed: %(error)s") % {"error": source.last_error})
    else:
        messages.success(request, _("%(n)s new posts, %(d)s near duplicates.") % {
            "n": result.created, "d": result.near_duplicates})
    return redirect("monitoring:source_list")


@staff_view(MANAGE)
def upload(request, pk):
    source = _source(request, pk)
    if source.kind != SourceKind.UPLOAD:
        raise Http404
    form = UploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            if file.size > channels.MAX_UPLOAD_BYTES:
                raise ValidationError({"file": _("The file is too large: at most %(mb)s MB.") % {
                    "mb": channels.MAX_UPLOAD_BYTES // 1048576}})
            result = channels.upload(actor=request.user, source=source, name=file.name, data=file.read())
        except ValidationError as error:
            apply_errors(form, error)
    return render(request, "monitoring/work/upload.html", {"source": source, "form": form, "result": result})


@staff_view(VIEW)
def scheme_list(request):
    schemes = Scheme.objects.visible_to(request.user, VIEW).select_related("owner_organization")
    return render(request, "monitoring/work/scheme_list.html", {"schemes": schemes})


@staff_view(MANAGE)
def scheme_new(request):
    """Build a scheme without programming: the preview button shows warnings and matches among recent posts;
    saving needs the warnings confirmed."""
    form = SchemeForm(request.POST or None, user=request.user)
    preview = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        fields = {k: d[k] for k in ("name", "region_terms", "subject_terms", "event_terms", "exclude_terms",
                                    "any_of", "window")}
        try:
            if "save" in request.POST:
                scheme = services.save_scheme(actor=request.user, organization=d["organization"],
                                              confirm_warnings=d["confirm_warnings"], **fields)
                messages.success(request, _("Scheme saved."))
                return redirect("monitoring:scheme_detail", pk=scheme.pk)
            _scheme, compiled, warns = services.build_scheme(organization=d["organization"], **fields)
            recent = services.recent_posts(request.user)
            matched, examples = services.preview_scheme(compiled, recent)
            preview = {"warnings": warns, "matched": matched, "total": len(recent), "examples": examples}
        except ValidationError as error:
            apply_errors(form, error)
        except PermissionDenied:
            raise Http404
    return render(request, "monitoring/work/scheme_new.html", {"form": form, "preview": preview})


@staff_view(VIEW)
def scheme_detail(request, pk):
    scheme = Scheme.objects.get_visible_or_404(request.user, VIEW, pk=pk)
    _s, compiled, warns = services.build_scheme(
        name=scheme.name, organization=scheme.owner_organization, region_terms=scheme.region_terms,
        subject_terms=scheme.subject_terms, event_terms=scheme.event_terms, exclude_terms=scheme.exclude_terms,
        any_of=scheme.any_of, window=scheme.window)
    recent = services.recent_posts(request.user)
    matched, examples = services.preview_scheme(compiled, recent)
    return render(request, "monitoring/work/scheme_detail.html", {
        "scheme": scheme, "warnings": warns, "matched": matched, "total": len(recent), "examples": examples})


@staff_view(VIEW)
def alert_list(request):
    qs = Alert.objects.visible_to(request.user, VIEW).select_related("enterprise", "region", "warning")
    status = request.GET.get("status", "")
    if status in AlertStatus.values:
        qs = qs.filter(status=status)
    page = keyset_page(qs, sort="-updated_at", cursor=request.GET.get("cursor"), size=30)
    return render(request, "monitoring/work/alert_list.html", {"page": page, "status": status,
                                                               "statuses": AlertStatus.choices})


@require_POST
@staff_view(MANAGE)
def alert_ack(request, pk):
    alert = Alert.objects.get_visible_or_404(request.user, MANAGE, pk=pk)
    try:
        services.acknowledge_alert(actor=request.user, alert=alert)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Alert acknowledged."))
    return redirect("monitoring:alert_list")


@require_POST
@staff_view(MANAGE)
def alert_close(request, pk):
    alert = Alert.objects.get_visible_or_404(request.user, MANAGE, pk=pk)
    try:
        services.close_alert(actor=request.user, alert=alert, note=request.POST.get("note", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Alert closed."))
    return redirect("monitoring:alert_list")


@staff_view(VIEW)
def warning_dashboard(request):
    """Open warnings by district and category (map-free), and the list of open cases."""
    requests = ServiceRequest.objects.visible_to(request.user, VIEW).filter(service_type__code=SERVICE_CODE)
    cases = WarningCase.objects.filter(request__in=requests).select_related(
        "request__handling_organization", "enterprise", "region")
    open_cases = cases.exclude(request__status=CLOSED)
    by_district = list(open_cases.values("region__name").annotate(n=Count("id")).order_by("-n")[:20])
    by_category = {r["category"]: r["n"] for r in open_cases.values("category").annotate(n=Count("id"))}
    charts = {
        "district": {"type": "bar", "labels": [r["region__name"] or "—" for r in by_district],
                     "values": [r["n"] for r in by_district]},
        "category": {"type": "pie", "data": [{"name": str(label), "value": by_category[code]}
                                             for code, label in Category.choices if by_category.get(code)]},
    }
    return render(request, "monitoring/work/warning_dashboard.html", {
        "open_cases": open_cases.order_by("-request__submitted_at")[:100], "charts": charts,
        "open_count": open_cases.count(),
        "closed_30d": cases.filter(request__status=CLOSED,
                                   request__closed_at__gte=timezone.now() - timedelta(days=30)).count(),
        "overdue": open_cases.filter(request__due_date__lt=timezone.localdate()).count()})


def warning_panel(service_request, user) -> dict:
    """The monitoring part of the hall's staff page for a warning case (registered with the hall)."""
    if not ServiceRequest.objects.visible_to(user, VIEW).filter(pk=service_request.pk).exists():
        return {}
    case = WarningCase.objects.filter(request=service_request).select_related("enterprise", "region").first()
    if case is None:
        return {}
    alerts = list(Alert.objects.filter(warning=service_request))
    alert = max(alerts, key=lambda a: SEVERITY_RANK.get(a.severity, 0)) if alerts else None
    can_act = service_request.is_open and user.has_gonghui_perm(PERM) and ServiceRequest.objects.visible_to(
        user, PERM).filter(pk=service_request.pk).exists()
    return {"case": case, "alert": alert, "labels": dict(Category.choices),
            "alert_posts": Post.objects.visible_to(user, VIEW).filter(alerts__warning=service_request,
                                                                     duplicate_of__isnull=True)
            .distinct().order_by("-published_at")[:10],
            "actions": case.actions.select_related("actor"),
            "action_form": ActionForm() if can_act else None,
            "outcome_form": OutcomeForm(initial={"outcome": case.outcome}) if can_act else None}


def _case(request, pk) -> WarningCase:
    case = WarningCase.objects.select_related("request").filter(pk=pk).first()
    if case is None or not ServiceRequest.objects.visible_to(request.user, PERM).filter(
            pk=case.request_id).exists():
        raise Http404
    return case


@require_POST
@staff_view(PERM)
def warning_action(request, pk):
    case = _case(request, pk)
    run_action(request, ActionForm(request.POST), lambda d: warnings.log_action(
        actor=request.user, case=case, text=d["text"]), _("Action logged."))
    return redirect("hall:request_detail", reference=case.request.reference)


@require_POST
@staff_view(PERM)
def warning_outcome(request, pk):
    case = _case(request, pk)
    run_action(request, OutcomeForm(request.POST), lambda d: warnings.set_outcome(
        actor=request.user, case=case, outcome=d["outcome"]), _("Outcome recorded."))
    return redirect("hall:request_detail", reference=case.request.reference)


@staff_view(VIEW)
def brief_list(request):
    form = BriefForm(request.POST or None, user=request.user, initial={"day": timezone.localdate(),
                                                                       "kind": "daily"})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        brief, created = briefs.generate(actor=request.user, organization=d["organization"], kind=d["kind"],
                                         day=d["day"])
        if not created and "refresh" in request.POST:
            try:
                briefs.regenerate(actor=request.user, brief=brief)
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, " ".join(getattr(error, "messages", [])) or _(
                    "Only managers can refresh a brief."))
                return redirect("monitoring:brief_detail", pk=brief.pk)
        messages.success(request, _("Brief ready."))
        return redirect("monitoring:brief_detail", pk=brief.pk)
    qs = Brief.objects.visible_to(request.user, VIEW).select_related("owner_organization")
    page = keyset_page(qs, sort="-period_end", cursor=request.GET.get("cursor"), size=30)
    return render(request, "monitoring/work/brief_list.html", {"page": page, "form": form})


@staff_view(VIEW)
def brief_detail(request, pk):
    brief = Brief.objects.get_visible_or_404(request.user, VIEW, pk=pk)
    return render(request, "monitoring/work/brief_detail.html", {"brief": brief, **briefs.context(brief)})


@staff_view(VIEW)
def brief_pdf(request, pk):
    brief = Brief.objects.get_visible_or_404(request.user, VIEW, pk=pk)
    response = HttpResponse(briefs.pdf(brief), content_type="application/pdf")
    response["Content-Disposition"] = (f'attachment; filename="brief-{brief.kind}-'
                                       f'{timezone.localtime(brief.period_start):%Y%m%d}.pdf"')
    return response


@staff_view("monitoring.comment")
def task_list(request):
    qs = CommentTask.objects.visible_to(request.user, "monitoring.comment").select_related("post", "team")
    status = request.GET.get("status", TaskStatus.OPEN)
    if status in TaskStatus.values:
        qs = qs.filter(status=status)
    return render(request, "monitoring/work/task_list.html", {
        "tasks": qs[:200], "status": status, "statuses": TaskStatus.choices, "form": CompleteTaskForm()})


@require_POST
@staff_view("monitoring.comment")
def task_complete(request, pk):
    task = CommentTask.objects.get_visible_or_404(request.user, "monitoring.comment", pk=pk)
    run_action(request, CompleteTaskForm(request.POST), lambda d: services.complete_task(
        actor=request.user, task=task, note=d["note"], url=d["url"]), _("Task completed."))
    return redirect("monitoring:task_list")
