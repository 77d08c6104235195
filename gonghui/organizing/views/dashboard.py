"""The membership and establishment dashboard (drill-down city → district → union) and the targets page."""

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gonghui.core.forms import apply_errors
from gonghui.core.permissions import staff_view
from gonghui.organizing import targets as services
from gonghui.organizing.models.targets import Target, TargetGroup, TargetMetric
from gonghui.orgs.models import Organization

CHILDREN_SHOWN = 200


def _year(value) -> int:
    today = timezone.localdate()
    try:
        year = int(value)
    except (TypeError, ValueError):
        return today.year
    return year if 2000 <= year <= 2100 else today.year


class TargetForm(forms.Form):
    organization = forms.ModelChoiceField(label=gettext_lazy("Organisation"), queryset=Organization.objects.none())
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    metric = forms.ChoiceField(label=gettext_lazy("Measure"), choices=TargetMetric.choices)
    group = forms.ChoiceField(label=gettext_lazy("Group"), choices=TargetGroup.choices, initial=TargetGroup.ALL)
    value = forms.IntegerField(label=gettext_lazy("Target"), min_value=1, max_value=10_000_000)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = services.settable_organizations(user).order_by("path")


def _visible_orgs(user):
    return Organization.objects.visible_to(user, "members.view")


@staff_view("members.view")
def dashboard(request):
    user = request.user
    year = _year(request.GET.get("year"))
    visible = _visible_orgs(user)
    org_id = request.GET.get("org", "")
    if org_id:
        org = visible.select_related("parent").get_visible_or_404(user, "members.view", pk=org_id)
    else:
        org = visible.order_by("depth", "path").first()
        if org is None:
            raise Http404
    children = list(visible.filter(parent=org).order_by("path")[:CHILDREN_SHOWN])
    figures = services.overview(org, children, year=year)
    ancestors = list(visible.filter(path__in=org.ancestors_paths()).order_by("depth"))
    goals = services.progress(Target.objects.visible_to(user, "members.view").filter(
        organization__in=[org, *children], year=year).select_related("organization").order_by(
        "organization__path", "metric", "group"))
    charts = {
        "groups": {"type": "pie", "data": [{"name": row["label"], "value": row["n"]} for row in figures["by_form"]
                                           if row["n"]]},
        "children": {"type": "bar", "labels": [row["org"].short_name or row["org"].name
                                               for row in figures["children"]],
                     "values": [row["current"] for row in figures["children"]]},
        "weeks": {"type": "bar", "labels": [row["week"].strftime("%m-%d") for row in figures["weeks"]],
                  "values": [row["n"] for row in figures["weeks"]]},
        "progress": {"type": "bar", "labels": [_progress_label(row, org) for row in goals],
                     "values": [row["share"] for row in goals]},
    }
    return render(request, "organizing/work/dashboard.html", {
        "org": org, "year": year, "years": range(timezone.localdate().year + 1, timezone.localdate().year - 5, -1),
        "ancestors": ancestors, "figures": figures, "goals": goals, "charts": charts,
        "charts_json": json.dumps(charts, ensure_ascii=False),
        "can_set_targets": user.has_gonghui_perm("organizing.targets"),
        "can_establish": user.has_gonghui_perm("organizing.establish"),
    })


def _progress_label(row, org) -> str:
    target = row["target"]
    who = "" if target.organization_id == org.pk else f"{target.organization.short_name or target.organization.name} · "
    group = "" if target.group == TargetGroup.ALL else f" · {target.get_group_display()}"
    return f"{who}{target.get_metric_display()}{group}"


@staff_view("members.view")
def targets(request):
    user = request.user
    year = _year(request.GET.get("year"))
    form = None
    if user.has_gonghui_perm("organizing.targets"):
        form = TargetForm(request.POST or None, user=user, initial={"year": year})
        if request.method == "POST" and form.is_valid():
            try:
                services.set_target(actor=user, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Target saved."))
                return redirect(f"{request.path}?year={form.cleaned_data['year']}")
    elif request.method == "POST":
        raise PermissionDenied
    rows = services.progress(services.list_targets(user, year=year).order_by("organization__path", "metric",
                                                                               "group")[:500])
    settable = set()
    if form is not None:
        settable = {row["target"].pk for row in rows if services.can_set_for(user, row["target"].organization)}
    return render(request, "organizing/work/dashboard_targets.html", {
        "rows": rows, "form": form, "year": year, "settable": settable,
        "years": range(timezone.localdate().year + 1, timezone.localdate().year - 5, -1),
    })


@require_POST
@staff_view("organizing.targets")
def target_delete(request, pk):
    target = Target.objects.select_related("organization").get_visible_or_404(
        request.user, "organizing.targets", pk=pk)
    services.delete_target(actor=request.user, target=target)
    messages.success(request, _("Target removed."))
    return redirect(f"{reverse('organizing:targets')}?year={target.year}")
