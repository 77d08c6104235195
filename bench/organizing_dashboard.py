"""Membership dashboard benchmark: the figures of the organising dashboard (members by group and by child
organisation, joins in the year and per week, establishment rate, progress to targets) for the city with
LARGE memberships in the database, as a ratio to the brute-force baseline of reading the same memberships
into Python and counting them there, in the same run (target ≥ 2: the counting stays in the database).
Also the scaling ratio of the aggregate per membership, LARGE against SMALL (µs per row, small ÷ large).

    python bench/organizing_dashboard.py             (make bench runs it; 200,000 memberships)
    python bench/organizing_dashboard.py --quick     (20,000)

A fresh SQLite database under var/bench/ is built each run (or pass BENCH_ORGANIZING_DB=postgres://… naming an
empty PostgreSQL database).
"""

import argparse
import os
import random
import statistics
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET = 2.0
SMALL = 1000


def _setup(db_url: str):
    os.environ.setdefault("GONGHUI_DEBUG", "1")
    os.environ["GONGHUI_DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gonghui.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--no-input", "-v0")
    from gonghui.demo import data

    data.build()


def _seed(size: int, start: int):
    """``size`` people with memberships spread over 20 grassroots unions per district, joined over two years."""
    from gonghui.members.choices import EmploymentForm
    from gonghui.members.models import Membership, Person
    from gonghui.orgs import services
    from gonghui.orgs.choices import OrgKind
    from gonghui.orgs.models import Organization

    rng = random.Random(size)
    streets = list(Organization.objects.filter(kind=OrgKind.STREET_FEDERATION))
    unions = list(Organization.objects.filter(kind=OrgKind.GRASSROOTS_UNION))
    if len(unions) < 40:
        for street in streets:
            for n in range(20):
                unions.append(services.create_organization(actor=None, parent=street, kind=OrgKind.GRASSROOTS_UNION,
                                                           name=f"{street.name}基层工会{n}"))
    forms = EmploymentForm.values
    owner = streets[0]
    today = date.today()
    batch = 10_000
    for offset in range(0, size, batch):
        people = Person.objects.bulk_create([
            Person(name=f"工{start + offset + i}", employment_form=rng.choice(forms), owner_organization=owner)
            for i in range(min(batch, size - offset))])
        Membership.objects.bulk_create([
            Membership(person=p, union=rng.choice(unions), member_number=f"B{start + offset + i:09d}",
                       joined_on=today - timedelta(days=rng.randrange(730)))
            for i, p in enumerate(people)])


def _dashboard(year):
    from gonghui.organizing import targets
    from gonghui.organizing.models.targets import Target
    from gonghui.orgs.models import Organization

    city = Organization.objects.get(parent__isnull=True)
    children = list(Organization.objects.filter(parent=city))
    figures = targets.overview(city, children, year=year)
    targets.progress(Target.objects.filter(organization__in=[city, *children], year=year).select_related(
        "organization"))
    return figures


def _brute_force(year):
    """The same member figures computed in Python from every membership row (the baseline)."""
    from gonghui.members.choices import CURRENT_STATUSES, EmploymentForm
    from gonghui.members.models import Membership
    from gonghui.orgs.models import Organization

    city = Organization.objects.get(parent__isnull=True)
    children = {o.path: o.pk for o in Organization.objects.filter(parent=city)}
    length = len(city.path) + 4
    current, gig, joined, by_child, by_form = 0, 0, 0, Counter(), Counter()
    for path, status, joined_on, form in Membership.objects.values_list(
            "union__path", "status", "joined_on", "person__employment_form").iterator(chunk_size=5000):
        if status in CURRENT_STATUSES:
            current += 1
            by_form[form] += 1
            by_child[children.get(path[:length])] += 1
            gig += form != EmploymentForm.EMPLOYEE
        joined += joined_on.year == year and status != "transferred"
    return {"current": current, "gig": gig, "joined": joined}


def _settle():
    """Checkpoint SQLite's write-ahead log (PostgreSQL: refresh statistics, as autovacuum would)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)" if connection.vendor == "sqlite" else "ANALYZE")


def _median(func, rounds=5):
    times = []
    result = None
    for _ in range(rounds):
        started = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    large = 20_000 if args.quick else int(os.environ.get("BENCH_ORGANIZING_LARGE", "200000"))
    db_url = os.environ.get("BENCH_ORGANIZING_DB", "")
    if not db_url:
        path = ROOT / "var" / "bench" / "organizing-dashboard.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        db_url = f"sqlite:///{path}"
    _setup(db_url)
    from gonghui.members.models import Membership

    year = date.today().year
    base = Membership.objects.count()
    _seed(SMALL, 0)
    small_rows = Membership.objects.count()
    _settle()
    small_time, _ = _median(lambda: _dashboard(year))
    _seed(large - SMALL, SMALL)
    large_rows = Membership.objects.count()
    _settle()
    large_time, figures = _median(lambda: _dashboard(year))
    brute_time, brute = _median(lambda: _brute_force(year), rounds=3)
    assert figures["totals"] == brute, (figures["totals"], brute)  # the same numbers both ways
    per_row_small, per_row_large = small_time / small_rows, large_time / large_rows
    ratio = brute_time / large_time
    scaling = per_row_small / per_row_large
    print(f"organizing dashboard ({'PostgreSQL' if db_url.startswith('postgres') else 'SQLite'}), {base} demo rows:")
    print(f"  dashboard figures at {small_rows:,} memberships: {small_time * 1000:.1f} ms")
    print(f"  dashboard figures at {large_rows:,} memberships: {large_time * 1000:.1f} ms")
    print(f"  brute force (rows read into Python) at {large_rows:,}: {brute_time * 1000:.1f} ms")
    print(f"  ratio to brute force: {ratio:.1f}x (target ≥ {TARGET:g}) {'OK' if ratio >= TARGET else 'BELOW TARGET'}")
    print(f"  scaling ratio per row (small ÷ large): {scaling:.2f}")


if __name__ == "__main__":
    main()
