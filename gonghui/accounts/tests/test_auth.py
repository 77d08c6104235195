"""Sign-in stories: SMS codes for workers, passwords with lock-out for staff, TOTP for administrators,
API tokens for partner systems."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from gonghui.accounts import services
from gonghui.accounts.models import ApiToken, LoginFailure, User
from gonghui.core.notifications import MemorySmsBackend


def _last_code(mobile):
    texts = [t for m, t in MemorySmsBackend.outbox if m == mobile]
    return re.search(r"\d{6}", texts[-1]).group(0)


def test_carol_signs_in_with_an_sms_code(world, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/sms/", {"mobile": "138 0000 0003"})
    assert response.status_code == 200 and "138****0003" in response.content.decode()
    response = client.post("/accounts/sms/", {"mobile": "13800000003", "code": _last_code("13800000003")})
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/")
    assert "陈可乐" in home.content.decode()


def test_a_new_number_gets_an_account_on_first_sign_in(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.request_sms_code(mobile="13912345678", ip="10.0.0.1")
    user = services.verify_sms_code(mobile="13912345678", code=_last_code("13912345678"), ip="10.0.0.1")
    assert user.mobile == "13912345678" and not user.is_staff_member


def test_a_code_works_once(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.request_sms_code(mobile="13912345678", ip=None)
    code = _last_code("13912345678")
    services.verify_sms_code(mobile="13912345678", code=code, ip=None)
    with pytest.raises(ValidationError):
        services.verify_sms_code(mobile="13912345678", code=code, ip=None)


def test_five_wrong_codes_burn_the_code(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.request_sms_code(mobile="13912345678", ip=None)
    code = _last_code("13912345678")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(ValidationError):
            services.verify_sms_code(mobile="13912345678", code=wrong, ip=None)
    with pytest.raises(ValidationError):
        services.verify_sms_code(mobile="13912345678", code=code, ip=None)


@translation.override("en")
def test_sms_is_throttled_per_number_and_per_address(db, settings):
    services.request_sms_code(mobile="13912345678", ip="10.0.0.1")
    with pytest.raises(ValidationError, match="less than a minute"):
        services.request_sms_code(mobile="13912345678", ip="10.0.0.2")
    settings.SMS_PER_ADDRESS_PER_HOUR = 3
    services.request_sms_code(mobile="13900000001", ip="10.0.0.9")
    services.request_sms_code(mobile="13900000002", ip="10.0.0.9")
    services.request_sms_code(mobile="13900000003", ip="10.0.0.9")
    with pytest.raises(ValidationError, match="your network"):
        services.request_sms_code(mobile="13900000004", ip="10.0.0.9")


@pytest.mark.parametrize("mobile", ["", "12345", "23800000000", "1380000000a", "138000000001"])
def test_bad_mobile_numbers_get_a_field_message(db, mobile):
    with pytest.raises(ValidationError) as info:
        services.request_sms_code(mobile=mobile, ip=None)
    assert "mobile" in info.value.message_dict


def test_lockout_is_per_user_and_address_with_back_off(world, client, settings):
    settings.LOGIN_FAILURES_BEFORE_LOCK = 3
    for _ in range(3):
        client.post("/accounts/login/", {"username": "union_a1", "password": "wrong"}, REMOTE_ADDR="10.9.9.9")
    entry = LoginFailure.objects.get(login="union_a1", ip="10.9.9.9")
    first_lock = entry.locked_until - timezone.now()
    assert timedelta(seconds=50) < first_lock <= timedelta(minutes=1)
    response = client.post("/accounts/login/", {"username": "union_a1", "password": "gonghui-demo"},
                           REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    # The attacker's address is locked; the cadre at her own desk still signs in.
    response = client.post("/accounts/login/", {"username": "union_a1", "password": "gonghui-demo"},
                           REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 302
    # Another failure past the threshold doubles the lock.
    LoginFailure.objects.filter(pk=entry.pk).update(locked_until=None)
    services.record_login_failure(login="union_a1", ip="10.9.9.9")
    entry.refresh_from_db()
    assert entry.locked_until - timezone.now() > timedelta(minutes=1, seconds=50)


def test_security_admin_lifts_a_lockout(world, settings):
    settings.LOGIN_FAILURES_BEFORE_LOCK = 1
    services.record_login_failure(login="district_a", ip="10.2.2.2")
    entry = LoginFailure.objects.get()
    response = world.client("security").post(f"/work/security/lockouts/{entry.pk}/clear/")
    assert response.status_code == 302 and not LoginFailure.objects.exists()
    assert world.client("district_a").post(f"/work/security/lockouts/{entry.pk}/clear/").status_code == 403
    assert world.client("security").post("/work/security/lockouts/999999/clear/").status_code == 404


def test_administrator_must_pass_totp_before_any_page(world, client):
    response = client.post("/accounts/login/", {"username": "district_a", "password": "gonghui-demo"})
    assert response["Location"].startswith("/accounts/otp/")
    assert client.get("/work/").status_code == 302
    assert client.post("/accounts/otp/", {"code": "000000"}).status_code == 200
    response = client.post("/accounts/otp/?next=/work/", {"code": world.totp_now()})
    assert response.status_code == 302 and client.get("/work/").status_code == 200


def test_grassroots_cadre_needs_no_totp(world, client):
    client.post("/accounts/login/", {"username": "union_a1", "password": "gonghui-demo"})
    assert client.get("/work/").status_code == 200


def test_first_totp_enrolment_shows_a_qr_code(world, client):
    user = world.users["district_b"]
    User.objects.filter(pk=user.pk).update(totp_secret="", totp_confirmed_at=None)
    client.post("/accounts/login/", {"username": "district_b", "password": "gonghui-demo"})
    page = client.get("/accounts/otp/").content.decode()
    assert "data:image/svg+xml;charset=utf-8,%3Csvg%20xmlns" in page
    user.refresh_from_db()
    import pyotp

    client.post("/accounts/otp/", {"code": pyotp.TOTP(user.totp_secret).now()})
    user.refresh_from_db()
    assert user.totp_confirmed_at is not None


def test_sessions_time_out_when_idle_and_slide_while_used(world, settings):
    assert settings.SESSION_COOKIE_AGE <= 30 * 60
    client = world.client("union_a1")
    client.get("/work/")
    touched = client.session["_touched"]
    client.get("/work/")
    assert client.session["_touched"] == touched  # not rewritten on every request
    session = client.session
    session["_touched"] = touched - settings.SESSION_REFRESH_SECONDS
    session.save()
    response = client.get("/work/")
    assert client.session["_touched"] > touched - settings.SESSION_REFRESH_SECONDS
    assert response.cookies["sessionid"]["max-age"] == settings.SESSION_COOKIE_AGE


def test_api_token_reaches_only_its_organisation_and_permissions(world, client):
    token, raw = services.create_api_token(actor=world.users["security"], name="HR bureau",
                                           organization=world.orgs["district_b"], permissions=["enterprises.view"],
                                           days=30)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    names = [e["name"] for e in client.get("/api/v1/enterprises", **headers).json()["items"]]
    assert "上海汇城软件有限公司" in names and "上海浦江精密机械有限公司" not in names
    assert client.get(f"/api/v1/enterprises/{world.enterprises['a1'].pk}", **headers).status_code == 404
    assert client.get("/api/v1/organizations", **headers).status_code == 403
    assert ApiToken.objects.get(pk=token.pk).key_hash != raw


def test_revoked_and_expired_tokens_are_refused(world, client):
    token, raw = services.create_api_token(actor=world.users["security"], name="x", organization=world.orgs["city"],
                                           permissions=["enterprises.view"], days=1)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/enterprises", **headers).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/enterprises", **headers).status_code == 401
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + timedelta(days=1))
    services.revoke_api_token(actor=world.users["security"], token=token)
    response = client.get("/api/v1/enterprises", **headers)
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


def test_token_form_rejects_bad_input_field_by_field(world):
    with pytest.raises(ValidationError) as info:
        services.create_api_token(actor=world.users["security"], name=" ", organization=world.orgs["city"],
                                  permissions=["no.such"], days=999)
    assert set(info.value.message_dict) == {"name", "permissions", "days"}


def test_nobody_grants_a_role_stronger_than_their_own(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.assign_role(actor=world.users["district_a"], user=world.users["alice"], role="city_admin",
                             organization=world.orgs["union_a1"])
    assignment = services.assign_role(actor=world.users["district_a"], user=world.users["alice"],
                                      role="grassroots_cadre", organization=world.orgs["union_a1"])
    assert assignment.granted_by == world.users["district_a"]
    from django.http import Http404

    with pytest.raises(Http404):
        services.assign_role(actor=world.users["district_a"], user=world.users["bob"], role="grassroots_cadre",
                             organization=world.orgs["union_b1"])


def test_messages_speak_chinese_by_default_and_english_on_request(db):
    with pytest.raises(ValidationError) as info:
        services.request_sms_code(mobile="123", ip=None)
    assert "手机号" in info.value.message_dict["mobile"][0]
    with translation.override("en"), pytest.raises(ValidationError) as info:
        services.request_sms_code(mobile="123", ip=None)
    assert "11-digit" in info.value.message_dict["mobile"][0]


def test_district_admin_gives_and_takes_a_cadre_role_in_the_workbench(world):
    client = world.client("district_a")
    response = client.post("/work/staff/", {"login": "13800000001", "role": "grassroots_cadre",
                                            "organization": world.orgs["union_a1"].pk})
    assert response.status_code == 302
    assignment = world.users["alice"].role_assignments.get()
    assert assignment.granted_by == world.users["district_a"]
    # Organisations outside the district are not even offered.
    response = client.post("/work/staff/", {"login": "bob", "role": "grassroots_cadre",
                                            "organization": world.orgs["union_b1"].pk})
    assert response.status_code == 200 and not world.users["bob"].role_assignments.exists()
    # A role stronger than the district admin's own is not offered either.
    response = client.post("/work/staff/", {"login": "bob", "role": "city_admin",
                                            "organization": world.orgs["union_a1"].pk})
    assert response.status_code == 200 and not world.users["bob"].role_assignments.exists()
    assert client.post(f"/work/staff/{assignment.pk}/revoke/").status_code == 302
    assert not world.users["alice"].role_assignments.exists()


def test_nobody_removes_their_own_role(world):
    own = world.users["district_a"].role_assignments.get()
    world.client("district_a").post(f"/work/staff/{own.pk}/revoke/")
    assert world.users["district_a"].role_assignments.exists()
