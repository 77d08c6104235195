"""The members API: scoped, masked lists and details; roster upload → preview → commit, idempotent."""

import base64
import json

from gonghui.accounts.services import create_api_token
from gonghui.members.models import Membership, RosterImport
from gonghui.members.tests.test_roster_files import id_number, person_row, xlsx

ALICE_ID = "310101199003070027"


def _post(client, url, payload=None):
    return client.post(
        url, data=json.dumps(payload or {}), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )


def test_the_list_is_scoped_and_masked(world):
    body = world.client("union_a1").get("/api/v1/members").json()
    names = {m["name"] for m in body["items"]}
    assert names == {"李爱丽"}
    assert body["items"][0]["id_number_masked"] == "310***********0027"
    assert ALICE_ID not in json.dumps(body)
    assert {m["name"] for m in world.client("city").get("/api/v1/members").json()["items"]} >= {
        "李爱丽",
        "王博",
    }


def test_search_by_id_number_goes_through_the_blind_index(world):
    body = world.client("city").get(f"/api/v1/members?q={ALICE_ID}").json()
    assert [m["name"] for m in body["items"]] == ["李爱丽"]


def test_an_unknown_union_filter_is_a_field_error(world):
    response = world.client("union_a1").get(f"/api/v1/members?union_id={world.orgs['district_b'].pk}")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "union_id"


def test_a_member_outside_scope_is_not_found(world):
    alice = Membership.objects.get(person__user=world.users["alice"])
    assert world.client("district_b").get(f"/api/v1/members/{alice.pk}").status_code == 404
    detail = world.client("district_a").get(f"/api/v1/members/{alice.pk}").json()
    assert detail["union_name"] == world.orgs["union_a1"].name and "history" in detail


def test_a_partner_token_without_the_permission_is_refused(world):
    _token, raw = create_api_token(
        actor=world.users["security"],
        name="HR",
        organization=world.orgs["city"],
        permissions=["enterprises.view"],
        days=1,
    )
    response = world.client(None).get("/api/v1/members", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 403


def test_upload_preview_and_commit(world, django_capture_on_commit_callbacks):
    client = world.client("district_a")
    bad = xlsx([person_row(1, name="赵一"), person_row(2, name="钱二", 手机号="12")])
    payload = {
        "union_id": world.orgs["district_a"].pk,
        "file_name": "名册.xlsx",
        "content_base64": base64.b64encode(bad).decode(),
        "idempotency_key": "api-roster-1",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, "/api/v1/members/imports", payload)
    assert response.status_code == 201, response.content
    created = response.json()
    with django_capture_on_commit_callbacks(execute=True):
        again = _post(client, "/api/v1/members/imports", payload)
    assert (
        again.status_code == 200 and again.json()["id"] == created["id"] and RosterImport.objects.count() == 1
    )
    status = client.get(f"/api/v1/members/imports/{created['id']}").json()
    assert status["status"] == "invalid" and status["row_errors"][0]["row"] == 3
    assert "11 digits" in status["row_errors"][0]["messages"][0]
    refused = _post(client, f"/api/v1/members/imports/{created['id']}/commit")
    assert refused.status_code == 422

    good = xlsx([person_row(1, name="赵一"), person_row(2, name="钱二")])
    with django_capture_on_commit_callbacks(execute=True):
        created = _post(
            client,
            "/api/v1/members/imports",
            {**payload, "idempotency_key": "api-roster-2", "content_base64": base64.b64encode(good).decode()},
        ).json()
    assert client.get(f"/api/v1/members/imports/{created['id']}").json()["status"] == "ready"
    with django_capture_on_commit_callbacks(execute=True):
        committed = _post(client, f"/api/v1/members/imports/{created['id']}/commit")
    assert committed.status_code == 202
    assert client.get(f"/api/v1/members/imports/{created['id']}").json()["status"] == "committed"
    again = _post(client, f"/api/v1/members/imports/{created['id']}/commit")
    assert again.status_code == 202 and again.json()["imported_count"] == 2
    assert (
        Membership.objects.filter(
            person__id_number_bidx__in=[
                __import__("gonghui.core.crypto", fromlist=["blind_index"]).blind_index(id_number(i))
                for i in (1, 2)
            ]
        ).count()
        == 2
    )


def test_upload_into_a_union_outside_scope_is_not_found(world):
    payload = {
        "union_id": world.orgs["district_a"].pk,
        "file_name": "r.xlsx",
        "content_base64": base64.b64encode(xlsx([person_row(1)])).decode(),
    }
    assert _post(world.client("district_b"), "/api/v1/members/imports", payload).status_code == 404
    assert not RosterImport.objects.exists()


def test_bad_base64_and_bad_files_are_field_errors(world):
    client = world.client("union_a1")
    base = {"union_id": world.orgs["union_a1"].pk, "file_name": "r.xlsx"}
    response = _post(client, "/api/v1/members/imports", {**base, "content_base64": "!!!!"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "content_base64"
    response = _post(
        client,
        "/api/v1/members/imports",
        {**base, "content_base64": base64.b64encode(b"%PDF-1.4 hello").decode()},
    )
    assert response.status_code == 422
