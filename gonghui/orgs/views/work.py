"""Workbench pages for organisations, enterprises and coverage."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gonghui.core.forms import apply_errors
from gonghui.core.jobs import start_job
from gonghui.core.pagination import keyset_page
from gonghui.core.permissions import staff_view
from gonghui.orgs import selectors, services
from gonghui.orgs.choices import OrgKind, SizeClass
from gonghui.orgs.forms import CoverageForm, EnterpriseForm, OrganizationForm
from gonghui.orgs.models import Coverage, Enterprise, Organization, Region

PAGE_SIZE = 25
SEARCH_ROWS = 100


@staff_view("dashboard.view")
def dashboard(request):
    by_kind, by_region = selectors.organizations_by_kind_and_region(request.user)
    labels = dict(OrgKind.choices)
    enterprises = Enterprise.objects.visible_to(request.user, "enterprises.view")
    big = enterprises.filter(headcount__gte=25).aggregate(total=Count("id"), with_union=Count("id", filter=Q(union__isnull=False)))
    charts = {
        "kind": {"type": "pie", "data": [{"name": str(labels.get(r["kind"], r["kind"])), "value": r["n"]} for r in by_kind]},
        "region": {"type": "bar", "labels": [r["region__name"] for r in by_region], "values": [r["n"] for r in by_region]},
    }
    context = {
        "org_total": sum(r["n"] for r in by_kind),
        "big_total": big["total"],
        "big_with_union": big["with_union"],
        "establishment_rate": round(100 * big["with_union"] / big["total"], 1) if big["total"] else None,
        "charts_json": json.dumps(charts, ensure_ascii=False),
        "charts": charts,
    }
    return render(request, "orgs/work/dashboard.html", context)


@staff_view("orgs.view")
def tree(request):
    query = request.GET.get("q", "").strip()[:64]
    kind = request.GET.get("kind", "")
    context = {"query": query, "kind": kind, "kinds": OrgKind.choices}
    if query or kind:
        context["results"] = list(selectors.list_organizations(request.user, query=query, kind=kind, limit=200)[:200])
    else:
        context["roots"] = selectors.tree_for(request.user)
    return render(request, "orgs/work/tree.html", context)


@staff_view("orgs.view")
def organization_detail(request, pk):
    org = Organization.objects.select_related("parent", "region").get_visible_or_404(request.user, "orgs.view", pk=pk)
    children = Organization.objects.visible_to(request.user, "orgs.view").filter(parent=org).order_by("path")
    coverage = selectors.list_coverage(request.user).filter(covering=org)
    enterprises = Enterprise.objects.visible_to(request.user, "enterprises.view").filter(
        Q(owner_organization=org) | Q(union=org)
    )[:50]
    return render(request, "orgs/work/organization_detail.html", {
        "org": org, "children": children, "coverage": coverage, "enterprises": enterprises,
        "can_manage": request.user.scope_for("orgs.manage").covers_path(org.path),
        # The union's join QR code (organizing) for those who handle its members.
        "perms_members_manage": request.user.scope_for("members.manage").covers_path(org.path),
    })


@staff_view("orgs.manage")
def organization_create(request, parent_pk):
    parent = Organization.objects.get_visible_or_404(request.user, "orgs.manage", pk=parent_pk)
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            org = services.create_organization(
                actor=request.user, parent=parent, kind=data.pop("kind"), name=data.pop("name"), **data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Organisation created."))
            return redirect("orgs:organization_detail", pk=org.pk)
    return render(request, "orgs/work/organization_form.html", {"form": form, "parent": parent})


@staff_view("orgs.manage")
def organization_edit(request, pk):
    org = Organization.objects.get_visible_or_404(request.user, "orgs.manage", pk=pk)
    form = OrganizationForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        changes = {k: form.cleaned_data[k] for k in services.ORG_FIELDS}
        try:
            services.update_organization(actor=request.user, organization=org, **changes)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("orgs:organization_detail", pk=org.pk)
    return render(request, "orgs/work/organization_form.html", {"form": form, "org": org})


@staff_view("enterprises.view")
def enterprise_list(request):
    filters = {
        "query": request.GET.get("q", "").strip()[:64],
        "region": request.GET.get("region", ""),
        "size_class": request.GET.get("size", ""),
        "has_union": request.GET.get("union", ""),
    }
    qs = selectors.list_enterprises(request.user, limit=SEARCH_ROWS, **filters)
    if filters["query"]:
        rows = list(qs[:SEARCH_ROWS])
        page = None
    else:
        page = keyset_page(qs, sort="name", cursor=request.GET.get("cursor"), size=PAGE_SIZE)
        rows = page.items
    template = "orgs/partials/enterprise_rows.html" if request.htmx else "orgs/work/enterprise_list.html"
    return render(request, template, {
        "rows": rows, "page": page, "filters": filters,
        "regions": Region.objects.filter(parent__isnull=False), "sizes": SizeClass.choices,
        "can_export": request.user.has_gonghui_perm("data.export"),
        "can_manage": request.user.has_gonghui_perm("enterprises.manage"),
    })


@staff_view("enterprises.view")
def enterprise_detail(request, pk):
    enterprise = Enterprise.objects.select_related("region", "industry", "union", "owner_organization").get_visible_or_404(
        request.user, "enterprises.view", pk=pk
    )
    can_manage = Enterprise.objects.visible_to(request.user, "enterprises.manage").filter(pk=pk).exists()
    return render(request, "orgs/work/enterprise_detail.html", {"e": enterprise, "can_manage": can_manage,
                  "coverage": enterprise.covered_by.select_related("covering")})


def _enterprise_form(request, instance=None):
    unions = Organization.objects.visible_to(request.user, "orgs.view").filter(
        kind__in=[OrgKind.GRASSROOTS_UNION, OrgKind.JOINT_GRASSROOTS_UNION]
    )
    owners = Organization.objects.visible_to(request.user, "enterprises.manage")
    return EnterpriseForm(request.POST or None, instance=instance, unions=unions, owners=owners)


@staff_view("enterprises.manage")
def enterprise_create(request):
    form = _enterprise_form(request)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.ENTERPRISE_FIELDS}
        try:
            enterprise = services.create_enterprise(
                actor=request.user, owner_organization=form.cleaned_data["owner_organization"], **data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Enterprise registered."))
            return redirect("orgs:enterprise_detail", pk=enterprise.pk)
    return render(request, "orgs/work/enterprise_form.html", {"form": form})


@staff_view("enterprises.manage")
def enterprise_edit(request, pk):
    enterprise = Enterprise.objects.get_visible_or_404(request.user, "enterprises.manage", pk=pk)
    form = _enterprise_form(request, instance=enterprise)
    if request.method == "POST" and form.is_valid():
        changes = {k: form.cleaned_data[k] for k in services.ENTERPRISE_FIELDS}
        try:
            services.update_enterprise(actor=request.user, enterprise=enterprise, **changes)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("orgs:enterprise_detail", pk=enterprise.pk)
    return render(request, "orgs/work/enterprise_form.html", {"form": form, "e": enterprise})


@staff_view("orgs.view")
def coverage_list(request):
    links = selectors.list_coverage(request.user)
    form = None
    if request.user.has_gonghui_perm("orgs.manage"):
        managed = Organization.objects.visible_to(request.user, "orgs.manage")
        form = CoverageForm(request.POST or None, covering=managed, targets=managed)
        if request.method == "POST" and form.is_valid():
            try:
                services.add_coverage(
                    actor=request.user, covering=form.cleaned_data["covering"], kind=form.cleaned_data["kind"],
                    target_organization=form.cleaned_data.get("target_organization"),
                    target_enterprise=form.cleaned_data.get("target_enterprise"),
                )
            except ValidationError as error:
                apply_errors(form, error)
            except Http404:
                form.add_error(None, _("You can only link organisations and enterprises you manage."))
            else:
                messages.success(request, _("Coverage link added."))
                return redirect("orgs:coverage_list")
    return render(request, "orgs/work/coverage_list.html", {"links": links, "form": form})


@require_POST
@staff_view("orgs.manage")
def coverage_remove(request, pk):
    link = Coverage.objects.get_visible_or_404(request.user, "orgs.manage", pk=pk)
    services.remove_coverage(actor=request.user, coverage=link)
    messages.success(request, _("Coverage link removed."))
    return redirect("orgs:coverage_list")


@require_POST
@staff_view("data.export")
def export(request, what):
    if what not in ("enterprises", "organizations"):
        raise Http404
    params = {"q": request.POST.get("q", "")[:64], "region": request.POST.get("region", ""),
              "size": request.POST.get("size", ""), "union": request.POST.get("union", ""),
              "lang": request.LANGUAGE_CODE}
    job = start_job(actor=request.user, kind=f"orgs.export_{what}", params=params)
    return redirect("core:job_detail", pk=job.pk)
