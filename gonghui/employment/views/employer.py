"""The employer portal: account, postings, applicants and recommended seekers."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gonghui.core.forms import apply_errors
from gonghui.core.masking import mask_mobile, mask_name
from gonghui.core.permissions import signed_in
from gonghui.employment import checks, matching, services
from gonghui.employment.choices import ContactVisibility, EmployerStatus, PostingStatus
from gonghui.employment.forms import EmployerForm, MoveForm, PostingForm
from gonghui.employment.models import Application, Employer, JobPosting, SeekerProfile


def _employer(request) -> Employer | None:
    return Employer.objects.select_related("enterprise").filter(user=request.user).first()


def _own_posting(request, pk) -> JobPosting:
    """The signed-in employer's posting; a suspended or refused employer no longer sees it (nor its applicants)."""
    posting = JobPosting.objects.select_related("employer__enterprise", "region", "industry").filter(
        pk=pk, employer__user=request.user, employer__status=EmployerStatus.APPROVED).first()
    if posting is None:
        raise Http404
    return posting


@signed_in
def home(request):
    employer = _employer(request)
    refused = employer is not None and employer.status == EmployerStatus.REJECTED
    initial = {"uscc": employer.enterprise.uscc, "contact_name": employer.contact_name,
               "contact_phone": employer.contact_phone} if refused else None
    form = EmployerForm(request.POST or None, initial=initial)
    if (employer is None or refused) and request.method == "POST" and form.is_valid():
        try:
            services.register_employer(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Thank you. The union will check and approve your employer account."))
            return redirect("employment:employer")
    postings = employer.postings.order_by("-created_at")[:100] if employer else []
    return render(request, "employment/employer/home.html", {"employer": employer, "form": form,
                                                             "postings": postings})


def _posting_initial(posting: JobPosting) -> dict:
    return {"title": posting.title, "occupation_code": posting.occupation_code, "industry": posting.industry_id,
            "region": posting.region_id, "salary_min": posting.salary_min, "salary_max": posting.salary_max,
            "salary_months": posting.salary_months, "salary_negotiable": posting.salary_negotiable,
            "education": posting.education, "experience_years": posting.experience_years,
            "skills": ", ".join(posting.skills), "headcount": posting.headcount, "benefits": posting.benefits,
            "contact_name": posting.contact_name, "contact_phone": posting.contact_phone,
            "closes_on": posting.closes_on, "description": posting.description,
            "campaigns": list(posting.campaigns.values_list("pk", flat=True))}


@signed_in
def posting_new(request):
    employer = _employer(request)
    if employer is None:
        return redirect("employment:employer")
    initial = {"contact_name": employer.contact_name, "contact_phone": employer.contact_phone,
               "region": employer.enterprise.region_id, "industry": employer.enterprise.industry_id}
    form = PostingForm(request.POST or None, initial=initial, employer=employer)
    if request.method == "POST" and form.is_valid():
        try:
            posting = services.submit_posting(actor=request.user, **form.service_data())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your posting was sent to the union for review."))
            return redirect("employment:employer_posting", pk=posting.pk)
    return render(request, "employment/employer/posting_form.html", {"form": form, "employer": employer})


@signed_in
def posting_edit(request, pk):
    posting = _own_posting(request, pk)
    form = PostingForm(request.POST or None, initial=_posting_initial(posting), employer=posting.employer)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_posting(actor=request.user, posting=posting, **form.service_data())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved; the posting goes back to the union for review."))
            return redirect("employment:employer_posting", pk=posting.pk)
    return render(request, "employment/employer/posting_form.html", {"form": form, "posting": posting,
                                                                     "employer": posting.employer})


@signed_in
def posting_detail(request, pk):
    posting = _own_posting(request, pk)
    applications = posting.applications.select_related("seeker").order_by("-created_at")
    recommended = []
    if posting.status == PostingStatus.PUBLISHED:
        for match in matching.seekers_for_posting(posting, k=10):
            seeker = match["seeker"]
            if seeker.contact_visibility == ContactVisibility.PRIVATE:
                continue  # they contact employers themselves: not offered to employers
            recommended.append({"name": mask_name(seeker.name), "seeker": seeker, "score": match["score"],
                                "reasons": match["reasons"], "mobile": mask_mobile(seeker.mobile)})
    findings = [{"label": checks.finding_label(f["code"]), **f} for f in posting.findings]
    return render(request, "employment/employer/posting.html", {
        "posting": posting, "applications": applications, "recommended": recommended, "findings": findings,
        "move_form": MoveForm()})


@require_POST
@signed_in
def posting_close(request, pk):
    posting = _own_posting(request, pk)
    services.close_posting(actor=request.user, posting=posting)
    messages.success(request, _("The posting is closed."))
    return redirect("employment:employer_posting", pk=pk)


@require_POST
@signed_in
def move(request, pk):
    application = Application.objects.filter(pk=pk, posting__employer__user=request.user).first()
    if application is None:
        raise Http404
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            services.move_application(actor=request.user, application=application, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Choose the next step."))
    return redirect("employment:employer_posting", pk=application.posting_id)


@require_POST
@signed_in
def contact(request, pk):
    """Show a seeker's mobile in full, if the seeker allows this employer; the read is audited."""
    employer = _employer(request)
    seeker = SeekerProfile.objects.filter(pk=pk, is_active=True).first()
    if employer is None or seeker is None:
        raise Http404
    try:
        mobile = services.reveal_contact(actor=request.user, seeker=seeker)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.info(request, _("%(name)s: %(mobile)s") % {"name": seeker.name, "mobile": mobile})
    return redirect(request.POST.get("next") if str(request.POST.get("next", "")).startswith("/employer/")
                    else "employment:employer")
