"""Staff pages: verify and publish wishes, deliver them, approve donors, run the matching."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gonghui.core.forms import run_action
from gonghui.core.pagination import keyset_page
from gonghui.core.permissions import staff_view
from gonghui.wishes import services, tasks
from gonghui.wishes.choices import DonorStatus, WishStatus
from gonghui.wishes.forms import DeliveryForm, PublishForm, RejectForm
from gonghui.wishes.models import Donor, MatchRun, Wish


@staff_view("wishes.manage")
def wish_list(request):
    status = request.GET.get("status", WishStatus.SUBMITTED)
    qs = Wish.objects.visible_to(request.user, "wishes.manage").select_related("person", "region", "donor")
    if status in WishStatus.values:
        qs = qs.filter(status=status)
    page = keyset_page(qs, sort="-created_at", cursor=request.GET.get("cursor"), size=30)
    return render(request, "wishes/work/wish_list.html", {"page": page, "status": status,
                                                          "statuses": WishStatus.choices})


@staff_view("wishes.manage")
def wish_detail(request, pk):
    wish = Wish.objects.select_related("person", "donor", "region").get_visible_or_404(request.user, "wishes.manage",
                                                                                      pk=pk)
    return render(request, "wishes/work/wish_detail.html", {
        "wish": wish, "events": wish.events.all(),
        "publish_form": PublishForm(initial={"public_title": wish.get_category_display()}),
        "reject_form": RejectForm(), "delivery_form": DeliveryForm()})


def _act(request, pk, form, call, success):
    wish = Wish.objects.get_visible_or_404(request.user, "wishes.manage", pk=pk)
    run_action(request, form, lambda data: call(wish, data), success)
    return redirect("wishes:wish_detail", pk=pk)


@require_POST
@staff_view("wishes.manage")
def publish(request, pk):
    return _act(request, pk, PublishForm(request.POST), lambda w, d: services.publish_wish(
        actor=request.user, wish=w, **d), _("Published on the wall."))


@require_POST
@staff_view("wishes.manage")
def reject(request, pk):
    return _act(request, pk, RejectForm(request.POST), lambda w, d: services.reject_wish(
        actor=request.user, wish=w, reason=d["reason"]), _("Wish turned down."))


@require_POST
@staff_view("wishes.manage")
def deliver(request, pk):
    return _act(request, pk, DeliveryForm(request.POST, request.FILES), lambda w, d: services.confirm_delivery(
        actor=request.user, wish=w, photo=d["photo"]), _("Delivery recorded."))


@staff_view("wishes.manage")
def donor_list(request):
    donors = Donor.objects.visible_to(request.user, "wishes.manage").order_by("status", "-created_at")
    return render(request, "wishes/work/donor_list.html", {"donors": donors[:300]})


@require_POST
@staff_view("wishes.manage")
def donor_decide(request, pk):
    donor = Donor.objects.get_visible_or_404(request.user, "wishes.manage", pk=pk)
    services.decide_donor(actor=request.user, donor=donor, approve=request.POST.get("decision") == "approve")
    messages.success(request, _("Saved."))
    return redirect("wishes:donor_list")


@staff_view("wishes.manage")
def matching(request):
    if request.method == "POST":
        tasks.run_matching.enqueue(request.user.pk)
        messages.success(request, _("The matching runs in the background; refresh in a few seconds."))
        return redirect("wishes:matching")
    return render(request, "wishes/work/matching.html", {"runs": MatchRun.objects.all()[:20],
                                                         "pending": Donor.objects.filter(status=DonorStatus.PENDING).count()})
