"""The join form, the e-card page, the union's QR poster and the transfer inbox as users see them, and the
membership API."""

import json

from django.urls import reverse

from gonghui.hall import services as hall
from gonghui.members.models import Membership
from gonghui.organizing import services
from gonghui.organizing.models import JoinApplication


def _post_join(client, world, token="", **over):
    data = {"name": "陈可乐", "id_number": "31011519950618004X", "mobile": "13800000003",
            "employment_form": "food_delivery", "platform": world.enterprises["platform"].pk,
            "home_region": "310115", "agree": "on", "idempotency_key": "form-key-1", "u": token}
    data.update(over)
    return client.post(reverse("organizing:join"), data)


def test_carol_scans_the_qr_of_the_industry_union_and_joins(world):
    token = services.union_qr_token(world.orgs["industry"])
    poster = world.client("industry").get(reverse("organizing:join_qr", args=[world.orgs["industry"].pk]))
    assert poster.status_code == 200 and token in poster.content.decode()
    carol = world.client("carol")
    page = carol.get(reverse("organizing:join") + "?u=" + token)
    assert world.orgs["industry"].name in page.content.decode()
    response = _post_join(carol, world, token=token)
    assert response.status_code == 302
    application = JoinApplication.objects.get()
    assert application.route == "chosen" and application.request.handling_organization == world.orgs["industry"]
    # The union sees the application with the ID number masked in its hall page.
    detail = world.client("industry").get(reverse("hall:request_detail", args=[application.request.reference]))
    body = detail.content.decode()
    assert 'data-testid="join-panel"' in body and "310***********004X" in body
    hall.transition(actor=world.users["industry"], request=application.request, name="accept")
    card = carol.get(reverse("organizing:my_card"))
    assert card.status_code == 200 and 'data-testid="card-qr"' in card.content.decode()
    assert Membership.objects.get(person__user=world.users["carol"]).member_number in card.content.decode()


def test_join_form_shows_field_errors_and_writes_nothing(world):
    response = _post_join(world.client("carol"), world, id_number="310115199506180041", mobile="123")
    assert response.status_code == 200
    body = response.content.decode()
    assert "field-error" in body and not JoinApplication.objects.exists()


def test_a_tampered_qr_token_is_ignored_with_a_message(world):
    response = world.client("carol").get(reverse("organizing:join") + "?u=forged")
    assert response.status_code == 200 and 'data-testid="chosen-union"' not in response.content.decode()


def test_a_member_is_pointed_to_the_card_and_transfer(world):
    body = world.client("alice").get(reverse("organizing:join")).content.decode()
    assert 'data-testid="already-member"' in body


def test_transfer_inbox_confirm_flow(world):
    alice = world.client("alice")
    response = alice.post(reverse("organizing:my_transfer"), {"to_union": world.orgs["union_a2"].pk,
                                                               "reason": "换工作", "idempotency_key": "tk-1"})
    assert response.status_code == 302
    inbox = world.client("union_a1").get(reverse("organizing:transfer_list"))
    assert "李爱丽" in inbox.content.decode()
    transfer = Membership.objects.get(person__user=world.users["alice"]).transfers.get()
    world.client("union_a1").post(reverse("organizing:transfer_confirm", args=[transfer.pk]))
    world.client("industry").post(reverse("organizing:transfer_confirm", args=[transfer.pk]))
    assert Membership.objects.get(person__user=world.users["alice"], status="active").union == world.orgs["union_a2"]


def test_api_join_idempotent_and_field_errors(world):
    client = world.client("carol")
    payload = {"name": "陈可乐", "id_number": "31011519950618004X", "mobile": "13800000003",
               "employment_form": "food_delivery", "platform_id": world.enterprises["platform"].pk,
               "home_region": "310115"}
    first = client.post("/api/v1/join-applications", json.dumps(payload), content_type="application/json",
                        HTTP_IDEMPOTENCY_KEY="api-key-0001")
    again = client.post("/api/v1/join-applications", json.dumps(payload), content_type="application/json",
                        HTTP_IDEMPOTENCY_KEY="api-key-0001")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["reference"] == again.json()["reference"] and first.json()["route"] == "platform_cover"
    bad = client.post("/api/v1/join-applications", json.dumps({**payload, "id_number": "123", "home_region": "999999"}),
                      content_type="application/json", HTTP_IDEMPOTENCY_KEY="api-key-0002")
    assert bad.status_code == 422
    fields = {e["field"] for e in bad.json()["errors"]}
    assert {"id_number", "home_region"} <= fields
    listing = world.client("industry").get("/api/v1/join-applications").json()
    assert listing["items"][0]["id_number_masked"] == "310***********004X"


def test_api_card_verify(world):
    from gonghui.members import services as members

    token = members.card_token(members.live_card(Membership.objects.get(person__user=world.users["alice"])))
    body = world.client(None).get("/api/v1/cards/verify", {"token": token}).json()
    assert body["valid"] is True and body["masked_name"] == "李*丽"
    assert world.client(None).get("/api/v1/cards/verify", {"token": "nope"}).json()["valid"] is False


def test_employer_found_by_credit_code_routes_to_its_union(world):
    from stdnum.cn import uscc

    response = _post_join(world.client("carol"), world, employment_form="employee", platform="",
                          employer_name="浦江精密", employer_uscc=world.enterprises["a1"].uscc)
    assert response.status_code == 302
    application = JoinApplication.objects.get()
    assert application.route == "employer" and application.request.handling_organization == world.orgs["union_a1"]
    body = "91310115MA1K77777"
    from gonghui.accounts.models import User

    world.users["dave"] = User.objects.create_user(username="dave", mobile="13800000009", display_name="丁")
    unknown = _post_join(world.client("dave"), world, employer_uscc=body + uscc.calc_check_digit(body))
    assert unknown.status_code == 200 and "field-error" in unknown.content.decode()
