"""Kernel pages: the audit log, job progress and private file downloads."""

from django.db.models import Q
from django.shortcuts import render
from django.utils.dateparse import parse_date

from gonghui.core import files
from gonghui.core.models import AuditEvent, Job, PrivateFile
from gonghui.core.pagination import keyset_page
from gonghui.core.permissions import signed_in, staff_view


def _date(text):
    try:
        return parse_date(text) if text else None
    except ValueError:
        return None


@staff_view("audit.view")
def audit_list(request):
    qs = AuditEvent.objects.visible_to(request.user, "audit.view").select_related("actor")
    filters = {k: request.GET.get(k, "").strip()[:80] for k in ("action", "actor", "object", "date_from", "date_to")}
    if filters["action"]:
        qs = qs.filter(action__startswith=filters["action"])
    if filters["actor"]:
        qs = qs.filter(actor_label__icontains=filters["actor"])
    if filters["object"]:
        qs = qs.filter(Q(object_repr__icontains=filters["object"]) | Q(object_id=filters["object"]))
    date_from, date_to = _date(filters["date_from"]), _date(filters["date_to"])
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    page = keyset_page(qs, sort="-at", cursor=request.GET.get("cursor"), size=50)
    return render(request, "core/audit_list.html", {"page": page, "filters": filters})


@signed_in
def job_detail(request, pk):
    job = Job.objects.select_related("result_file").get_visible_or_404(request.user, "jobs.view", pk=pk)
    template = "core/partials/job_status.html" if request.htmx else "core/job_detail.html"
    return render(request, template, {"job": job})


@signed_in
def file_download(request, pk):
    private_file = PrivateFile.objects.get_visible_or_404(request.user, "files.view", pk=pk)
    return files.serve(actor=request.user, private_file=private_file)
