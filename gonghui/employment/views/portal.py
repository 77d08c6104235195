"""The job seeker's side: jobs, quick match, profile, applications, fairs and tickets."""

import io

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gonghui.core import consent
from gonghui.core.forms import apply_errors
from gonghui.core.models import ConsentPurpose
from gonghui.core.pagination import keyset_page
from gonghui.core.permissions import signed_in
from gonghui.employment import fairs, matching, selectors, services
from gonghui.employment.choices import FairStatus, PostingStatus
from gonghui.employment.forms import ApplyForm, QuickMatchForm, SeekerForm
from gonghui.employment.models import (
    Application,
    FairRegistration,
    JobFair,
    JobPosting,
    Recommendation,
    SeekerProfile,
)
from gonghui.members.models import Person

CONSENT_VERSION = "hr-share-2026-1"  # Consent.version holds 20 characters


def jobs(request):
    qs = selectors.live_postings().select_related("employer__enterprise", "region")
    region = request.GET.get("region", "")[:6]
    if region:
        qs = qs.filter(region_id=region)
    page = keyset_page(qs, sort="-published_at", cursor=request.GET.get("cursor"), size=20)
    return render(request, "employment/portal/jobs.html", {"page": page, "region": region,
                                                           "regions": QuickMatchForm().fields["region"].queryset})


def quick_match(request):
    """Quick match: a few words about the work wanted, the engine ranks the live postings with reasons.
    Nothing is saved (the same service answers POST /api/v1/employment/match)."""
    form = QuickMatchForm(request.GET or None)
    results = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        results = matching.quick_match(text=data["q"], region=data["region"].code if data["region"] else "",
                                       salary=data["salary"], education=data["education"] or "",
                                       experience_years=data["experience_years"], k=20)
    return render(request, "employment/portal/match.html", {"form": form, "results": results})


def posting(request, pk):
    posting = JobPosting.objects.select_related("employer__enterprise", "region", "industry").filter(
        pk=pk, status=PostingStatus.PUBLISHED).first()
    if posting is None:
        raise Http404
    applied = None
    if request.user.is_authenticated:
        applied = Application.objects.filter(posting=posting, seeker__user=request.user).first()
    return render(request, "employment/portal/posting.html", {"posting": posting, "form": ApplyForm.fresh(),
                                                              "applied": applied})


@require_POST
@signed_in
def apply(request, pk):
    posting = JobPosting.objects.filter(pk=pk, status=PostingStatus.PUBLISHED).first()
    if posting is None:
        raise Http404
    form = ApplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form has expired; reload the page."))
        return redirect("employment:posting", pk=pk)
    try:
        _application, created = services.apply(actor=request.user, posting=posting, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        if not SeekerProfile.objects.filter(user=request.user).exists():
            return redirect("employment:profile")
        return redirect("employment:posting", pk=pk)
    messages.success(request, _("Your application was sent. Follow its progress here."))
    return redirect("employment:applications")


@signed_in
def profile(request):
    existing = SeekerProfile.objects.filter(user=request.user).first()
    if existing is not None:
        initial = {
            "name": existing.name, "mobile": existing.mobile, "summary": existing.summary,
            "desired_occupations": ", ".join(existing.desired_occupations),
            "desired_regions": existing.desired_regions, "desired_salary": existing.desired_salary,
            "skills": ", ".join(existing.skills), "education": existing.education,
            "experience_years": existing.experience_years, "priority_groups": existing.priority_groups,
            "contact_visibility": existing.contact_visibility, "is_active": existing.is_active,
            "share_with_hr_bureau": consent.has_consent(existing, ConsentPurpose.SHARE_HR_BUREAU),
        }
        if existing.certificates:
            initial["certificate"] = existing.certificates[0].get("name", "")
            initial["certificate_level"] = existing.certificates[0].get("level", "")
    else:
        person = Person.objects.select_related("employer").filter(user=request.user).first()
        initial = {"contact_visibility": "applied", "education": "any", "is_active": True,
                   "mobile": request.user.mobile or ""} | services.prefill_from_person(person)
    form = SeekerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_seeker_profile(actor=request.user, **form.service_data())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            share = form.cleaned_data["share_with_hr_bureau"]
            if share and not consent.has_consent(saved, ConsentPurpose.SHARE_HR_BUREAU):
                consent.grant(actor=request.user, subject=saved, purpose=ConsentPurpose.SHARE_HR_BUREAU,
                              version=CONSENT_VERSION)
            elif not share:
                consent.withdraw(actor=request.user, subject=saved, purpose=ConsentPurpose.SHARE_HR_BUREAU)
            messages.success(request, _("Your profile is saved."))
            return redirect("employment:profile")
    recommendations = []
    if existing is not None:
        latest = existing.recommendations.values_list("run_on", flat=True).first()
        recommendations = [
            {"posting": r.posting, "score": r.score, "reasons": matching.render_reasons(r.reasons)}
            for r in Recommendation.objects.filter(seeker=existing, run_on=latest,
                                                   posting__status=PostingStatus.PUBLISHED).select_related(
                "posting__employer__enterprise", "posting__region")[:10]
        ] if latest else []
    return render(request, "employment/portal/profile.html", {"form": form, "profile": existing,
                                                              "recommendations": recommendations})


@signed_in
def applications(request):
    mine = Application.objects.visible_to(request.user, "employment.own").filter(
        seeker__user=request.user).select_related("posting__employer__enterprise").prefetch_related("events")
    return render(request, "employment/portal/applications.html", {"applications": mine})


@require_POST
@signed_in
def withdraw(request, pk):
    application = Application.objects.filter(pk=pk, seeker__user=request.user).first()
    if application is None:
        raise Http404
    try:
        services.withdraw_application(actor=request.user, application=application)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Application withdrawn."))
    return redirect("employment:applications")


def fair_list(request):
    upcoming = JobFair.objects.filter(ends_at__gte=timezone.now()).order_by("starts_at", "id")[:50]
    return render(request, "employment/portal/fairs.html", {"fairs": upcoming})


def fair(request, pk):
    fair = JobFair.objects.filter(pk=pk).first()
    if fair is None:
        raise Http404
    registration = None
    if request.user.is_authenticated:
        registration = FairRegistration.objects.filter(fair=fair, seeker__user=request.user).first()
    booths = fair.booths.select_related("employer__enterprise").prefetch_related("postings")
    return render(request, "employment/portal/fair.html", {
        "fair": fair, "booths": booths, "registration": registration, "open": fair.status == FairStatus.OPEN,
        "ticket_code": fairs.ticket_token(registration) if registration else "",
        "seats_left": max(fair.quota - fair.registered, 0)})


@require_POST
@signed_in
def fair_register(request, pk):
    fair = JobFair.objects.filter(pk=pk).first()
    if fair is None:
        raise Http404
    try:
        fairs.register(actor=request.user, fair=fair)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You have a seat. Show the QR ticket at the entrance."))
    return redirect("employment:fair", pk=pk)


@signed_in
def ticket(request, pk):
    """The seeker's QR ticket (SVG) for a fair: a signed token, nothing enumerable."""
    registration = FairRegistration.objects.filter(fair_id=pk, seeker__user=request.user).first()
    if registration is None:
        raise Http404
    token = fairs.ticket_token(registration)
    buffer = io.BytesIO()
    segno.make(token, error="m").save(buffer, kind="svg", scale=4, border=2)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response
