import json

from django.test import Client

from gonghui.accounts.services import create_api_token
from gonghui.employment.tests import factories, scope


def _token(world, org="district_a", permissions=("employment.exchange.view",)):
    _token_obj, raw = create_api_token(actor=world.users["security"], name="人社局", organization=world.orgs[org],
                                       permissions=list(permissions), days=30)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_quick_match_api_returns_explained_jobs_in_the_callers_language(world):
    posting = factories.posting(world)
    client = world.client("alice")
    response = client.post("/api/v1/employment/match", data=json.dumps({"text": "数控车床", "region": "310115",
                                                                        "salary": 9000}),
                           content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    (first,) = response.json()
    assert first["posting_id"] == posting.pk and first["salary"] == "8000-12000元/月·13薪"
    codes = [r["code"] for r in first["reason_codes"]]
    assert "text" in codes and "district" in codes
    assert any("matches" in r for r in first["reasons"])


def test_quick_match_api_rejects_bad_input(world):
    client = world.client("alice")
    response = client.post("/api/v1/employment/match", data=json.dumps({"text": "", "k": 500}),
                           content_type="application/json")
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} >= {"text", "k"}


def test_hr_bureau_token_pulls_the_weeks_postings_of_its_district_only(world):
    posting = factories.posting(world)
    factories.posting(world, "hr_b1", title="软件测试工程师", region=world.enterprises["b1"].region)
    response = Client().get("/api/v1/employment/postings", **_token(world))
    assert response.status_code == 200
    titles = [item["title"] for item in response.json()["items"]]
    assert titles == [posting.title]
    item = response.json()["items"][0]
    assert item["district_code"] == "310115" and item["employer_uscc"] == world.enterprises["a1"].uscc
    old = Client().get("/api/v1/employment/postings?since=2020-01-01&until=2020-01-07", **_token(world))
    assert old.json()["items"] == []


def test_a_token_without_the_exchange_permission_is_refused(world):
    factories.posting(world)
    response = Client().get("/api/v1/employment/postings", **_token(world, permissions=("enterprises.view",)))
    assert response.status_code == 403


def test_seekers_are_shared_only_with_consent(world):
    alice = scope.seeker(world)  # consented
    factories.seeker(world, "bob")  # no consent
    response = Client().get("/api/v1/employment/seekers", **_token(world, org="city"))
    names = [s["name"] for s in response.json()["items"]]
    assert names == [alice.name]
    from gonghui.core import consent

    consent.withdraw(actor=world.users["alice"], subject=alice, purpose="share_hr_bureau")
    assert Client().get("/api/v1/employment/seekers", **_token(world, org="city")).json()["items"] == []


def test_placements_pull(world):
    application = scope.placement(world)
    response = Client().get("/api/v1/employment/placements", **_token(world))
    (item,) = response.json()["items"]
    assert item["posting_id"] == application.posting_id and item["district_code"] == "310115"
