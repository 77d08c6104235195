"""Workbench pages for union establishment (组建): the backlog per district and the cases."""

import re
import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gonghui.core.forms import apply_errors
from gonghui.core.jobs import start_job
from gonghui.core.pagination import keyset_page
from gonghui.core.permissions import staff_view
from gonghui.organizing import establishment as services
from gonghui.organizing.models.establishment import (
    CaseStatus,
    EstablishmentCase,
    EstablishmentOutcome,
    PreparatoryMember,
    PreparatoryRole,
)
from gonghui.orgs.choices import UNION_KINDS
from gonghui.orgs.models import Enterprise, Organization, Region
from gonghui.orgs.validators import normalise_uscc

PAGE_SIZE = 30
_SPLIT = re.compile(r"[\n\r,，、;；]+")


def _names(text: str) -> list[str]:
    return [part.strip() for part in _SPLIT.split(text or "") if part.strip()]


class CaseOpenForm(forms.Form):
    upper = forms.ModelChoiceField(label=gettext_lazy("Upper union"), queryset=Organization.objects.none(),
                                   help_text=gettext_lazy("It guides the case, approves the election and the new "
                                                          "union is placed under it."))
    outcome = forms.ChoiceField(label=gettext_lazy("What is set up"), choices=EstablishmentOutcome.choices)
    proposed_name = forms.CharField(label=gettext_lazy("Name of the new union"), max_length=120)
    enterprises = forms.CharField(
        label=gettext_lazy("Enterprises (unified social credit codes)"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One code per line; several for a joint union or a federation."))
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["upper"].queryset = Organization.objects.visible_to(user, "organizing.establish").exclude(
            kind__in=UNION_KINDS).order_by("path")

    def clean_enterprises(self):
        codes = []
        for raw in _names(self.cleaned_data["enterprises"]):
            try:
                code = normalise_uscc(raw)
            except ValidationError as error:
                raise ValidationError(f"{raw[:20]}: {error.messages[0]}")
            if code not in codes:
                codes.append(code)
        if not codes:
            raise ValidationError(_("Enter at least one unified social credit code."))
        if len(codes) > 200:
            raise ValidationError(_("At most 200 enterprises in one case."))
        found = {e.uscc: e for e in Enterprise.objects.visible_to(self.user, "organizing.establish").filter(
            uscc__in=codes)}
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise ValidationError(_("No enterprise in your organisations has the code %(codes)s.")
                                  % {"codes": ", ".join(unknown[:5])})
        return [found[c] for c in codes]


class MemberForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=60)
    role = forms.ChoiceField(label=gettext_lazy("Role in the group"), choices=PreparatoryRole.choices,
                             initial=PreparatoryRole.MEMBER)
    job_title = forms.CharField(label=gettext_lazy("Job title"), max_length=60, required=False)


class ElectionForm(forms.Form):
    election_date = forms.DateField(label=gettext_lazy("Election date"),
                                    widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    committee = forms.CharField(label=gettext_lazy("Committee members elected"),
                                widget=forms.Textarea(attrs={"rows": 4}),
                                help_text=gettext_lazy("One name per line (or separated by 、), an odd number."))
    chair_name = forms.CharField(label=gettext_lazy("Chair"), max_length=60)

    def clean_committee(self):
        return _names(self.cleaned_data["committee"])


class NoteForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Note (optional)"), max_length=300, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300,
                             widget=forms.Textarea(attrs={"rows": 2}))


def _filters(source) -> dict:
    return {"region": source.get("region", "")[:6], "query": source.get("q", "").strip()[:64],
            "with_case": source.get("case", "") if source.get("case", "") in ("yes", "no") else ""}


@staff_view("organizing.establish")
def backlog(request):
    filters = _filters(request.GET)
    qs = services.list_backlog(request.user, region=filters["region"], query=filters["query"],
                               with_case=filters["with_case"])
    page = keyset_page(qs, sort="name", cursor=request.GET.get("cursor"), size=PAGE_SIZE)
    by_district = services.backlog_by_district(services.list_backlog(request.user))
    return render(request, "organizing/work/establishment_backlog.html", {
        "page": page, "filters": filters, "by_district": by_district,
        "backlog_total": sum(row["n"] for row in by_district),
        "rate": services.establishment_rate(Enterprise.objects.visible_to(request.user, "organizing.establish")),
        "regions": Region.objects.filter(parent__isnull=False),
        "can_export": request.user.has_gonghui_perm("data.export"),
    })


@require_POST
@staff_view("organizing.establish")
def backlog_export(request):
    if not request.user.has_gonghui_perm("data.export"):
        raise PermissionDenied
    filters = _filters(request.POST)
    job = start_job(actor=request.user, kind="organizing.export_backlog", params={
        "region": filters["region"], "q": filters["query"], "case": filters["with_case"],
        "lang": request.LANGUAGE_CODE})
    return redirect("core:job_detail", pk=job.pk)


@staff_view("organizing.establish")
def case_list(request):
    status = request.GET.get("status", "")
    qs = services.list_cases(request.user, status=status)
    page = keyset_page(qs, sort="-opened_at", cursor=request.GET.get("cursor"), size=PAGE_SIZE)
    return render(request, "organizing/work/establishment_case_list.html", {
        "page": page, "status": status, "statuses": CaseStatus.choices})


@staff_view("organizing.establish")
def case_new(request):
    initial = {"idempotency_key": uuid.uuid4().hex, "outcome": EstablishmentOutcome.GRASSROOTS}
    picked = request.GET.get("enterprise", "")
    if picked.isdigit():
        enterprise = Enterprise.objects.get_visible_or_404(request.user, "organizing.establish", pk=picked)
        initial.update(enterprises=enterprise.uscc, proposed_name=_("%(name)s Trade Union") % {
            "name": enterprise.name}, upper=enterprise.owner_organization_id)
    form = CaseOpenForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.open_case(
                actor=request.user, upper=data["upper"], outcome=data["outcome"],
                proposed_name=data["proposed_name"], enterprises=data["enterprises"],
                idempotency_key=f"web:{data['idempotency_key']}")
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Establishment case opened. Now list the preparatory group."))
            return redirect("organizing:establishment_case_detail", pk=case.pk)
    return render(request, "organizing/work/establishment_case_form.html", {"form": form})


def _case(request, pk, perm="organizing.establish") -> EstablishmentCase:
    return EstablishmentCase.objects.select_related("owner_organization", "union", "opened_by", "decided_by") \
        .get_visible_or_404(request.user, perm, pk=pk)


def _render_case(request, case, status=200, **bound):
    user = request.user
    can_run = case.is_open
    can_decide = (case.status == CaseStatus.ELECTED and user.has_gonghui_perm("organizing.approve")
                  and EstablishmentCase.objects.visible_to(user, "organizing.approve").filter(pk=case.pk).exists())
    context = {
        "case": case,
        "enterprises": case.enterprises.select_related("region", "union").order_by("name"),
        "group": case.preparatory_members.all(),
        "events": case.events.select_related("actor"),
        "member_form": bound.get("member_form") or (MemberForm() if case.status == CaseStatus.PREPARING else None),
        "election_form": bound.get("election_form") or (
            ElectionForm(initial={"election_date": timezone.localdate()})
            if case.status == CaseStatus.PREPARING else None),
        "approve_form": bound.get("approve_form") or (NoteForm() if can_decide else None),
        "return_form": bound.get("return_form") or (ReasonForm(prefix="return") if can_decide else None),
        "abandon_form": bound.get("abandon_form") or (ReasonForm(prefix="abandon") if can_run else None),
        "min_group": services.MIN_PREPARATORY_MEMBERS,
    }
    return render(request, "organizing/work/establishment_case_detail.html", context, status=status)


@staff_view("organizing.establish")
def case_detail(request, pk):
    return _render_case(request, _case(request, pk))


def _step(perm, form_class, form_name, call, success, prefix=None):
    """A POST that runs one service step: field errors come back on the page, success redirects."""

    @require_POST
    @staff_view(perm)
    def view(request, pk, **kwargs):
        case = _case(request, pk, perm)
        form = form_class(request.POST, prefix=prefix)
        if form.is_valid():
            try:
                call(request, case, form.cleaned_data, **kwargs)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, success)
                return redirect("organizing:establishment_case_detail", pk=case.pk)
        messages.error(request, _("Please correct the errors below."))
        return _render_case(request, _case(request, pk), status=200, **{form_name: form})

    view.required_perm = perm
    return view


member_add = _step("organizing.establish", MemberForm, "member_form", lambda r, c, d: services.add_preparatory_member(
    actor=r.user, case=c, name=d["name"], role=d["role"], job_title=d["job_title"]),
    gettext_lazy("Added to the preparatory group."))
election = _step("organizing.establish", ElectionForm, "election_form", lambda r, c, d: services.record_election(
    actor=r.user, case=c, election_date=d["election_date"], committee=d["committee"], chair_name=d["chair_name"]),
    gettext_lazy("Election recorded; the upper union can now approve it."))
approve = _step("organizing.approve", NoteForm, "approve_form", lambda r, c, d: services.approve(
    actor=r.user, case=c, note=d["note"]), gettext_lazy("Approved: the new union is in the organisation tree."))
return_case = _step("organizing.approve", ReasonForm, "return_form", lambda r, c, d: services.return_case(
    actor=r.user, case=c, reason=d["reason"]), gettext_lazy("The election was sent back to the preparatory group."),
    prefix="return")
abandon = _step("organizing.establish", ReasonForm, "abandon_form", lambda r, c, d: services.abandon(
    actor=r.user, case=c, reason=d["reason"]), gettext_lazy("Case abandoned; the enterprises are back on the backlog."),
    prefix="abandon")


@require_POST
@staff_view("organizing.establish")
def member_remove(request, pk, member_pk):
    case = _case(request, pk)
    member = PreparatoryMember.objects.filter(case=case, pk=member_pk).first()
    if member is None:
        raise Http404
    try:
        services.remove_preparatory_member(actor=request.user, member=member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Removed from the preparatory group."))
    return redirect("organizing:establishment_case_detail", pk=case.pk)
