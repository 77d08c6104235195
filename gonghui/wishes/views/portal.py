"""The public wish wall, donors, and workers' own wishes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gonghui.core.forms import apply_errors
from gonghui.core.pagination import keyset_page
from gonghui.core.permissions import signed_in
from gonghui.orgs.models import Region
from gonghui.wishes import services
from gonghui.wishes.choices import DonorStatus, WishCategory, WishStatus
from gonghui.wishes.forms import DonorForm, WishForm
from gonghui.wishes.models import Donor, Recommendation, Wish


def wall(request):
    """Published wishes without identifying data; the fulfilled ones form the public record."""
    show = request.GET.get("show", "open")
    status = WishStatus.RECEIVED if show == "done" else WishStatus.PUBLISHED
    qs = Wish.objects.filter(status=status).select_related("region", "donor").only(
        "id", "public_title", "public_text", "category", "amount", "region__name", "published_at", "status",
        "donor__name", "received_at")
    category, region = request.GET.get("category", ""), request.GET.get("region", "")
    if category in WishCategory.values:
        qs = qs.filter(category=category)
    if region:
        qs = qs.filter(region_id=region[:6])
    page = keyset_page(qs, sort="-published_at", cursor=request.GET.get("cursor"), size=20)
    donor = Donor.objects.filter(user=request.user).first() if request.user.is_authenticated else None
    recommendations = []
    if donor and donor.status == DonorStatus.APPROVED:
        latest = donor.recommendations.order_by("-run_id").values_list("run_id", flat=True).first()
        recommendations = Recommendation.objects.filter(donor=donor, run_id=latest, wish__status=WishStatus.PUBLISHED
                                                        ).select_related("wish__region")
    return render(request, "wishes/portal/wall.html", {
        "page": page, "show": show, "category": category, "region": region, "categories": WishCategory.choices,
        "regions": Region.objects.filter(parent__isnull=False), "donor": donor, "recommendations": recommendations,
    })


@require_POST
@signed_in
def claim(request, pk):
    wish = Wish.objects.filter(pk=pk, status__in=[WishStatus.PUBLISHED, WishStatus.CLAIMED]).first()
    if wish is None:
        raise Http404
    try:
        services.claim(actor=request.user, wish=wish)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you! The union will contact you to arrange the delivery."))
    return redirect("wishes:wall")


@signed_in
def donor(request):
    existing = Donor.objects.filter(user=request.user).first()
    form = DonorForm(request.POST or None)
    if existing is None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.register_donor(actor=request.user, kind=data["kind"], name=data["name"], uscc=data["uscc"],
                                    categories=data["categories"], regions=[r.code for r in data["regions"]],
                                    budget=data["budget"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Thank you for registering. The union will approve your account shortly."))
            return redirect("wishes:donor")
    return render(request, "wishes/portal/donor.html", {"donor": existing, "form": form})


@signed_in
def mine(request):
    wishes = Wish.objects.visible_to(request.user, "wishes.own").filter(person__user=request.user)
    form = WishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_wish(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your wish was sent to your union for verification."))
            return redirect("wishes:mine")
    return render(request, "wishes/portal/mine.html", {"wishes": wishes, "form": form})


@require_POST
@signed_in
def receive(request, pk):
    wish = Wish.objects.visible_to(request.user, "wishes.own").filter(pk=pk, person__user=request.user).first()
    if wish is None:
        raise Http404
    try:
        services.confirm_receipt(actor=request.user, wish=wish)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you for confirming."))
    return redirect("wishes:mine")


@signed_in
def certificate(request, pk):
    """The donor's certificate; also open to the union staff who handle the wish."""
    wish = Wish.objects.select_related("donor", "owner_organization").filter(pk=pk).first()
    if wish is None or not (
        (wish.donor and wish.donor.user_id == request.user.pk)
        or Wish.objects.visible_to(request.user, "wishes.manage").filter(pk=pk).exists()
    ):
        raise Http404
    try:
        data = services.certificate_pdf(wish)
    except ValidationError:
        raise Http404
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{wish.pk}.pdf"'
    return response
