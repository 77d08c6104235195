"""Transfers (会籍接转: both sides confirm), retained membership, the hand-over when an enterprise closes,
and e-member cards (signed, expiring, revocable tokens; a rate-limited public check)."""

import time
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from gonghui.members import services
from gonghui.members.choices import MembershipStatus, TransferStatus
from gonghui.members.models import MemberCard, Membership


def _alice(world):
    return Membership.objects.get(person__user=world.users["alice"], status__in=["active", "retained"])


def test_alice_moves_to_another_union_and_both_sides_confirm(world):
    transfer = services.request_transfer(actor=world.users["alice"], membership=_alice(world),
                                         to_union=world.orgs["union_a2"], reason="换工作到迅达物流", idempotency_key="t1")
    assert transfer.status == TransferStatus.PENDING and not transfer.out_confirmed_at and not transfer.in_confirmed_at
    again = services.request_transfer(actor=world.users["alice"], membership=_alice(world),
                                      to_union=world.orgs["union_a2"], reason="换工作到迅达物流", idempotency_key="t1")
    assert again.pk == transfer.pk  # a double tap
    old_number = _alice(world).member_number
    transfer = services.confirm_transfer(actor=world.users["union_a1"], transfer=transfer)
    assert transfer.out_confirmed_at and transfer.status == TransferStatus.PENDING
    with pytest.raises(ValidationError):  # union_a1 cannot confirm the other side too
        services.confirm_transfer(actor=world.users["union_a1"], transfer=transfer)
    # union_a2's side is confirmed by a cadre whose scope covers it: the industry union (coverage).
    transfer = services.confirm_transfer(actor=world.users["industry"], transfer=transfer)
    assert transfer.status == TransferStatus.CONFIRMED
    new = Membership.objects.get(person__user=world.users["alice"], status=MembershipStatus.ACTIVE)
    old = Membership.objects.get(pk=transfer.membership_id)
    assert new.union == world.orgs["union_a2"] and new.member_number == old_number and new.joined_on == old.joined_on
    assert old.status == MembershipStatus.TRANSFERRED and old.ended_on is not None
    kinds = list(new.person.membership_events.values_list("kind", flat=True))
    assert kinds[-2:] == ["transferred_out", "transferred_in"]
    # The old card died with the old membership; the new one works.
    assert not MemberCard.objects.filter(membership=old, revoked_at__isnull=True).exists()
    assert services.verify_card_token(services.card_token(services.live_card(new))).valid


def test_a_cadre_of_both_sides_completes_at_once_and_outsiders_cannot_act(world):
    with pytest.raises(PermissionDenied):
        services.request_transfer(actor=world.users["district_b"], membership=_alice(world),
                                  to_union=world.orgs["union_a2"], reason="x")
    transfer = services.request_transfer(actor=world.users["district_a"], membership=_alice(world),
                                         to_union=world.orgs["union_a2"], reason="单位调整")
    assert transfer.status == TransferStatus.CONFIRMED


def test_refuse_and_cancel(world):
    transfer = services.request_transfer(actor=world.users["alice"], membership=_alice(world),
                                         to_union=world.orgs["union_b1"], reason="搬家")
    with pytest.raises(ValidationError):
        services.request_transfer(actor=world.users["alice"], membership=_alice(world),
                                  to_union=world.orgs["union_a2"], reason="again")
    with pytest.raises(PermissionDenied):
        services.refuse_transfer(actor=world.users["industry"], transfer=transfer, reason="no")
    with pytest.raises(ValidationError):
        services.refuse_transfer(actor=world.users["district_b"], transfer=transfer, reason=" ")
    transfer = services.refuse_transfer(actor=world.users["district_b"], transfer=transfer, reason="请先入职")
    assert transfer.status == TransferStatus.REJECTED and transfer.refusal_reason == "请先入职"
    second = services.request_transfer(actor=world.users["alice"], membership=_alice(world),
                                       to_union=world.orgs["union_b1"], reason="搬家")
    with pytest.raises(PermissionDenied):
        services.cancel_transfer(actor=world.users["bob"], transfer=second)
    assert services.cancel_transfer(actor=world.users["alice"], transfer=second).status == TransferStatus.CANCELLED
    assert _alice(world).union == world.orgs["union_a1"]


def test_bad_transfer_input(world):
    with pytest.raises(ValidationError) as error:
        services.request_transfer(actor=world.users["alice"], membership=_alice(world),
                                  to_union=world.orgs["union_a1"], reason="")
    assert {"reason", "to_union"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError) as error:
        services.request_transfer(actor=world.users["alice"], membership=_alice(world),
                                  to_union=world.orgs["city"], reason="x")
    assert "to_union" in error.value.message_dict


def test_retained_and_active_again(world):
    with pytest.raises(Http404):
        services.retain(actor=world.users["district_b"], membership=_alice(world), reason="退休")
    membership = services.retain(actor=world.users["union_a1"], membership=_alice(world), reason="退休")
    assert membership.status == MembershipStatus.RETAINED
    # A retained membership is still current: the card verifies and she cannot join twice.
    assert services.verify_card_token(services.card_token(services.live_card(membership))).valid
    with pytest.raises(ValidationError):
        services.retain(actor=world.users["union_a1"], membership=membership, reason="again")
    assert services.reactivate(actor=world.users["union_a1"], membership=membership).status == MembershipStatus.ACTIVE


def test_closed_enterprise_hands_members_to_the_union_above(world):
    moved = services.hand_over_closed_enterprise(actor=world.users["district_a"], enterprise=world.enterprises["a1"])
    assert moved == 1
    membership = Membership.objects.get(person__user=world.users["alice"])
    assert membership.union == world.orgs["street_a"] and membership.status == MembershipStatus.HELD_BY_UPPER
    assert services.hand_over_closed_enterprise(actor=None, enterprise=world.enterprises["a1"]) == 0


def test_card_tokens_expire_and_revocation_kills_them(world, settings):
    membership = _alice(world)
    card = services.live_card(membership)
    token = services.card_token(card)
    assert membership.member_number not in token
    lifetime = settings.GONGHUI_CARD_TOKEN_MINUTES * 60
    with mock.patch("django.core.signing.time.time", return_value=time.time() + lifetime + 60):
        assert services.verify_card_token(token).valid is False
    assert services.verify_card_token(token[:-2] + "xx").valid is False
    with pytest.raises(Http404):
        services.revoke_card(actor=world.users["district_b"], card=card, reason="x")
    new = services.revoke_card(actor=world.users["alice"], card=card, reason="手机丢失")
    assert new.pk != card.pk
    check = services.verify_card_token(token)
    assert not check.valid and check.masked_name == "李*丽"
    assert services.verify_card_token(services.card_token(new)).valid


def test_verification_page_is_public_masked_and_rate_limited(world, settings):
    settings.GONGHUI_CARD_VERIFY_PER_MINUTE = 3
    # All four checks fall in one rate-limit window, whatever the clock says.
    frozen = mock.patch("gonghui.core.ratelimit.timezone.now", return_value=timezone.now().replace(second=1))
    frozen.start()
    token = services.card_token(services.live_card(_alice(world)))
    client = world.client(None)
    url = reverse("organizing:verify", args=[token])
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200
        body = response.content.decode()
        assert "李*丽" in body and "李爱丽" not in body and _alice(world).member_number not in body
    assert client.get(url).status_code == 429
    frozen.stop()


def test_marking_an_enterprise_closed_hands_its_members_over(world):
    from gonghui.orgs import services as orgs

    orgs.update_enterprise(actor=world.users["district_a"], enterprise=world.enterprises["a1"], is_active=False)
    membership = Membership.objects.get(person__user=world.users["alice"])
    assert membership.status == MembershipStatus.HELD_BY_UPPER and membership.union == world.orgs["street_a"]
    assert membership.events.last().kind == "held_upper"


def test_nobody_handles_their_own_membership(world):
    from gonghui.members.models import Person

    # union_a1's cadre is also a member of union_a1.
    cadre = world.users["union_a1"]
    person = Person.objects.create(name="王主席", employment_form="employee", owner_organization=world.orgs["union_a1"], user=cadre)
    own = services.admit(actor=None, person=person, union=world.orgs["union_a1"])
    with pytest.raises(PermissionDenied):
        services.retain(actor=cadre, membership=own, reason="退休")
    transfer = services.request_transfer(actor=cadre, membership=own, to_union=world.orgs["union_a2"], reason="调动")
    assert transfer.out_confirmed_at is None  # asked as a member: no side is confirmed by asking
    with pytest.raises(PermissionDenied):
        services.confirm_transfer(actor=cadre, transfer=transfer)
    with pytest.raises(PermissionDenied):
        services.refuse_transfer(actor=cadre, transfer=transfer, reason="x")


def test_a_pending_transfer_out_of_a_closed_union_is_cancelled(world):
    transfer = services.request_transfer(actor=world.users["alice"], membership=_alice(world),
                                         to_union=world.orgs["union_b1"], reason="搬家")
    services.hand_over_closed_enterprise(actor=None, enterprise=world.enterprises["a1"])
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.CANCELLED
    world.orgs["union_a1"].refresh_from_db()
    assert world.orgs["union_a1"].is_active is False


def test_a_retained_member_stays_retained_after_a_transfer(world):
    services.retain(actor=world.users["union_a1"], membership=_alice(world), reason="退休")
    services.request_transfer(actor=world.users["district_a"], membership=_alice(world),
                              to_union=world.orgs["union_a2"], reason="随迁")
    assert _alice(world).status == MembershipStatus.RETAINED and _alice(world).union == world.orgs["union_a2"]
