"""Sign-in through the city's one-stop portal, against a local OpenID Connect provider over real HTTP."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.test import override_settings

from gonghui.accounts.models import ExternalIdentity, User
from gonghui.core.models import AuditEvent
from gonghui.core.testing.oidc_provider import LocalProvider


@pytest.fixture
def provider(db):
    with LocalProvider() as local, override_settings(**local.settings()):
        yield local


def _sign_in(client, provider, claims, next_url="/hall/"):
    start = client.get(f"/accounts/portal/start/?next={next_url}")
    assert start.status_code == 302 and start["Location"].startswith(f"{provider.issuer}/authorize")
    query = parse_qs(urlparse(start["Location"]).query)
    assert query["client_id"] == [provider.client_id] and query["code_challenge_method"] == ["S256"]
    code = provider.approve(query["nonce"][0], claims)
    return client.get(f"/accounts/portal/callback/?code={code}&state={query['state'][0]}")


def test_a_portal_user_with_a_verified_mobile_lands_in_her_own_account(world, provider, client):
    response = _sign_in(client, provider, {"sub": "sh-0001", "name": "陈可乐", "phone_number": "+8613800000003",
                                           "phone_number_verified": True})
    assert response.status_code == 302 and response["Location"] == "/hall/"
    assert int(client.session["_auth_user_id"]) == world.users["carol"].pk
    assert ExternalIdentity.objects.get(subject="sh-0001").user == world.users["carol"]
    assert AuditEvent.objects.filter(action="auth.oidc_link", actor=world.users["carol"]).exists()
    # The second time the (issuer, subject) link is used, whatever the phone claim says.
    client.logout()
    _sign_in(client, provider, {"sub": "sh-0001"})
    assert int(client.session["_auth_user_id"]) == world.users["carol"].pk


def test_an_unverified_mobile_does_not_take_over_an_account(world, provider, client):
    _sign_in(client, provider, {"sub": "sh-evil", "phone_number": "13800000001", "phone_number_verified": False})
    user = User.objects.get(pk=client.session["_auth_user_id"])
    assert user != world.users["alice"] and user.mobile is None and user.username.startswith("oidc-")


def test_a_token_for_another_client_is_refused(world, provider, client):
    provider.audience_override = "someone-else"
    response = _sign_in(client, provider, {"sub": "sh-0002", "phone_number": "13800000003",
                                           "phone_number_verified": True})
    assert response["Location"] == "/accounts/login/?oidc=failed"
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.oidc_refused").exists()


def test_a_token_from_another_issuer_is_refused(world, provider, client):
    provider.issuer_override = "http://evil.example"
    _sign_in(client, provider, {"sub": "sh-0003"})
    assert "_auth_user_id" not in client.session


def test_an_administrator_signing_in_through_the_portal_still_needs_totp(world, provider, client):
    ExternalIdentity.objects.create(user=world.users["district_a"], issuer=provider.issuer, subject="sh-admin")
    _sign_in(client, provider, {"sub": "sh-admin"}, next_url="/work/")
    assert client.get("/work/")["Location"].startswith("/accounts/otp/")


def test_without_an_issuer_the_portal_sign_in_does_not_exist(world, client, settings):
    settings.OIDC_ENABLED = False
    assert client.get("/accounts/portal/start/").status_code == 404
    assert client.get("/accounts/portal/callback/?code=x&state=y").status_code == 404
