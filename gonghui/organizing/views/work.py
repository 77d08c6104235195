"""The union's side: its join QR code, the transfer inbox, a membership's status and card, and the join
application's panel on the hall's request page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gonghui.core import audit
from gonghui.core.forms import run_action
from gonghui.core.pagination import keyset_page
from gonghui.core.permissions import staff_view
from gonghui.members import services as members
from gonghui.members.choices import TransferStatus
from gonghui.members.models import Membership, Transfer
from gonghui.organizing import services
from gonghui.organizing.forms import ReasonForm, TransferForm
from gonghui.organizing.models import JoinApplication
from gonghui.organizing.views.portal import qr_data_uri
from gonghui.orgs.models import Organization


@staff_view("members.manage")
def join_qr(request, pk):
    union = Organization.objects.get_visible_or_404(request.user, "members.manage", pk=pk)
    if union.kind not in members.MEMBER_HOLDING_KINDS:
        messages.error(request, _("%(union)s does not take members directly.") % {"union": union})
        return redirect("orgs:organization_detail", pk=union.pk)
    url = request.build_absolute_uri(reverse("organizing:join") + "?u=" + services.union_qr_token(union))
    return render(request, "organizing/work/join_qr.html", {"union": union, "qr": qr_data_uri(url, scale=8), "url": url})


@staff_view("members.manage")
def transfer_list(request):
    scope = Organization.objects.visible_to(request.user, "members.manage")
    qs = (Transfer.objects.visible_to(request.user, "members.manage", include_self=False)
          .select_related("membership__person", "from_union", "to_union"))
    tab = request.GET.get("tab", "waiting")
    if tab == "waiting":
        qs = qs.filter(status=TransferStatus.PENDING).filter(
            Q(out_confirmed_at__isnull=True, from_union__in=scope) | Q(in_confirmed_at__isnull=True, to_union__in=scope))
    page = keyset_page(qs, sort="-requested_at", cursor=request.GET.get("cursor"), size=30)
    # The member's page belongs to the union holding the membership (the "from" side).
    holding = set(scope.filter(pk__in={t.from_union_id for t in page.items}).values_list("pk", flat=True))
    return render(request, "organizing/work/transfer_list.html", {"page": page, "tab": tab, "refuse_form": ReasonForm(),
                                                                  "holding": holding})


@staff_view("members.manage")
@require_POST
def transfer_confirm(request, pk):
    transfer = Transfer.objects.get_visible_or_404(request.user, "members.manage", pk=pk, include_self=False)
    try:
        done = members.confirm_transfer(actor=request.user, transfer=transfer)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Transfer completed.") if done.status == TransferStatus.CONFIRMED
                         else _("Confirmed. Waiting for the other union."))
    return redirect("organizing:transfer_list")


@staff_view("members.manage")
@require_POST
def transfer_refuse(request, pk):
    transfer = Transfer.objects.get_visible_or_404(request.user, "members.manage", pk=pk, include_self=False)
    run_action(request, ReasonForm(request.POST),
               lambda d: members.refuse_transfer(actor=request.user, transfer=transfer, reason=d["reason"]),
               _("Transfer refused; the member is told why."))
    return redirect("organizing:transfer_list")


@staff_view("members.manage")
def membership_detail(request, pk):
    membership = Membership.objects.select_related("person", "union").get_visible_or_404(
        request.user, "members.manage", pk=pk, include_self=False)
    in_scope = Organization.objects.visible_to(request.user, "members.manage")
    return render(request, "organizing/work/membership.html", {
        "membership": membership,
        # Only the history kept by unions in the cadre's scope: not what happened at other unions.
        "events": membership.person.membership_events.filter(union__in=in_scope).select_related("union", "actor"),
        "cards": membership.cards.order_by("-issued_at"),
        "transfers": membership.transfers.select_related("from_union", "to_union"),
        "transfer_form": TransferForm(), "reason_form": ReasonForm()})


@staff_view("members.manage")
@require_POST
def membership_action(request, pk, action):
    membership = Membership.objects.get_visible_or_404(request.user, "members.manage", pk=pk, include_self=False)
    if action == "transfer":
        form = TransferForm(request.POST)
        run_action(request, form, lambda d: members.request_transfer(
            actor=request.user, membership=membership, to_union=d["to_union"], reason=d["reason"],
            idempotency_key=d["idempotency_key"]), _("Transfer requested."))
    elif action == "retain":
        run_action(request, ReasonForm(request.POST),
                   lambda d: members.retain(actor=request.user, membership=membership, reason=d["reason"]),
                   _("Membership retained."))
    elif action == "reactivate":
        run_action(request, ReasonForm(request.POST),
                   lambda d: members.reactivate(actor=request.user, membership=membership, note=d["reason"]),
                   _("Membership active again."))
    elif action == "revoke_card":
        run_action(request, ReasonForm(request.POST),
                   lambda d: members.revoke_card(actor=request.user, card=members.live_card(membership),
                                                 reason=d["reason"]),
                   _("Card revoked; a new one is issued."))
    else:
        raise PermissionDenied
    return redirect("organizing:membership_detail", pk=membership.pk)


def application_panel(service_request, user) -> dict:
    """The join application's part of the hall's staff page (registered with the hall)."""
    if not type(service_request)._default_manager.visible_to(user, "members.manage", include_self=False).filter(
            pk=service_request.pk).exists():
        return {}
    application = (JoinApplication.objects.select_related("employer", "platform", "home_region", "home_street",
                                                          "chosen_union").filter(request=service_request).first())
    if application is None:
        return {}
    show_full = service_request.is_open and type(service_request)._default_manager.visible_to(
        user, "members.view_sensitive", include_self=False).filter(pk=service_request.pk).exists()
    if show_full:
        audit.record(actor=user, action="sensitive.read", obj=application, after={"fields": ["id_number", "mobile"]})
    return {"application": application, "show_full": show_full}
