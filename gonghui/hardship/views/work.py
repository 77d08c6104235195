"""Staff pages: the hall panel for applications, files, budget lines and the 应帮尽帮 dashboard."""

import json
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gonghui.core import audit
from gonghui.core.crypto import blind_index
from gonghui.core.forms import apply_errors, run_action
from gonghui.core.pagination import keyset_page
from gonghui.core.permissions import staff_view
from gonghui.hardship import services
from gonghui.hardship.choices import Exclusion, FileStatus, Tier
from gonghui.hardship.forms import (
    BudgetLineForm,
    HomeVisitForm,
    IncomeForm,
    MemberFormSet,
    NoteForm,
    OnBehalfForm,
    OutcomeForm,
    PayForm,
    ReferralForm,
    ReopenForm,
)
from gonghui.hardship.models import AidRecord, BudgetLine, HardshipApplication, HardshipFile, Referral
from gonghui.members.models import Person
from gonghui.orgs.models import Organization


def application_panel(service_request, user) -> dict:
    """The hardship part of the hall's staff page (registered with the hall)."""
    # The hall page is reached with hall.view; the household's detail needs hardship.view over this request.
    if not type(service_request)._default_manager.visible_to(user, "hardship.view").filter(
            pk=service_request.pk).exists():
        return {}
    application = HardshipApplication.objects.filter(request=service_request).prefetch_related(
        "members", "visits__photos").first()
    if application is None:
        return {}
    can_verify = user.has_gonghui_perm("hardship.verify") and service_request.is_open
    # The household's finances and story are sensitive: showing them in full is an audited read.
    audit.record(actor=user, action="sensitive.read", obj=service_request,
                 after={"fields": ["household", "narrative", "home_visits"]})
    return {
        "application": application, "visit_form": HomeVisitForm() if can_verify else None,
        "exclusion_labels": [dict(Exclusion.choices).get(c, c) for c in application.exclusions],
        "relative_line": application.dibao_monthly * 2,
    }


def _post(request, form, call, success, target):
    run_action(request, form, call, success)
    return redirect(target)


@require_POST
@staff_view("hardship.verify")
def record_visit(request, pk):
    application = HardshipApplication.objects.select_related("request").filter(pk=pk).first()
    if application is None or not type(application.request)._default_manager.visible_to(
            request.user, "hardship.verify").filter(pk=application.request_id).exists():
        raise Http404
    form = HomeVisitForm(request.POST, request.FILES)
    return _post(request, form, lambda d: services.record_home_visit(
        actor=request.user, application=application, visited_on=d["visited_on"], visitors=d["visitors"],
        findings=d["findings"], photos=d["photos"]), _("Home visit recorded."),
        f"/work/hall/{application.request.reference}/")


@staff_view("hardship.view")
def dashboard(request):
    files = HardshipFile.objects.visible_to(request.user, "hardship.view")
    year_ago = timezone.localdate() - timedelta(days=365)
    by_tier = {row["tier"]: row["n"] for row in files.filter(status=FileStatus.ACTIVE).values("tier").annotate(
        n=Count("id"))}
    by_district = list(files.filter(status=FileStatus.ACTIVE).values("application__region__name").annotate(
        n=Count("id")).order_by("-n")[:20])
    aided = files.filter(aid__paid_on__gte=year_ago).distinct().count()
    active = sum(by_tier.values())
    aid_total = AidRecord.objects.filter(file__in=files, paid_on__gte=year_ago).aggregate(s=Sum("amount"))["s"] or 0
    charts = {
        "tier": {"type": "pie", "data": [{"name": str(label), "value": by_tier.get(code, 0)}
                                         for code, label in Tier.choices]},
        "district": {"type": "bar", "labels": [r["application__region__name"] for r in by_district],
                     "values": [r["n"] for r in by_district]},
    }
    return render(request, "hardship/work/dashboard.html", {
        "active": active, "aided": aided, "aid_total": aid_total,
        "coverage": round(100 * aided / active, 1) if active else None,
        "exited": files.filter(status=FileStatus.EXITED, exited_on__gte=year_ago).count(),
        "safety_net": files.filter(status=FileStatus.SAFETY_NET).count(),
        "charts": charts, "charts_json": json.dumps(charts, ensure_ascii=False),
        "budget": BudgetLine.objects.visible_to(request.user, "hardship.view").filter(
            year=timezone.localdate().year).aggregate(amount=Sum("amount"), spent=Sum("spent")),
    })


@staff_view("hardship.view")
def file_list(request):
    qs = HardshipFile.objects.visible_to(request.user, "hardship.view").select_related(
        "person", "owner_organization")
    tier, status = request.GET.get("tier", ""), request.GET.get("status", "active")
    if tier in Tier.values:
        qs = qs.filter(tier=tier)
    if status in FileStatus.values:
        qs = qs.filter(status=status)
    page = keyset_page(qs, sort="-opened_on", cursor=request.GET.get("cursor"), size=30)
    return render(request, "hardship/work/file_list.html", {
        "page": page, "tier": tier, "status": status, "tiers": Tier.choices, "statuses": FileStatus.choices,
        "today": timezone.localdate()})


def _file(request, pk, perm="hardship.view") -> HardshipFile:
    return HardshipFile.objects.select_related("person", "owner_organization", "application__region",
                                               "application__request").get_visible_or_404(request.user, perm, pk=pk)


@staff_view("hardship.view")
def file_detail(request, pk):
    file = _file(request, pk)
    audit.record(actor=request.user, action="sensitive.read", obj=file, after={"fields": ["incomes", "aid"]})
    lines = _payable_lines(request.user, file)
    return render(request, "hardship/work/file_detail.html", {
        "file": file, "incomes": file.incomes.all()[:24], "aid": file.aid.select_related("budget_line", "paid_by"),
        "events": file.events.select_related("actor")[:50], "referrals": file.referrals.all(),
        "exit": services.exit_status(file),
        "income_form": IncomeForm(), "pay_form": PayForm(lines=lines), "note_form": NoteForm(),
        "reopen_form": ReopenForm(), "referral_form": ReferralForm(), "outcome_form": OutcomeForm(),
        "can_pay": request.user.has_gonghui_perm("hardship.pay"),
        "can_decide": request.user.has_gonghui_perm("hardship.approve"),
    })


def _payable_lines(user, file):
    """Budget lines of the file's own union and the unions above it, this year, that the user may spend."""
    return BudgetLine.objects.visible_to(user, "hardship.pay").filter(
        Q(organization__path__in=file.owner_organization.ancestors_paths() + [file.owner_organization.path]),
        year=timezone.localdate().year)


def _file_action(perm, form_class, call, success):
    @require_POST
    @staff_view(perm)
    def view(request, pk):
        file = _file(request, pk, perm)
        kwargs = {"lines": _payable_lines(request.user, file)} if form_class is PayForm else {}
        form = form_class(request.POST, **kwargs)
        return _post(request, form, lambda d: call(request.user, file, d), success, f"/work/hardship/files/{pk}/")

    return view


record_income = _file_action("hardship.verify", IncomeForm, lambda u, f, d: services.record_monthly_income(
    actor=u, file=f, month=d["month"], household_income=d["household_income"],
    household_size=d["household_size"]), _("Income recorded."))
pay = _file_action("hardship.pay", PayForm, lambda u, f, d: services.pay_aid(
    actor=u, file=f, budget_line=d["budget_line"], amount=d["amount"], kind=d["kind"], note=d["note"],
    idempotency_key=f"web:{u.pk}:{d['idempotency_key']}"), _("Aid paid."))
exit_file = _file_action("hardship.approve", NoteForm, lambda u, f, d: services.exit_file(
    actor=u, file=f, note=d["note"]), _("The household is out of hardship."))
safety_net = _file_action("hardship.approve", NoteForm, lambda u, f, d: services.transfer_to_safety_net(
    actor=u, file=f, note=d["note"]), _("Transferred to the safety net."))
reopen = _file_action("hardship.approve", ReopenForm, lambda u, f, d: services.reopen_file(
    actor=u, file=f, tier=d["tier"], note=d["note"]), _("File reopened."))
refer = _file_action("hardship.verify", ReferralForm, lambda u, f, d: services.refer(
    actor=u, file=f, agency=d["agency"], note=d["note"]), _("Referral recorded."))


@require_POST
@staff_view("hardship.verify")
def referral_outcome(request, pk):
    referral = Referral.objects.select_related("file").filter(pk=pk).first()
    if referral is None:
        raise Http404
    _file(request, referral.file_id, "hardship.verify")
    form = OutcomeForm(request.POST)
    return _post(request, form, lambda d: services.record_referral_outcome(
        actor=request.user, referral=referral, outcome=d["outcome"], amount=d["amount"]), _("Outcome recorded."),
        f"/work/hardship/files/{referral.file_id}/")


@staff_view("hardship.verify")
def apply_on_behalf(request):
    form = OnBehalfForm(request.POST or None, request.FILES or None)
    members = MemberFormSet(request.POST or None, prefix="m")
    if request.method == "POST" and form.is_valid() and members.is_valid():
        person = Person.objects.visible_to(request.user, "members.view").filter(
            id_number_bidx=blind_index(form.cleaned_data["id_number"])).first()
        if person is None:
            form.add_error("id_number", _("No worker with this ID card number is on file in your organisations."))
        else:
            try:
                created, _created = services.apply(
                    actor=request.user, person=person, region=form.cleaned_data["region"],
                    members=[m for m in members.cleaned_data if m], facts=form.facts(),
                    narrative=form.cleaned_data["narrative"],
                    idempotency_key=f"hardship-staff:{request.user.pk}:{form.cleaned_data['idempotency_key']}",
                    uploads=form.cleaned_data["attachments"])
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Application %(ref)s entered.") % {"ref": created.reference})
                return redirect("hall:request_detail", reference=created.reference)
    return render(request, "hardship/work/apply.html", {"form": form, "members": members, "base": "work/base.html"})


@staff_view("hardship.view")
def budget_list(request):
    lines = BudgetLine.objects.visible_to(request.user, "hardship.view").select_related("organization").order_by(
        "-year", "organization__path", "kind")
    form = None
    if request.user.has_gonghui_perm("hardship.pay"):
        form = BudgetLineForm(request.POST or None, initial={"year": timezone.localdate().year},
                              organizations=Organization.objects.visible_to(request.user, "hardship.pay"))
        if request.method == "POST" and form.is_valid():
            try:
                services.create_budget_line(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Budget line created."))
                return redirect("hardship:budget_list")
    return render(request, "hardship/work/budget_list.html", {"lines": lines[:200], "form": form})
