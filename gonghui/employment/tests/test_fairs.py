import threading
from datetime import timedelta

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.employment import fairs, services
from gonghui.employment.models import FairRegistration, JobFair
from gonghui.employment.tests import factories


def _fair(world, quota=10, priority_quota=0, theme="graduate", key="district_a", start=None, **over):
    start = start or timezone.now() + timedelta(days=2)
    data = {"name": "高校毕业生专场", "theme": theme, "mode": "onsite", "starts_at": start,
            "ends_at": start + timedelta(hours=4), "quota": quota, "priority_quota": priority_quota,
            "venue": "浦东就业促进中心"}
    data.update(over)
    return fairs.create_fair(actor=world.users[key], organization=world.orgs[key], **data)


def _seeker(username, *, hardship=False):
    user = User.objects.create_user(username=username, mobile=f"137{abs(hash(username)) % 10**8:08d}")
    groups = ["hardship_graduate"] if hardship else []
    services.save_seeker_profile(actor=user, name=username, mobile=user.mobile, priority_groups=groups)
    return user


@pytest.mark.parametrize(("over", "field"), [
    ({"quota": 0}, "quota"),
    ({"priority_quota": 11}, "priority_quota"),
    ({"mode": "onsite", "venue": ""}, "venue"),
    ({"mode": "live", "stream_url": "http://insecure.example"}, "stream_url"),
    ({"ends_at": timezone.now()}, "ends_at"),
])
def test_bad_fairs_get_field_messages(world, over, field):
    with pytest.raises(ValidationError) as excinfo:
        _fair(world, **over)
    assert field in excinfo.value.message_dict


def test_a_district_cannot_run_a_fair_for_another(world):
    with pytest.raises(PermissionDenied):
        fairs.create_fair(actor=world.users["district_b"], organization=world.orgs["district_a"], name="x",
                          theme="general", mode="online", starts_at=timezone.now(),
                          ends_at=timezone.now() + timedelta(hours=1), quota=5)


def test_a_live_stream_fair_keeps_its_link(world):
    fair = _fair(world, mode="live", venue="", stream_url="https://live.example.cn/fair/1")
    assert fair.stream_url.startswith("https://")


def test_graduate_fair_holds_seats_for_graduates_from_hardship_families(world):
    fair = _fair(world, quota=3, priority_quota=1)
    for name in ("g1", "g2"):
        fairs.register(actor=_seeker(name), fair=fair)
    with pytest.raises(ValidationError) as excinfo:
        fairs.register(actor=_seeker("g3"), fair=fair)
    assert "held for priority groups" in " ".join(excinfo.value.messages)
    seat = fairs.register(actor=_seeker("h1", hardship=True), fair=fair)
    assert seat.priority
    with pytest.raises(ValidationError, match="fully booked"):
        fairs.register(actor=_seeker("h2", hardship=True), fair=fair)
    fair.refresh_from_db()
    assert fair.registered == 3 == FairRegistration.objects.filter(fair=fair).count()


def test_registering_twice_keeps_one_seat(world):
    fair = _fair(world)
    user = _seeker("twice")
    first = fairs.register(actor=user, fair=fair)
    assert fairs.register(actor=user, fair=fair).pk == first.pk
    fair.refresh_from_db()
    assert fair.registered == 1


def test_check_in_with_the_signed_ticket_once(world):
    fair = _fair(world, start=timezone.now() - timedelta(minutes=30))
    registration = fairs.register(actor=_seeker("ticket"), fair=fair)
    token = fairs.ticket_token(registration)
    with pytest.raises(ValidationError):
        fairs.check_in(actor=world.users["district_a"], fair=fair, token=token[:-2] + "xx")
    forged = signing.dumps({"r": registration.pk, "f": fair.pk}, salt="another-salt")
    with pytest.raises(ValidationError):
        fairs.check_in(actor=world.users["district_a"], fair=fair, token=forged)
    with pytest.raises(Http404):
        fairs.check_in(actor=world.users["district_b"], fair=fair, token=token)
    done = fairs.check_in(actor=world.users["district_a"], fair=fair, token=token)
    assert done.checked_in_at is not None
    with pytest.raises(ValidationError, match="already"):
        fairs.check_in(actor=world.users["district_a"], fair=fair, token=token)
    other = _fair(world, name="另一场", start=timezone.now() - timedelta(minutes=30))
    with pytest.raises(ValidationError, match="another fair"):
        fairs.check_in(actor=world.users["district_a"], fair=other, token=token)


def test_fair_results_count_booths_applications_and_hires(world):
    posting = factories.posting(world)
    fair = _fair(world, start=timezone.now() - timedelta(minutes=30))
    fairs.add_booth(actor=world.users["district_a"], fair=fair, employer=posting.employer, number="A01",
                    postings=[posting])
    factories.seeker(world, "alice")
    registration = fairs.register(actor=world.users["alice"], fair=fair)
    fairs.check_in(actor=world.users["district_a"], fair=fair, token=fairs.ticket_token(registration))
    application, _ = services.apply(actor=world.users["alice"], posting=posting, idempotency_key="fair-apply-1")
    for step in ("interview", "offer", "hired"):
        services.move_application(actor=posting.employer.user, application=application, status=step)
    assert fairs.results(fair) == {"registered": 1, "priority": 0, "checked_in": 1, "booths": 1, "postings": 1,
                                   "applications": 1, "hired": 1}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_last_seat_goes_to_one_person_when_many_register_at_once():
    """Real threads, real transactions: 8 seekers race for 5 seats; the row lock lets exactly 5 in."""
    from gonghui.core.testing.personas import build_world

    world = build_world()
    fair = _fair(world, quota=5, theme="general")
    users = [_seeker(f"race{i}") for i in range(8)]
    results, barrier = [], threading.Barrier(8)

    def take(user):
        try:
            barrier.wait()
            fairs.register(actor=user, fair=JobFair.objects.get(pk=fair.pk))
            results.append("seat")
        except ValidationError:
            results.append("full")
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(u,)) for u in users]
    [t.start() for t in threads]
    [t.join() for t in threads]
    fair.refresh_from_db()
    assert results.count("seat") == 5 and results.count("full") == 3
    assert fair.registered == 5 == FairRegistration.objects.filter(fair=fair).count()
