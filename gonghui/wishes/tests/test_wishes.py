"""A wish goes from post to certificate; it can never be claimed twice."""

import io
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from pypdf import PdfReader

from gonghui.accounts.models import User
from gonghui.wishes import services
from gonghui.wishes.choices import WishStatus
from gonghui.wishes.models import Donor, MatchRun, Wish, WishSettings

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


@pytest.fixture
def alice_on_file(world):
    from gonghui.core.tests.scope_cases import _alice_file

    return _alice_file(world)


def _donor(user, budget="1000", **kw):
    donor = services.register_donor(actor=user, kind="person", name=kw.pop("name", "爱心市民"), budget=Decimal(budget),
                                    **kw)
    Donor.objects.filter(pk=donor.pk).update(status="approved")
    return Donor.objects.get(pk=donor.pk)


def _published(world, amount="300"):
    wish = services.post_wish(actor=world.users["alice"], category="study", description="想给孩子买一套课外书",
                              amount=Decimal(amount))
    return services.publish_wish(actor=world.users["union_a1"], wish=wish, public_title="一套课外读物",
                                 public_text="初中生，喜欢读书。")


def test_a_wish_from_post_to_certificate(world, alice_on_file):
    wish = services.post_wish(actor=world.users["alice"], category="study", description="想给孩子买一套课外书",
                              amount=Decimal("300"))
    assert wish.status == WishStatus.SUBMITTED and wish.owner_organization == world.orgs["union_a1"]
    with pytest.raises(ValidationError, match="name|姓名"):
        services.publish_wish(actor=world.users["union_a1"], wish=wish, public_title="李爱丽的心愿", public_text="")
    wish = services.publish_wish(actor=world.users["union_a1"], wish=wish, public_title="一套课外读物",
                                 public_text="初中生，喜欢读书。")
    donor = _donor(world.users["bob"])
    wish = services.claim(actor=world.users["bob"], wish=wish)
    assert wish.status == WishStatus.CLAIMED and wish.donor == donor
    wish = services.confirm_delivery(actor=world.users["union_a1"], wish=wish,
                                     photo=SimpleUploadedFile("delivery.png", PNG, content_type="image/png"))
    with pytest.raises(ValidationError):
        services.certificate_pdf(wish)
    wish = services.confirm_receipt(actor=world.users["alice"], wish=wish)
    pdf = services.certificate_pdf(wish)
    reader = PdfReader(io.BytesIO(pdf))
    text = reader.pages[0].extract_text()
    assert "感谢您参与“点亮微心愿”活动" in text and "爱心市民" in text and "一套课外读物" in text
    fonts = {f["/BaseFont"] for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert any("Noto-Sans-CJK" in str(f) for f in fonts), fonts  # a real CJK font is embedded
    response = world.client("bob").get(f"/wishes/certificates/{wish.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert world.client("carol").get(f"/wishes/certificates/{wish.pk}/").status_code == 404
    assert list(wish.events.values_list("status", flat=True)) == [
        "submitted", "published", "claimed", "delivered", "received"]
    # The public record shows the lit-up wish without the worker's identity.
    wall = world.client(None).get("/wishes/?show=done").content.decode()
    assert "一套课外读物" in wall and "爱心市民" in wall and "李爱丽" not in wall


def test_bad_wishes_and_claims(world, alice_on_file):
    WishSettings.objects.update_or_create(pk=1, defaults={"amount_cap": Decimal("500")})
    with pytest.raises(ValidationError) as info:
        services.post_wish(actor=world.users["alice"], category="study", description="x", amount=Decimal("501"))
    assert "amount" in info.value.message_dict
    with pytest.raises(ValidationError):  # bob has no hardship file
        services.post_wish(actor=world.users["bob"], category="study", description="x", amount=Decimal("10"))
    wish = _published(world)
    with pytest.raises(ValidationError, match="approved|批准|审核"):
        services.claim(actor=world.users["carol"], wish=wish)  # not a donor
    _donor(world.users["alice"], name="李")
    with pytest.raises(ValidationError):
        services.claim(actor=world.users["alice"], wish=wish)  # her own wish
    pending = services.register_donor(actor=world.users["carol"], kind="person", name="陈")
    assert pending.status == "pending"
    with pytest.raises(ValidationError):
        services.claim(actor=world.users["carol"], wish=wish)


def test_enterprise_donors_give_a_valid_credit_code(world):
    with pytest.raises(ValidationError) as info:
        services.register_donor(actor=world.users["carol"], kind="enterprise", name="某公司", uscc="123")
    assert "uscc" in info.value.message_dict


def _many_donors(count):
    users = User.objects.bulk_create([User(username=f"donor{i}", mobile=f"139{i:08d}") for i in range(count)])
    from gonghui.orgs.models import Organization

    root = Organization.objects.get(parent__isnull=True)
    Donor.objects.bulk_create([Donor(user=u, kind="person", name=f"捐赠人{i}", status="approved",
                                     owner_organization=root) for i, u in enumerate(users)])
    return users


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_wish_is_claimed_once_whatever_the_crowd():
    """200 donors claim the same wish at once (real threads and transactions, 60 connections at a time on
    PostgreSQL, 20 on SQLite, whose writers queue on one file lock): exactly one succeeds."""
    from gonghui.core.testing.personas import build_world
    from gonghui.core.tests.scope_cases import _alice_file

    world = build_world()
    _alice_file(world)
    wish = _published(world)
    postgres = connection.vendor == "postgresql"
    claimants = _many_donors(200 if postgres else 40)
    workers = 60 if postgres else 20
    barrier = threading.Barrier(workers)
    outcomes = []

    def attempt(user):
        try:
            if threading.current_thread().name not in started:
                started.add(threading.current_thread().name)
                barrier.wait()
            services.claim(actor=user, wish=Wish.objects.get(pk=wish.pk))
            outcomes.append("won")
        except ValidationError:
            outcomes.append("lost")

    started: set[str] = set()

    def run(user):
        try:
            attempt(user)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(run, claimants))
    assert outcomes.count("won") == 1 and outcomes.count("lost") == len(claimants) - 1
    wish.refresh_from_db()
    assert wish.status == WishStatus.CLAIMED and wish.events.filter(status="claimed").count() == 1


def test_matching_recommends_within_budget_and_explains(world, alice_on_file):
    wish = _published(world, amount="300")
    donor = _donor(world.users["bob"], budget="350", categories=["study"])
    run = services.run_matching(seconds=2)
    assert isinstance(run, MatchRun) and run.count == 1 and run.count >= run.greedy_count
    recommendation = run.recommendations.get()
    assert recommendation.donor == donor and recommendation.wish == wish and "350" in recommendation.reason
    wall = world.client("bob").get("/wishes/").content.decode()
    assert 'data-testid="recommendations"' in wall and "一套课外读物" in wall
