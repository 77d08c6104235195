"""Staff pages: employer approval, posting review, seekers, fairs and campaigns, data exchange, analysis."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gonghui.core.forms import run_action
from gonghui.core.jobs import start_job
from gonghui.core.models import PrivateFile
from gonghui.core.pagination import keyset_page
from gonghui.core.permissions import staff_view
from gonghui.employment import checks, exchange, fairs, selectors, services
from gonghui.employment.choices import EmployerStatus, PostingStatus
from gonghui.employment.forms import (
    BoothForm,
    CampaignForm,
    CheckInForm,
    DecisionForm,
    ExportForm,
    FairForm,
    ImportForm,
    ReviewForm,
)
from gonghui.employment.models import Campaign, Employer, FairRegistration, JobFair, JobPosting, SeekerProfile


def _home_org(user, perm):
    orgs = user.role_organizations(perm)
    return min(orgs, key=lambda o: o.depth) if orgs else None


@staff_view("employment.view")
def dashboard(request):
    if request.method == "POST":
        job = start_job(actor=request.user, kind="employment.export_dashboard",
                        params={"lang": request.LANGUAGE_CODE}, organization=_home_org(request.user, "employment.view"))
        return redirect("core:job_detail", pk=job.pk)
    d = selectors.dashboard(request.user)
    bands = [(_("Negotiable") if b["low"] is None else f"{b['low']}+" if b["high"] is None
              else f"{b['low']}-{b['high']}", b["count"]) for b in d["salary_bands"]]
    charts = {
        "salary": {"type": "bar", "labels": [str(label) for label, _n in bands], "values": [n for _l, n in bands]},
        "district": {"type": "bar", "labels": [name for name, _n in d["by_district"]],
                     "values": [n for _name, n in d["by_district"]]},
        "industry": {"type": "pie", "data": [{"name": name, "value": n} for name, n in d["by_industry"]]},
    }
    return render(request, "employment/work/dashboard.html", {"d": d, "charts": charts})


@staff_view("employment.review")
def employer_list(request):
    status = request.GET.get("status", EmployerStatus.PENDING)
    qs = Employer.objects.visible_to(request.user, "employment.review").select_related("enterprise", "user")
    if status in EmployerStatus.values:
        qs = qs.filter(status=status)
    page = keyset_page(qs, sort="-created_at", cursor=request.GET.get("cursor"), size=30)
    return render(request, "employment/work/employers.html", {"page": page, "status": status,
                                                              "statuses": EmployerStatus.choices})


@require_POST
@staff_view("employment.review")
def employer_decide(request, pk):
    employer = Employer.objects.get_visible_or_404(request.user, "employment.review", pk=pk)
    run_action(request, DecisionForm(request.POST), lambda d: services.decide_employer(
        actor=request.user, employer=employer, approve=d["decision"] == "approve", note=d["note"]), _("Saved."))
    return redirect("employment:employer_list")


@staff_view("employment.review")
def posting_list(request):
    status = request.GET.get("status", PostingStatus.PENDING)
    qs = JobPosting.objects.visible_to(request.user, "employment.review").select_related(
        "employer__enterprise", "region")
    if status in PostingStatus.values:
        qs = qs.filter(status=status)
    page = keyset_page(qs, sort="-created_at", cursor=request.GET.get("cursor"), size=30)
    return render(request, "employment/work/postings.html", {"page": page, "status": status,
                                                             "statuses": PostingStatus.choices})


@staff_view("employment.review")
def posting_review(request, pk):
    posting = JobPosting.objects.select_related("employer__enterprise", "region", "industry").get_visible_or_404(
        request.user, "employment.review", pk=pk)
    findings = [{"label": checks.finding_label(f["code"]), **f} for f in posting.findings]
    tagged = list(posting.campaigns.order_by("name"))
    form = ReviewForm(posting=posting, initial={"campaigns": [c.pk for c in tagged]})
    return render(request, "employment/work/posting.html", {
        "posting": posting, "findings": findings, "banned": any(f["severity"] == "ban" for f in findings),
        "form": form, "campaigns": tagged, "applications": posting.applications.count()})


@require_POST
@staff_view("employment.review")
def posting_decide(request, pk):
    posting = JobPosting.objects.select_related("employer").get_visible_or_404(request.user, "employment.review", pk=pk)
    approve = request.POST.get("decision") == "approve"
    run_action(request, ReviewForm(request.POST, posting=posting), lambda d: services.review_posting(
        actor=request.user, posting=posting, approve=approve, note=d["note"], campaigns=d["campaigns"]),
        _("Published.") if approve else _("Returned to the employer."))
    return redirect("employment:posting_review", pk=pk)


@staff_view("employment.view")
def seeker_list(request):
    qs = SeekerProfile.objects.visible_to(request.user, "employment.view").filter(is_active=True)
    page = keyset_page(qs, sort="-updated_at", cursor=request.GET.get("cursor"), size=30)
    return render(request, "employment/work/seekers.html", {"page": page})


@staff_view("employment.manage")
def fair_list(request):
    fair_form = FairForm(request.POST or None, prefix="fair")
    campaign_form = CampaignForm(request.POST or None, prefix="campaign")
    campaigns = Campaign.objects.visible_to(request.user, "employment.manage")
    fair_form.fields["campaign"].queryset = campaigns
    home = _home_org(request.user, "employment.manage")
    if request.method == "POST":
        if "campaign-name" in request.POST:
            if run_action(request, campaign_form, lambda d: services.create_campaign(
                    actor=request.user, organization=home, **d), _("Campaign created.")):
                return redirect("employment:fair_list")
        elif run_action(request, fair_form, lambda d: fairs.create_fair(actor=request.user, organization=home, **d),
                        _("Fair created.")):
            return redirect("employment:fair_list")
    fair_qs = JobFair.objects.visible_to(request.user, "employment.manage").select_related("campaign")
    return render(request, "employment/work/fairs.html", {
        "fairs": fair_qs[:100], "campaigns": campaigns[:50], "fair_form": fair_form, "campaign_form": campaign_form})


@staff_view("employment.manage")
def fair_detail(request, pk):
    fair = JobFair.objects.get_visible_or_404(request.user, "employment.manage", pk=pk)
    employers = Employer.objects.visible_to(request.user, "employment.manage").filter(
        status=EmployerStatus.APPROVED).select_related("enterprise")
    return render(request, "employment/work/fair.html", {
        "fair": fair, "booths": fair.booths.select_related("employer__enterprise").prefetch_related("postings"),
        "registrations": FairRegistration.objects.filter(fair=fair).select_related("seeker")[:500],
        "employers": employers[:200], "results": fairs.results(fair), "checkin_form": CheckInForm(),
        "booth_form": BoothForm()})


@require_POST
@staff_view("employment.manage")
def fair_booth(request, pk):
    fair = JobFair.objects.get_visible_or_404(request.user, "employment.manage", pk=pk)
    form = BoothForm(request.POST)
    if form.is_valid():
        employer = Employer.objects.get_visible_or_404(request.user, "employment.manage",
                                                       pk=form.cleaned_data["employer"])
        postings = list(employer.postings.filter(status=PostingStatus.PUBLISHED))
        run_action(request, form, lambda d: fairs.add_booth(actor=request.user, fair=fair, employer=employer,
                                                            number=d["number"], postings=postings),
                   _("Booth added."))
    else:
        messages.error(request, _("Choose an employer."))
    return redirect("employment:fair_detail", pk=pk)


@require_POST
@staff_view("employment.manage")
def fair_checkin(request, pk):
    fair = JobFair.objects.get_visible_or_404(request.user, "employment.manage", pk=pk)
    form = CheckInForm(request.POST)
    if form.is_valid():
        try:
            registration = fairs.check_in(actor=request.user, fair=fair, token=form.cleaned_data["token"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Checked in: %(name)s") % {"name": registration.seeker.name})
    return redirect("employment:fair_detail", pk=pk)


@staff_view("employment.manage")
def exchange_page(request):
    import_form = ImportForm(prefix="imp")
    today = timezone.localdate()
    export_form = ExportForm(prefix="exp", initial={"since": today - timezone.timedelta(days=6), "until": today})
    home = _home_org(request.user, "employment.manage")
    if request.method == "POST" and "imp-file" in request.FILES:
        import_form = ImportForm(request.POST, request.FILES, prefix="imp")
        if import_form.is_valid():
            try:
                job = exchange.start_import(actor=request.user, upload=import_form.cleaned_data["file"],
                                            organization=home)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                return redirect("core:job_detail", pk=job.pk)
    elif request.method == "POST":
        export_form = ExportForm(request.POST, prefix="exp")
        if export_form.is_valid():
            d = export_form.cleaned_data
            job = start_job(actor=request.user, kind=f"employment.export_{d.get('what') or 'postings'}", organization=home,
                            params={"since": d["since"].isoformat(), "until": d["until"].isoformat()})
            return redirect("core:job_detail", pk=job.pk)
    archives = PrivateFile.objects.visible_to(request.user, "files.view", include_self=False).filter(
        purpose=exchange.ARCHIVE_PURPOSE).order_by("-created_at")[:20]
    return render(request, "employment/work/exchange.html", {"import_form": import_form, "export_form": export_form,
                                                             "columns": exchange.COLUMNS, "archives": archives})
