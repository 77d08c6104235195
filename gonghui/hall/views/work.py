"""The staff side of the hall: one inbox across all services, request handling, walk-in entry, ratings
and rectification, statistics."""

import json
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gonghui.accounts.models import User
from gonghui.core.forms import apply_errors, run_action
from gonghui.core.pagination import keyset_page
from gonghui.core.permissions import staff_view
from gonghui.hall import selectors, services
from gonghui.hall.choices import Channel
from gonghui.hall.forms import AssignForm, AttachmentForm, RectificationForm, TransitionForm, WalkInForm
from gonghui.hall.models import Rectification, ServiceRequest, ServiceType
from gonghui.hall.workflows import STAFF, detail_panel
from gonghui.orgs.models import Organization


def _handlers_for(user):
    """Colleagues the user may hand requests to: staff with hall.handle inside the user's scope."""
    orgs = Organization.objects.visible_to(user, "hall.handle")
    return User.objects.filter(role_assignments__organization__in=orgs,
                               role_assignments__role__in=["city_admin", "district_admin", "grassroots_cadre"],
                               is_active=True).distinct().order_by("display_name", "username")


@staff_view("hall.view")
def catalogue(request):
    """The catalogue as staff see it: every service with its level, deadline, channels and workflow."""
    services_list = ServiceType.objects.annotate(open_requests=Count(
        "requests", filter=Q(requests__closed_at__isnull=True,
                             requests__in=ServiceRequest.objects.visible_to(request.user, "hall.view"))))
    return render(request, "hall/work/catalogue.html", {
        "services": services_list, "can_configure": request.user.has_gonghui_perm("admin.site")})


@staff_view("hall.handle")
def inbox(request):
    tab = request.GET.get("tab", "org")
    tab = tab if tab in selectors.INBOX_TABS else "org"
    filters = {k: request.GET.get(k, "").strip()[:40] for k in ("service", "status", "channel", "q")}
    qs = selectors.inbox(request.user, tab=tab, service=filters["service"], status=filters["status"],
                         channel=filters["channel"], query=filters["q"])
    # A work queue says "1,000+" rather than counting further: the count would cost more than the page.
    page = keyset_page(qs, sort="-submitted_at", cursor=request.GET.get("cursor"), size=30, count_cap=1000)
    today = timezone.localdate()
    context = {
        "page": page, "tab": tab, "filters": filters, "today": today,
        "tabs": [("mine", _("Assigned to me")), ("org", _("My organisations, open")), ("overdue", _("Overdue")),
                 ("awaiting", _("Waiting for materials")), ("all", _("All"))],
        "services": ServiceType.objects.all(), "channels": Channel.choices,
        "assignees": _handlers_for(request.user),
        "bad_to_answer": selectors.open_rectifications(request.user).count(),
    }
    return render(request, "hall/work/inbox.html", context)


@require_POST
@staff_view("hall.handle")
def bulk_assign(request):
    visible = ServiceRequest.objects.visible_to(request.user, "hall.handle")
    form = AssignForm(request.POST, assignees=_handlers_for(request.user), requests=visible)
    if not form.is_valid():
        messages.error(request, _("Choose the applications and a colleague."))
        return redirect("hall:inbox")
    try:
        count = services.assign(actor=request.user, requests=form.cleaned_data["requests"],
                                assignee=form.cleaned_data["assignee"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(n)s applications assigned to %(name)s.") % {
            "n": count, "name": form.cleaned_data["assignee"]})
    return redirect(request.POST.get("next") or "hall:inbox")


def _staff_request(request, reference) -> ServiceRequest:
    return ServiceRequest.objects.select_related("service_type", "handling_organization", "owner_organization",
                                                 "assigned_to").get_visible_or_404(
        request.user, "hall.view", reference=reference)


@staff_view("hall.view")
def request_detail(request, reference):
    service_request = _staff_request(request, reference)
    can_handle = ServiceRequest.objects.visible_to(request.user, "hall.handle").filter(pk=service_request.pk).exists()
    actions = service_request.workflow.available(service_request.status, STAFF) if can_handle else []
    actions = [a for a in actions if request.user.has_gonghui_perm(a.perm)]
    panel = detail_panel(service_request.service_type.workflow)
    return render(request, "hall/work/request_detail.html", {
        "panel_template": panel[0] if panel else None,
        **(panel[1](service_request, request.user) if panel else {}),
        "r": service_request, "events": service_request.events.select_related("actor"),
        "attachments": service_request.attachments.select_related("file"),
        "actions": actions, "can_handle": can_handle,
        "attachment_form": AttachmentForm() if can_handle and service_request.is_open else None,
        "assignees": _handlers_for(request.user) if can_handle else [],
        "rating": getattr(service_request, "rating", None),
    })


@require_POST
@staff_view("hall.handle")
def request_action(request, reference):
    service_request = ServiceRequest.objects.get_visible_or_404(request.user, "hall.handle", reference=reference)
    run_action(request, TransitionForm(request.POST), lambda d: services.transition(
        actor=request.user, request=service_request, name=d["action"], note=d["note"]), _("Done."))
    return redirect("hall:request_detail", reference=reference)


@require_POST
@staff_view("hall.handle")
def request_attach(request, reference):
    service_request = ServiceRequest.objects.get_visible_or_404(request.user, "hall.handle", reference=reference)
    run_action(request, AttachmentForm(request.POST, request.FILES), lambda d: services.add_attachment(
        actor=request.user, request=service_request, upload=d["attachment"], label=d["label"]), _("File added."))
    return redirect("hall:request_detail", reference=reference)


@staff_view("hall.handle")
def walk_in(request):
    form = WalkInForm(request.POST or None, request.FILES or None,
                      service_types=ServiceType.objects.filter(is_active=True, offline=True),
                      organizations=Organization.objects.visible_to(request.user, "hall.handle"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created, _created = services.submit_request(
                actor=request.user, service_type=data["service_type"], summary=data["summary"],
                idempotency_key=f"staff:{request.user.pk}:{data['idempotency_key']}", channel=data["channel"],
                applicant_name=data["applicant_name"], applicant_mobile=data["applicant_mobile"] or "",
                organization=data["organization"], uploads=data["attachments"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Application %(ref)s entered.") % {"ref": created.reference})
            return redirect("hall:request_detail", reference=created.reference)
    return render(request, "hall/work/walk_in.html", {"form": form})


@staff_view("hall.view")
def ratings(request):
    show = request.GET.get("show", "bad")
    qs = selectors.ratings(request.user)
    if show == "bad":
        qs = qs.filter(score__lte=2)
    page = keyset_page(qs, sort="-created_at", cursor=request.GET.get("cursor"), size=30)
    return render(request, "hall/work/ratings.html", {"page": page, "show": show, "form": RectificationForm(),
                                                      "today": timezone.localdate()})


@require_POST
@staff_view("hall.handle")
def rectification_step(request, pk):
    rectification = Rectification.objects.get_visible_or_404(request.user, "hall.handle", pk=pk)
    run_action(request, RectificationForm(request.POST), lambda d: services.advance_rectification(
        actor=request.user, rectification=rectification, text=d["text"]), _("Saved."))
    return redirect("hall:ratings")


@staff_view("hall.view")
def statistics(request):
    days = request.GET.get("days", "90")
    days = int(days) if days.isdigit() and 1 <= int(days) <= 3660 else 90
    rows = selectors.statistics(request.user, since=timezone.now() - timedelta(days=days))
    chart = {"type": "bar", "labels": [r["org"] for r in rows[:15]], "values": [r["total"] for r in rows[:15]]}
    totals = {
        "total": sum(r["total"] for r in rows), "closed": sum(r["closed"] for r in rows),
        "on_time": sum(r["on_time"] for r in rows), "bad": sum(r["bad"] for r in rows),
        "overdue": sum(r["overdue"] for r in rows),
    }
    totals["on_time_rate"] = round(100 * totals["on_time"] / totals["closed"], 1) if totals["closed"] else None
    return render(request, "hall/work/statistics.html", {"rows": rows, "chart": chart, "totals": totals,
                                                         "days": days, "chart_json": json.dumps(chart)})


