"""Every write on member files and memberships: admission, member numbers, e-cards, transfers (会籍接转),
retained membership and the hand-over when an enterprise closes."""

import secrets
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core import audit
from gonghui.core.masking import mask_name
from gonghui.core.notifications import notify
from gonghui.core.scoping import assert_in_scope
from gonghui.members.choices import CURRENT_STATUSES, MembershipEventKind, MembershipStatus, TransferStatus
from gonghui.members.models import (
    MemberCard,
    MemberNumberSequence,
    Membership,
    MembershipEvent,
    Person,
    Transfer,
)
from gonghui.orgs.choices import OrgKind
from gonghui.orgs.models import Organization

CARD_SALT = "gonghui.members.card"
# Unions that hold members directly; federations hold them too (gig workers, closed enterprises).
MEMBER_HOLDING_KINDS = {
    OrgKind.GRASSROOTS_UNION, OrgKind.JOINT_GRASSROOTS_UNION, OrgKind.STREET_FEDERATION, OrgKind.PARK_FEDERATION,
    OrgKind.BUILDING_FEDERATION, OrgKind.PROJECT_FEDERATION, OrgKind.INDUSTRY_UNION, OrgKind.DISTRICT_UNION,
}


def number_prefix(union: Organization) -> str:
    return (union.region_id or "310000")[:6]


def allocate_member_numbers(union: Organization, count: int = 1) -> list[str]:
    """``count`` new member numbers: the union's region code and a 10-digit sequence, taken under a row lock
    (call inside the caller's transaction)."""
    prefix = number_prefix(union)
    MemberNumberSequence.objects.get_or_create(prefix=prefix)
    seq = MemberNumberSequence.objects.select_for_update().get(prefix=prefix)
    first = seq.last + 1
    seq.last += count
    seq.save(update_fields=["last"])
    return [f"{prefix}{n:010d}" for n in range(first, first + count)]


def current_membership(person: Person) -> Membership | None:
    return person.memberships.filter(status__in=CURRENT_STATUSES).select_related("union").first()


def _event(membership, kind, *, actor=None, note="", union=None):
    return MembershipEvent.objects.create(person_id=membership.person_id, membership=membership, kind=kind,
                                          union=union or membership.union, actor=actor, note=note[:200])


def admit(*, actor, person: Person, union: Organization, joined_on: date | None = None,
          kind: str = MembershipEventKind.JOINED, note: str = "") -> Membership:
    """Make ``person`` a member of ``union``: a member number, the history entry and an e-card. The caller
    has checked the actor's right to admit (a hall transition, a roster import)."""
    if union.kind not in MEMBER_HOLDING_KINDS:
        raise ValidationError({"union": _("%(union)s does not take members directly.") % {"union": union}})
    if not union.is_active:
        raise ValidationError({"union": _("%(union)s no longer operates; reject the application so the member "
                                          "can apply to another union.") % {"union": union}})
    with transaction.atomic():
        Person.objects.select_for_update().get(pk=person.pk)
        existing = current_membership(person)
        if existing is not None:
            raise ValidationError({"person": _("%(name)s is already a member of %(union)s. Ask for a transfer "
                                               "instead of joining again.") % {"name": person.name,
                                                                              "union": existing.union}})
        try:
            with transaction.atomic():
                membership = Membership.objects.create(
                    person=person, union=union, status=MembershipStatus.ACTIVE,
                    member_number=allocate_member_numbers(union)[0], joined_on=joined_on or timezone.localdate())
        except IntegrityError:
            raise ValidationError({"person": _("%(name)s has just become a member elsewhere.") % {"name": person.name}})
        _event(membership, kind, actor=actor, note=note)
        _new_card(membership)
        audit.record(actor=actor, action="membership.admit", obj=membership,
                     after={"union": union.pk, "member_number": membership.member_number})
    return membership


# ---- e-member cards ---------------------------------------------------------------------------------------


def _new_card(membership: Membership) -> MemberCard:
    return MemberCard.objects.create(membership=membership, public_id=secrets.token_urlsafe(12))


def live_card(membership: Membership) -> MemberCard:
    """The membership's card, issued on first use (two page loads at once share one card)."""
    card = membership.cards.filter(revoked_at__isnull=True).first()
    if card is not None:
        return card
    with transaction.atomic():
        Membership.objects.select_for_update().get(pk=membership.pk)
        return membership.cards.filter(revoked_at__isnull=True).first() or _new_card(membership)


def card_token(card: MemberCard) -> str:
    """The QR payload: the card's public id, signed and time-stamped. It expires after
    GONGHUI_CARD_TOKEN_MINUTES; the card page refreshes it. It never carries the member number."""
    return signing.dumps({"c": card.public_id}, salt=CARD_SALT, compress=True)


@dataclass(frozen=True)
class CardCheck:
    valid: bool
    reason: str
    masked_name: str = ""
    union: str = ""
    status: str = ""


def verify_card_token(token: str) -> CardCheck:
    max_age = settings.GONGHUI_CARD_TOKEN_MINUTES * 60
    try:
        payload = signing.loads(token, salt=CARD_SALT, max_age=max_age)
    except signing.SignatureExpired:
        return CardCheck(False, _("This code has expired. Ask the member to refresh the card."))
    except signing.BadSignature:
        return CardCheck(False, _("This is not a genuine member card code."))
    card = (MemberCard.objects.select_related("membership__person", "membership__union")
            .filter(public_id=str(payload.get("c", ""))).first())
    if card is None:
        return CardCheck(False, _("This is not a genuine member card code."))
    membership = card.membership
    common = {"masked_name": mask_name(membership.person.name), "union": str(membership.union),
              "status": membership.get_status_display()}
    if card.revoked_at is not None:
        return CardCheck(False, _("This card has been revoked."), **common)
    if membership.status not in CURRENT_STATUSES:
        return CardCheck(False, _("This membership is no longer current."), **common)
    return CardCheck(True, _("Valid member card."), **common)


def revoke_card(*, actor, card: MemberCard, reason: str) -> MemberCard:
    """Revoke a card (lost phone, misuse) and issue a new one: every code of the old card stops working."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the card is revoked.")})
    with transaction.atomic():
        card = MemberCard.objects.select_for_update(of=("self",)).select_related("membership__person").get(pk=card.pk)
        if card.membership.person.user_id != getattr(actor, "pk", None):
            assert_in_scope(card, actor, "members.manage", allow_self=False)
        if card.revoked_at is not None:
            raise ValidationError({"reason": _("This card is already revoked.")})
        card.revoked_at = timezone.now()
        card.revoked_reason = reason[:120]
        card.save(update_fields=["revoked_at", "revoked_reason"])
        new = _new_card(card.membership) if card.membership.status in CURRENT_STATUSES else None
        audit.record(actor=actor, action="membercard.revoke", obj=card, note=reason)
    return new or card


# ---- transfers (会籍接转) ----------------------------------------------------------------------------------


def _not_own(actor, membership: Membership) -> None:
    """Staff steps never reach the actor's own membership (as with the hall: nobody handles their own case)."""
    person_user = Person.objects.filter(pk=membership.person_id).values_list("user_id", flat=True).first()
    if person_user is not None and person_user == getattr(actor, "pk", None):
        raise PermissionDenied(_("Nobody handles their own membership."))


def _can_manage(actor, union: Organization) -> bool:
    return Organization.objects.visible_to(actor, "members.manage").filter(pk=union.pk).exists()


def request_transfer(*, actor, membership: Membership, to_union: Organization, reason: str,
                     idempotency_key: str = "") -> Transfer:
    """A member (for their own membership) or a cadre of either union asks to move a current membership.
    A cadre's own side counts as confirmed at once; the other side confirms in its inbox."""
    if idempotency_key:
        existing = Transfer.objects.filter(requested_by=actor, idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = _("Say why the membership moves (new job, moved home…).")
    if to_union.kind not in MEMBER_HOLDING_KINDS or not to_union.is_active:
        errors["to_union"] = _("Choose a union that takes members.")
    if to_union.pk == membership.union_id:
        errors["to_union"] = _("The membership is already held by this union.")
    if errors:
        raise ValidationError(errors)
    is_member = membership.person.user_id is not None and membership.person.user_id == getattr(actor, "pk", None)
    with transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        if locked.status not in CURRENT_STATUSES:
            raise ValidationError({"membership": _("Only a current membership can be transferred.")})
        manages_from, manages_to = _can_manage(actor, locked.union), _can_manage(actor, to_union)
        if not is_member and not (manages_from or manages_to):
            raise PermissionDenied
        if Transfer.objects.filter(membership=locked, status=TransferStatus.PENDING).exists():
            raise ValidationError({"membership": _("A transfer of this membership is already waiting for confirmation.")})
        now = timezone.now()
        transfer = Transfer(membership=locked, from_union=locked.union, to_union=to_union, reason=reason[:200],
                            requested_by=actor, idempotency_key=idempotency_key[:64])
        if manages_from and not is_member:
            transfer.out_confirmed_by, transfer.out_confirmed_at = actor, now
        if manages_to and not is_member:
            transfer.in_confirmed_by, transfer.in_confirmed_at = actor, now
        try:
            with transaction.atomic():
                transfer.save()
        except IntegrityError:
            existing = Transfer.objects.filter(requested_by=actor, idempotency_key=idempotency_key).first()
            if idempotency_key and existing:
                return existing
            raise ValidationError({"membership": _("A transfer of this membership is already waiting for "
                                                   "confirmation.")})
        audit.record(actor=actor, action="transfer.request", obj=transfer,
                     after={"from": locked.union_id, "to": to_union.pk})
        if transfer.out_confirmed_at and transfer.in_confirmed_at:
            _complete(transfer, actor)
        else:
            _notify_sides(transfer)
    return transfer


def _notify_sides(transfer: Transfer) -> None:
    from gonghui.accounts.models import RoleAssignment

    waiting = [u for u, done in ((transfer.from_union, transfer.out_confirmed_at),
                                 (transfer.to_union, transfer.in_confirmed_at)) if not done]
    for union in waiting:
        for assignment in RoleAssignment.objects.filter(organization=union).select_related("user"):
            if assignment.user.has_gonghui_perm("members.manage"):
                transaction.on_commit(lambda u=assignment.user: notify(
                    u, _("A membership transfer waits for your confirmation"), str(transfer.membership.person),
                    url="/work/transfers/"))


def confirm_transfer(*, actor, transfer: Transfer) -> Transfer:
    """The actor confirms the side(s) of the transfer they manage; when both sides have, it completes."""
    with transaction.atomic():
        transfer = Transfer.objects.select_for_update(of=("self",)).select_related("membership__person").get(pk=transfer.pk)
        if transfer.status != TransferStatus.PENDING:
            raise ValidationError({"status": _("This transfer is no longer waiting for confirmation.")})
        _not_own(actor, transfer.membership)
        now, changed = timezone.now(), []
        if transfer.out_confirmed_at is None and _can_manage(actor, transfer.from_union):
            transfer.out_confirmed_by, transfer.out_confirmed_at = actor, now
            changed += ["out_confirmed_by", "out_confirmed_at"]
        if transfer.in_confirmed_at is None and _can_manage(actor, transfer.to_union):
            transfer.in_confirmed_by, transfer.in_confirmed_at = actor, now
            changed += ["in_confirmed_by", "in_confirmed_at"]
        if not changed:
            assert_in_scope(transfer, actor, "members.manage")  # 404 outside scope
            raise ValidationError({"status": _("Your union has already confirmed; the other union has not yet.")})
        transfer.save(update_fields=changed)
        audit.record(actor=actor, action="transfer.confirm", obj=transfer, after={"fields": changed})
        if transfer.out_confirmed_at and transfer.in_confirmed_at:
            _complete(transfer, actor)
    return transfer


def _complete(transfer: Transfer, actor) -> None:
    old = Membership.objects.select_for_update().get(pk=transfer.membership_id)
    if old.status not in CURRENT_STATUSES or old.union_id != transfer.from_union_id:
        raise ValidationError({"membership": _("This membership has moved since the transfer was asked for.")})
    today = timezone.localdate()
    MemberCard.objects.filter(membership=old, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason="transferred")
    # A retired or unemployed member stays retained at the new union; a membership held by the upper union
    # becomes active again where the member now works.
    status = MembershipStatus.RETAINED if old.status == MembershipStatus.RETAINED else MembershipStatus.ACTIVE
    old.status, old.ended_on = MembershipStatus.TRANSFERRED, today
    old.save(update_fields=["status", "ended_on"])
    new = Membership.objects.create(person_id=old.person_id, union=transfer.to_union, status=status,
                                    member_number=old.member_number, joined_on=old.joined_on)
    _event(old, MembershipEventKind.TRANSFERRED_OUT, actor=actor, note=str(transfer.to_union))
    _event(new, MembershipEventKind.TRANSFERRED_IN, actor=actor, note=str(transfer.from_union))
    _new_card(new)
    transfer.status, transfer.decided_at = TransferStatus.CONFIRMED, timezone.now()
    transfer.save(update_fields=["status", "decided_at"])
    audit.record(actor=actor, action="transfer.complete", obj=transfer, after={"membership": new.pk})
    person = Person.objects.select_related("user").get(pk=old.person_id)
    if person.user_id:
        transaction.on_commit(lambda: notify(person.user, _("Your membership has moved to %(union)s")
                                             % {"union": transfer.to_union}, url="/me/card/"))


def refuse_transfer(*, actor, transfer: Transfer, reason: str) -> Transfer:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the transfer is refused; the member sees it.")})
    with transaction.atomic():
        transfer = Transfer.objects.select_for_update(of=("self",)).select_related("membership__person__user").get(pk=transfer.pk)
        if not (_can_manage(actor, transfer.from_union) or _can_manage(actor, transfer.to_union)):
            raise PermissionDenied
        _not_own(actor, transfer.membership)
        if transfer.status != TransferStatus.PENDING:
            raise ValidationError({"status": _("This transfer is no longer waiting for confirmation.")})
        transfer.status, transfer.decided_at, transfer.refusal_reason = TransferStatus.REJECTED, timezone.now(), reason[:200]
        transfer.save(update_fields=["status", "decided_at", "refusal_reason"])
        audit.record(actor=actor, action="transfer.refuse", obj=transfer, note=reason)
        user = transfer.membership.person.user
        if user is not None:
            transaction.on_commit(lambda: notify(user, _("Your membership transfer was refused"), reason))
    return transfer


def cancel_transfer(*, actor, transfer: Transfer) -> Transfer:
    with transaction.atomic():
        transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
        if transfer.requested_by_id != actor.pk:
            raise PermissionDenied
        if transfer.status != TransferStatus.PENDING:
            raise ValidationError({"status": _("This transfer is no longer waiting for confirmation.")})
        transfer.status, transfer.decided_at = TransferStatus.CANCELLED, timezone.now()
        transfer.save(update_fields=["status", "decided_at"])
        audit.record(actor=actor, action="transfer.cancel", obj=transfer)
    return transfer


# ---- retained membership and closure -------------------------------------------------------------------------


def retain(*, actor, membership: Membership, reason: str) -> Membership:
    """Retired or unemployed: the membership stays at the old union with status retained."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why (retired, unemployed…).")})
    with transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        assert_in_scope(locked, actor, "members.manage")
        _not_own(actor, locked)
        if locked.status != MembershipStatus.ACTIVE:
            raise ValidationError({"status": _("Only an active membership can be retained.")})
        locked.status = MembershipStatus.RETAINED
        locked.save(update_fields=["status"])
        _event(locked, MembershipEventKind.RETAINED, actor=actor, note=reason)
        audit.record(actor=actor, action="membership.retain", obj=locked, note=reason)
    return locked


def reactivate(*, actor, membership: Membership, note: str = "") -> Membership:
    with transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        assert_in_scope(locked, actor, "members.manage")
        _not_own(actor, locked)
        if locked.status not in (MembershipStatus.RETAINED, MembershipStatus.HELD_BY_UPPER):
            raise ValidationError({"status": _("Only a retained or held membership can become active again.")})
        locked.status = MembershipStatus.ACTIVE
        locked.save(update_fields=["status"])
        _event(locked, MembershipEventKind.REACTIVATED, actor=actor, note=note)
        audit.record(actor=actor, action="membership.reactivate", obj=locked, note=note)
    return locked


def hand_over_closed_enterprise(*, actor, enterprise) -> int:
    """When an enterprise closes, its union's current members are held by the union above (工会法 art. 13).
    Idempotent: a second call finds no members left to move."""
    union = enterprise.union
    if union is None or union.parent_id is None:
        return 0
    upper = union.parent
    with transaction.atomic():
        # The union goes with its enterprise: it takes no new members, and transfers out of it wait for the
        # union that now holds the memberships.
        Organization.objects.filter(pk=union.pk, is_active=True).update(is_active=False)
        for transfer in Transfer.objects.select_for_update().filter(from_union=union, status=TransferStatus.PENDING):
            transfer.status, transfer.decided_at = TransferStatus.CANCELLED, timezone.now()
            transfer.refusal_reason = _("The enterprise closed; ask the union that now holds the membership.")[:200]
            transfer.save(update_fields=["status", "decided_at", "refusal_reason"])
        moving = list(Membership.objects.select_for_update()
                      .filter(union=union, status__in=[MembershipStatus.ACTIVE, MembershipStatus.RETAINED]))
        for membership in moving:
            membership.union = upper
            membership.status = MembershipStatus.HELD_BY_UPPER
            membership.save(update_fields=["union", "status"])
            _event(membership, MembershipEventKind.HELD_BY_UPPER, actor=actor, note=str(enterprise))
        if moving:
            audit.record(actor=actor, action="membership.hand_over", obj=union,
                         after={"to": upper.pk, "count": len(moving)})
    return len(moving)


def on_enterprise_closed(sender, *, enterprise, actor, **kwargs) -> None:
    """An enterprise was marked as no longer operating: its members are handed to the union above."""
    hand_over_closed_enterprise(actor=actor, enterprise=enterprise)
