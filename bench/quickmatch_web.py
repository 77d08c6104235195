"""会聘 quick match through the web stack: ``POST /api/v1/employment/match`` in process (Django test client,
signed in), with the postings in the database, at 1,000 and at 100,000 live postings.

Prints p50/p95 of the endpoint at both sizes and the scaling ratio (large ÷ small), the ratio to the engine's
own ``JobIndex.search`` for the same queries on the same index (what the Django side adds: version check,
fetching the postings, rendering the reasons), and the ratio to a bare endpoint (``GET /api/v1/me``) measured
in the same run. Also the first request's index build at each size. SQLite file under var/bench/.

    python bench/quickmatch_web.py            (make bench runs it)
    BENCH_QM_LARGE=20000 python bench/quickmatch_web.py
"""

import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

SMALL = int(os.environ.get("BENCH_QM_SMALL", "1000"))
LARGE = int(os.environ.get("BENCH_QM_LARGE", "100000"))
QUERIES = int(os.environ.get("BENCH_QM_QUERIES", "200"))
DB = ROOT / "var" / "bench" / "quickmatch-web.sqlite3"

os.environ.setdefault("GONGHUI_DEBUG", "1")
os.environ["GONGHUI_DATABASE_URL"] = f"sqlite:///{DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gonghui.settings")
os.environ["GONGHUI_ALLOWED_HOSTS"] = "testserver"


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]


def _time(call, n: int) -> list[float]:
    out = []
    for i in range(n):
        start = time.perf_counter()
        call(i)
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> None:
    import django

    DB.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB}{suffix}").unlink(missing_ok=True)
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import json
    from decimal import Decimal

    from django.test import Client
    from django.utils import timezone
    from employment_data import postings, seekers
    from stdnum.cn import uscc

    from gonghui.accounts.models import User
    from gonghui.employment import matching
    from gonghui.employment.engine.ranking import SeekerProfile
    from gonghui.employment.models import Employer, JobPosting
    from gonghui.orgs.models import Enterprise, Industry, Organization, Region

    city = Organization.objects.create(name="市总工会", kind="city", path="0001", depth=0)
    body = "91310115MA1K00001"
    enterprise = Enterprise.objects.create(name="基准企业", uscc=body + uscc.calc_check_digit(body),
                                           industry=Industry.objects.filter(section__isnull=False).first(),
                                           size_class="small", ownership="private", headcount=50,
                                           region_id="310115", owner_organization=city)
    user = User.objects.create_user(username="bench_seeker", mobile="13800009999")
    employer = Employer.objects.create(enterprise=enterprise, user=User.objects.create_user(username="bench_hr"),
                                       contact_name="王", contact_phone="13800008888", status="approved",
                                       owner_organization=city)
    regions = set(Region.objects.values_list("code", flat=True))
    industries = set(Industry.objects.values_list("code", flat=True))
    closes = timezone.localdate() + timedelta(days=60)
    docs = postings(LARGE)

    def insert(batch):
        now = timezone.now()
        JobPosting.objects.bulk_create([JobPosting(
            employer=employer, owner_organization=city, title=d.title[:80], description=d.description[:5000],
            occupation_code=d.occupation, industry_id=d.industry if d.industry in industries else enterprise.industry_id,
            region_id=d.district if d.district in regions else "310115",
            salary_min=Decimal(d.salary_min) if d.salary_min else None,
            salary_max=Decimal(d.salary_max) if d.salary_max else None, education=d.education or "any",
            experience_years=d.experience_min, skills=list(d.skills), headcount=1, contact_name="王",
            contact_phone="13800008888", closes_on=closes, status="published", published_at=now, updated_at=now)
            for d in batch], batch_size=5000)

    people = seekers(QUERIES, seed=7)
    payloads = [{"text": p.text, "region": p.districts[0] if p.districts else "", "salary": p.salary_min,
                 "education": p.education, "k": 10} for p in people]
    client = Client()
    client.force_login(user, backend="gonghui.accounts.backends.GonghuiBackend")

    def post(i):
        response = client.post("/api/v1/employment/match", data=json.dumps(payloads[i]),
                               content_type="application/json")
        assert response.status_code == 200, response.content[:300]

    def me(_i):
        assert client.get("/api/v1/me").status_code == 200

    def measure(size: int) -> dict:
        matching.reset()
        start = time.perf_counter()
        post(0)
        build = time.perf_counter() - start
        web = _time(post, QUERIES)
        index = matching.job_index()
        profiles = [SeekerProfile(text=p["text"], districts=(p["region"],) if p["region"] else (),
                                  salary_min=p["salary"], education=p["education"]) for p in payloads]
        engine = _time(lambda i: index.search(profiles[i], k=10), QUERIES)
        bare = _time(me, QUERIES)
        return {"size": size, "build": build, "web": _percentiles(web), "engine": _percentiles(engine),
                "bare": _percentiles(bare)}

    insert(docs[:SMALL])
    small = measure(SMALL)
    for start in range(SMALL, LARGE, 20000):
        insert(docs[start:start + 20000])
    large = measure(LARGE)
    print(f"POST /api/v1/employment/match, in process, {QUERIES} queries, top 10 (SQLite)")
    for r in (small, large):
        print(f"  {r['size']:>7,} postings: p50 {r['web'][0]:6.1f} ms  p95 {r['web'][1]:6.1f} ms   "
              f"engine alone p95 {r['engine'][1]:6.1f} ms   bare GET /api/v1/me p95 {r['bare'][1]:5.1f} ms   "
              f"first request (index build) {r['build']:.1f} s")
    print(f"  scaling ratio p95 {LARGE:,} ÷ {SMALL:,}: {large['web'][1] / small['web'][1]:.2f}")
    print(f"  web ÷ engine p95 at {LARGE:,}: {large['web'][1] / large['engine'][1]:.2f}   "
          f"web ÷ bare endpoint p95: {large['web'][1] / large['bare'][1]:.2f}")


if __name__ == "__main__":
    main()
