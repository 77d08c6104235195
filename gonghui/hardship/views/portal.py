"""The member side: the self-test (nothing is stored), the application, and my file."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gonghui.core.forms import apply_errors
from gonghui.core.permissions import signed_in
from gonghui.hardship import services
from gonghui.hardship.choices import Exclusion, Tier
from gonghui.hardship.forms import ApplyForm, MemberFormSet, SelfTestForm
from gonghui.hardship.models import HardshipFile


def self_test(request):
    form = SelfTestForm(request.POST or None)
    result = policy = None
    if request.method == "POST" and form.is_valid():
        try:
            result, policy = services.self_test(region=form.cleaned_data["region"],
                                                size=form.cleaned_data["household_size"],
                                                annual_income=form.cleaned_data["annual_income"], facts=form.facts())
        except ValidationError as error:
            apply_errors(form, error)
    return render(request, "hardship/portal/self_test.html", {
        "form": form, "result": result, "policy": policy,
        "tier_label": dict(Tier.choices).get(result.tier) if result else None,
        "exclusion_labels": [dict(Exclusion.choices)[c] for c in result.exclusions] if result else [],
    })


@signed_in
def apply(request):
    form = ApplyForm(request.POST or None, request.FILES or None)
    members = MemberFormSet(request.POST or None, prefix="m",
                            initial=[{"name": getattr(getattr(request.user, "person", None), "name", ""),
                                      "relation": "self"}])
    if request.method == "POST" and form.is_valid() and members.is_valid():
        try:
            created, _created = services.apply(
                actor=request.user, region=form.cleaned_data["region"],
                members=[m for m in members.cleaned_data if m], facts=form.facts(),
                narrative=form.cleaned_data["narrative"],
                idempotency_key=f"hardship:{request.user.pk}:{form.cleaned_data['idempotency_key']}",
                uploads=form.cleaned_data["attachments"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Application %(ref)s received. Your union will contact you for a home visit.")
                             % {"ref": created.reference})
            return redirect("hall:my_request", reference=created.reference)
    return render(request, "hardship/portal/apply.html", {"form": form, "members": members})


@signed_in
def my_file(request):
    files = HardshipFile.objects.visible_to(request.user, "hardship.own").filter(person__user=request.user)
    return render(request, "hardship/portal/my_file.html", {
        "files": files.select_related("owner_organization").prefetch_related("aid")})
