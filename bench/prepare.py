"""Run inside a dataset's Django environment (``python -m bench.prepare status|credentials``); prints JSON.

status       how many scale enterprises the database holds, and whether the demo personas are loaded.
credentials  a signed-in session for the city admin (TOTP already passed) and an API token, both fresh;
             plus a list cursor 90 % of the way down the enterprise list (following "next" that far
             would take thousands of requests), encoded by the app's own keyset pagination.
"""

import json
import sys

import django


def status() -> dict:
    from gonghui.accounts.models import User
    from gonghui.orgs.models import Enterprise

    # The benchmark needs two demo personas: the city admin (pages) and the security admin (the API token).
    personas = User.objects.filter(username__in=["city", "security"]).count() == 2
    scale = Enterprise.objects.filter(owner_organization__name__endswith="规模测试街道总工会").count()
    return {"demo": personas, "scale": scale, "enterprises": Enterprise.objects.count()}


def credentials() -> dict:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from gonghui.accounts.middleware import OTP_SESSION_KEY
    from gonghui.accounts.models import User
    from gonghui.accounts.services import create_api_token
    from gonghui.orgs.models import Organization

    city = User.objects.get(username="city")
    session = SessionStore()
    session[SESSION_KEY] = city._meta.pk.value_to_string(city)
    session[BACKEND_SESSION_KEY] = "gonghui.accounts.backends.GonghuiBackend"
    session[HASH_SESSION_KEY] = city.get_session_auth_hash()
    session[OTP_SESSION_KEY] = True
    session.set_expiry(4 * 3600)
    session.create()

    root = Organization.objects.get(parent__isnull=True)
    _, raw = create_api_token(
        actor=User.objects.get(username="security"), name="benchmark", organization=root,
        permissions=["enterprises.view", "orgs.view"], days=1,
    )
    return {"sessionid": session.session_key, "token": raw, "far_cursor": far_cursor()}


def far_cursor(fraction: float = 0.9) -> dict:
    from gonghui.core.pagination import _encode
    from gonghui.orgs.models import Enterprise

    total = Enterprise.objects.count()
    position = int(total * fraction)
    name, pk = Enterprise.objects.order_by("name", "id").values_list("name", "id")[position - 1]
    return {"cursor": _encode(name, pk, "next"), "row": position + 1, "total": total}


if __name__ == "__main__":
    django.setup()
    command = sys.argv[1] if len(sys.argv) > 1 else "status"
    print(json.dumps({"status": status, "credentials": credentials}[command]()))
