"""Bulk-load N service-hall requests into a benchmark database (``python -m bench.hall_seed N``), plus
sessions for the personas the benchmark signs in as. Prints JSON on the last line."""

import json
import random
import sys
from datetime import timedelta

import django


def seed(n: int) -> dict:
    from django.db import transaction
    from django.utils import timezone

    from gonghui.accounts.models import User
    from gonghui.hall.models import ServiceRequest, ServiceType
    from gonghui.orgs.models import Organization

    existing = ServiceRequest.objects.filter(idempotency_key__startswith="bench-").count()
    if existing >= n:
        return {"requests": existing}
    rng = random.Random(11)
    services = list(ServiceType.objects.all())
    orgs = list(Organization.objects.all())
    union_a1 = Organization.objects.get(name="上海浦江精密机械有限公司工会")
    alice = User.objects.get(username="alice")
    now = timezone.now()
    batch = []
    for i in range(existing, n):
        submitted = now - timedelta(minutes=rng.randint(0, 2 * 365 * 24 * 60))
        closed = rng.random() < 0.8
        org = union_a1 if rng.random() < 0.05 else rng.choice(orgs)
        mine = i % max(1, n // 100) == 0  # alice has about 100 requests at any size
        batch.append(ServiceRequest(
            reference=f"GB{submitted:%Y%m%d}-{i:07d}", service_type=rng.choice(services),
            applicant=alice if mine else None, applicant_name="李爱丽" if mine else f"职工{i}",
            summary="咨询", owner_organization=org, handling_organization=org,
            status="completed" if closed else rng.choice(["submitted", "in_progress"]), channel="online" if mine else "walk_in",
            submitted_at=submitted, due_date=(submitted + timedelta(days=21)).date(),
            closed_at=submitted + timedelta(days=rng.randint(1, 20)) if closed else None,
            closed_on_time=True if closed else None, idempotency_key=f"bench-{i}",
        ))
        if len(batch) == 5000:
            with transaction.atomic():
                ServiceRequest.objects.bulk_create(batch)
            batch = []
    with transaction.atomic():
        ServiceRequest.objects.bulk_create(batch)
    return {"requests": ServiceRequest.objects.filter(idempotency_key__startswith="bench-").count()}


def sessions() -> dict:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from gonghui.accounts.middleware import OTP_SESSION_KEY
    from gonghui.accounts.models import User

    out = {}
    for username in ("city", "union_a1", "alice"):
        user = User.objects.get(username=username)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "gonghui.accounts.backends.GonghuiBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[OTP_SESSION_KEY] = True
        session.set_expiry(4 * 3600)
        session.create()
        out[username] = session.session_key
    return out


if __name__ == "__main__":
    django.setup()
    command = sys.argv[1]
    print(json.dumps(seed(int(sys.argv[2])) if command == "seed" else sessions()))
