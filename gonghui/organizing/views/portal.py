"""The worker's side: join online (also from a union's QR code), the e-member card, transfers, and the
public card verification page."""

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gonghui.core import ratelimit
from gonghui.core.forms import apply_errors, run_action
from gonghui.core.permissions import signed_in
from gonghui.members import services as members
from gonghui.members.choices import CURRENT_STATUSES, TransferStatus
from gonghui.members.models import Membership, Person, Transfer
from gonghui.organizing import services
from gonghui.organizing.forms import JoinForm, ReasonForm, TransferForm


def qr_data_uri(text: str, scale: int = 5) -> str:
    """A standalone SVG (with its namespace, so browsers draw it as an image) as a data: URI."""
    return segno.make(text, error="m").svg_data_uri(scale=scale, border=2)


def _current(user) -> Membership | None:
    return (Membership.objects.visible_to(user, "members.view").filter(person__user=user, status__in=CURRENT_STATUSES)
            .select_related("union", "person").first())


@signed_in
def join(request):
    token = request.GET.get("u") or request.POST.get("u") or ""
    chosen = services.union_from_token(token) if token else None
    if token and chosen is None:
        messages.error(request, _("This QR code is not valid any more; your application will be routed for you."))
    membership = _current(request.user)
    person = Person.objects.filter(user=request.user).first()
    initial = {"mobile": request.user.mobile or ""}
    if person is not None:
        initial.update(name=person.name, mobile=person.mobile or initial["mobile"], employment_form=person.employment_form,
                       employer_uscc=person.employer.uscc if person.employer else "", occupation=person.occupation,
                       skill_level=person.skill_level,
                       home_region=person.home_region_id, employer_name=person.platform_name)
    form = JoinForm(request.POST or None, initial=initial)
    if request.method == "POST" and membership is None and form.is_valid():
        data = dict(form.service_data(), chosen_union=chosen)
        try:
            created, _created = services.apply_to_join(
                actor=request.user, data=data,
                idempotency_key=f"join:{request.user.pk}:{form.cleaned_data['idempotency_key']}")
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Application %(ref)s received. %(union)s will contact you.")
                             % {"ref": created.reference, "union": created.handling_organization})
            return redirect("hall:my_request", reference=created.reference)
    return render(request, "organizing/portal/join.html",
                  {"form": form, "chosen": chosen, "token": token, "membership": membership})


@signed_in
def my_card(request):
    membership = _current(request.user)
    if membership is None:
        return render(request, "organizing/portal/card.html", {"membership": None})
    card = members.live_card(membership)
    token = members.card_token(card)
    verify_url = request.build_absolute_uri(reverse("organizing:verify", args=[token]))
    context = {"membership": membership, "card": card, "qr": qr_data_uri(verify_url), "verify_url": verify_url,
               "minutes": settings.GONGHUI_CARD_TOKEN_MINUTES,
               "refresh_seconds": max(30, settings.GONGHUI_CARD_TOKEN_MINUTES * 60 - 60),
               "transfers": Transfer.objects.visible_to(request.user, "members.view").filter(
                   membership__person__user=request.user).select_related("from_union", "to_union")[:10],
               "events": membership.person.membership_events.select_related("union").order_by("-at")[:20]}
    if request.htmx:
        return render(request, "organizing/partials/card_qr.html", context)
    return render(request, "organizing/portal/card.html", context)


@signed_in
@require_POST
def revoke_my_card(request):
    membership = _current(request.user)
    if membership is None:
        return redirect("organizing:my_card")
    form = ReasonForm(request.POST)
    run_action(request, form, lambda d: members.revoke_card(actor=request.user, card=members.live_card(membership),
                                                            reason=d["reason"]),
               _("The old card no longer works. Your new card is below."))
    return redirect("organizing:my_card")


@signed_in
def my_transfer(request):
    membership = _current(request.user)
    if membership is None:
        messages.error(request, _("You have no current membership to transfer. Join the union first."))
        return redirect("organizing:join")
    form = TransferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            members.request_transfer(actor=request.user, membership=membership, to_union=form.cleaned_data["to_union"],
                                     reason=form.cleaned_data["reason"],
                                     idempotency_key=form.cleaned_data["idempotency_key"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Transfer requested. Both unions will confirm it; you will be told."))
            return redirect("organizing:my_card")
    return render(request, "organizing/portal/transfer.html", {"form": form, "membership": membership})


@signed_in
@require_POST
def cancel_my_transfer(request, pk):
    transfer = get_object_or_404(Transfer.objects.visible_to(request.user, "members.view"), pk=pk,
                                 requested_by=request.user, status=TransferStatus.PENDING)
    try:
        members.cancel_transfer(actor=request.user, transfer=transfer)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Transfer withdrawn."))
    return redirect("organizing:my_card")


def verify(request, token):
    """Public: anyone scanning a member's QR code sees whether the card is valid, with the name masked."""
    if not ratelimit.hit(f"card-verify:{ratelimit.client_address(request)}",
                         limit=settings.GONGHUI_CARD_VERIFY_PER_MINUTE, window_seconds=60):
        response = render(request, "organizing/portal/verify.html", {"throttled": True}, status=429)
        response["Retry-After"] = "60"
        return response
    check = members.verify_card_token(token)
    return render(request, "organizing/portal/verify.html", {"check": check})
