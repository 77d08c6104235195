"""Production refuses default secrets and passes Django's deployment checks."""

import base64
import os
import secrets
import subprocess
import sys

from django.conf import settings

STRONG = {
    "GONGHUI_SECRET_KEY": secrets.token_urlsafe(50),
    "GONGHUI_FIELD_KEYS": "k1:" + base64.urlsafe_b64encode(os.urandom(32)).decode(),
    "GONGHUI_BLIND_INDEX_KEY": secrets.token_urlsafe(32),
    "GONGHUI_AUDIT_KEY": secrets.token_urlsafe(32),
    "GONGHUI_ALLOWED_HOSTS": "gonghui.example.cn",
}


def _manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GONGHUI_")}
    clean.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], env=clean, capture_output=True, text=True,
                          cwd=settings.BASE_DIR, timeout=120)


def test_production_refuses_to_start_without_secrets():
    result = _manage("check")
    assert result.returncode != 0 and "GONGHUI_SECRET_KEY is required" in result.stderr


def test_production_refuses_a_weak_secret():
    result = _manage("check", **{**STRONG, "GONGHUI_SECRET_KEY": "django-insecure-changeme"})
    assert result.returncode != 0 and "long random value" in result.stderr


def test_bad_boolean_fails_loudly():
    result = _manage("check", **{**STRONG, "GONGHUI_DEBUG": "maybe"})
    assert result.returncode != 0 and "GONGHUI_DEBUG must be a boolean" in result.stderr


def test_check_deploy_is_clean_in_production(tmp_path):
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **STRONG, GONGHUI_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_csp_header_is_sent(client, db):
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
