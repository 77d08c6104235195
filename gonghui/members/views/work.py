"""Workbench pages for member files: the list with search, a member's file and history, roster import and
export. Everything starts from ``visible_to``; outside the cadre's scope the answer is 404."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gonghui.core import audit
from gonghui.core.forms import apply_errors
from gonghui.core.jobs import start_job
from gonghui.core.pagination import COUNT_CAP, keyset_page
from gonghui.core.permissions import staff_view
from gonghui.members import roster, selectors
from gonghui.members.forms import MemberSearchForm, RosterUploadForm
from gonghui.members.models import Membership, RosterImport, RosterImportStatus

PAGE_SIZE = 25
REVEALABLE = {"id_number": "person__id_number", "mobile": "person__mobile"}


def _filters(request):
    form = MemberSearchForm(request.GET or None, unions=selectors.member_unions(request.user))
    data = form.cleaned_data if form.is_valid() else {}
    return form, {
        "query": data.get("q") or "",
        "union": data.get("union"),
        "status": data.get("status") or "current",
        "employment_form": data.get("form") or "",
    }


@staff_view("members.view")
def member_list(request):
    form, filters = _filters(request)
    qs = selectors.list_members(request.user, **filters)
    # A search counts its matches up to a lower cap: "李" matches tens of thousands in a city.
    cap = selectors.SEARCH_COUNT_CAP if filters["query"] else COUNT_CAP
    page = keyset_page(qs, sort="-id", cursor=request.GET.get("cursor"), size=PAGE_SIZE, count_cap=cap)
    return render(
        request,
        "members/work/member_list.html",
        {
            "form": form,
            "page": page,
            "rows": page.items,
            "can_export": request.user.has_gonghui_perm("data.export"),
            "can_import": request.user.has_gonghui_perm(roster.IMPORT_PERM),
        },
    )


def _detail_context(request, membership, revealed=None):
    return {
        "m": membership,
        "person": membership.person,
        "history": selectors.history_of(request.user, membership),
        "can_reveal": request.user.has_gonghui_perm("members.view_sensitive"),
        "revealed": revealed or {},
    }


@staff_view("members.view")
def member_detail(request, pk):
    membership = Membership.objects.select_related("person", "union", "person__employer").get_visible_or_404(
        request.user, "members.view", pk=pk
    )
    return render(request, "members/work/member_detail.html", _detail_context(request, membership))


@require_POST
@staff_view("members.view")
def member_reveal(request, pk):
    """Show an ID number or mobile in full to a cadre allowed to: the read is an audit row."""
    membership = Membership.objects.select_related("person", "union").get_visible_or_404(
        request.user, "members.view", pk=pk
    )
    field = request.POST.get("field", "")
    if field not in REVEALABLE:
        raise Http404
    if not request.user.has_gonghui_perm("members.view_sensitive"):
        messages.error(request, _("Your role cannot see this in full."))
        return redirect("members:member_detail", pk=pk)
    value = audit.reveal(
        actor=request.user, obj=membership.person, field=field, reason=request.POST.get("reason", "")[:200]
    )
    return render(
        request,
        "members/work/member_detail.html",
        _detail_context(request, membership, revealed={field: value}),
    )


@require_POST
@staff_view("data.export")
def member_export(request):
    """The filtered roster as an Excel file, made by a job; ID numbers masked unless the cadre may see them."""
    _form, filters = _filters(request)
    params = {
        "q": filters["query"],
        "union": filters["union"].pk if filters["union"] else None,
        "status": filters["status"],
        "form": filters["employment_form"],
        "lang": request.LANGUAGE_CODE,
    }
    job = start_job(actor=request.user, kind="members.export_roster", params=params)
    return redirect("core:job_detail", pk=job.pk)


@staff_view(roster.IMPORT_PERM)
def import_list(request):
    unions = roster.importable_unions(request.user).order_by("path")
    form = RosterUploadForm(
        request.POST or None,
        request.FILES or None,
        unions=unions,
        initial={"idempotency_key": uuid.uuid4().hex},
    )
    if request.method == "POST" and form.is_valid():
        try:
            upload = roster.upload_roster(
                actor=request.user,
                union=form.cleaned_data["union"],
                upload=form.cleaned_data["file"],
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        except ValidationError as error:
            apply_errors(form, ValidationError({"file": error.messages}))
        else:
            return redirect("members:import_detail", pk=upload.pk)
    imports = selectors.list_imports(request.user)
    page = keyset_page(imports, sort="-created_at", cursor=request.GET.get("cursor"), size=PAGE_SIZE)
    return render(
        request, "members/work/import_list.html", {"form": form, "page": page, "max_rows": roster.MAX_ROWS}
    )


@staff_view(roster.IMPORT_PERM)
def import_template(request):
    response = HttpResponse(roster.template_xlsx(), content_type=roster.XLSX_TYPE)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''%E4%BC%9A%E5%91%98%E5%90%8D%E5%86%8C.xlsx"
    return response


@staff_view(roster.IMPORT_PERM)
def import_detail(request, pk):
    upload = RosterImport.objects.select_related(
        "union", "uploaded_by", "validation_job__result_file", "commit_job__result_file"
    ).get_visible_or_404(request.user, roster.IMPORT_PERM, pk=pk)
    busy = upload.status in (RosterImportStatus.VALIDATING, RosterImportStatus.COMMITTING)
    job = (
        upload.commit_job
        if upload.status
        in (RosterImportStatus.COMMITTING, RosterImportStatus.COMMITTED, RosterImportStatus.FAILED)
        else upload.validation_job
    )
    latest = upload.commit_job or upload.validation_job
    corrections = latest.result_file if latest and upload.status == RosterImportStatus.INVALID else None
    context = {
        "upload": upload,
        "busy": busy,
        "job": job,
        "problems": upload.problems or {},
        "corrections": corrections if upload.error_count else None,
        "can_commit": upload.status in (RosterImportStatus.READY, RosterImportStatus.FAILED),
    }
    template = "members/work/_import_status.html" if request.htmx else "members/work/import_detail.html"
    return render(request, template, context)


@require_POST
@staff_view(roster.IMPORT_PERM)
def import_commit(request, pk):
    upload = RosterImport.objects.get_visible_or_404(request.user, roster.IMPORT_PERM, pk=pk)
    try:
        roster.commit_roster(actor=request.user, roster=upload)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The import has started; the page shows its progress."))
    return redirect("members:import_detail", pk=pk)
