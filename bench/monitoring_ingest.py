"""Monitoring ingestion into the database, end to end: normalise, classify, recognise the enterprise, group near
duplicates (MinHash LSH against the stored recent posts), insert posts and category tags, evaluate alert rules.

Prints posts/s for ``ingestion.ingest`` in batches of 500, and as a baseline a raw ``bulk_create`` of the same
rows (already normalised, nothing computed) into the same database in the same run; the ratio shows what the
pipeline costs on top of the bare insert. A throw-away SQLite database under var/bench/ (or PostgreSQL with
GONGHUI_DATABASE_URL set to a bench database).

    python bench/monitoring_ingest.py [posts]      (make bench runs it with 5,000)
"""

import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gonghui.settings")
os.environ.setdefault("GONGHUI_DEBUG", "1")
BENCH_DB = ROOT / "var" / "bench" / "monitoring-ingest.sqlite3"
if "GONGHUI_DATABASE_URL" not in os.environ:
    BENCH_DB.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{BENCH_DB}{suffix}").unlink(missing_ok=True)
    os.environ["GONGHUI_DATABASE_URL"] = f"sqlite:///{BENCH_DB}"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

BATCH = 500
SUBJECTS = ["浦江精密", "上海迅达物流有限公司", "汇城软件", "张江芯片设计", "徐汇家政", "某电子厂", "一家餐馆", "我们公司"]
EVENTS = [
    "拖欠工资三个月了，老板一直说没钱", "天天加班到晚上十点，周末也不休息，加班费一分没有", "入职半年了还不签劳动合同",
    "突然通知裁员，经济补偿只给一个月", "社保断缴了两个月，公积金也没交", "车间有人受伤了，公司不给认定工伤",
    "一百多名工人在门口聚集讨薪", "老板跑路了，厂子停产，工人工资没着落", "招聘只要男性，女职工怀孕就被调岗",
    "今天组织了职工运动会，大家很开心", "食堂伙食改善了，点赞", "公司从未拖欠工资，网传消息不实",
]
TAILS = ["", "希望工会帮忙。", "有没有人管？", "大家转发一下。", "已经向12351反映。", "求助！！"]


def texts(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        if out and rng.random() < 0.1:
            out.append("【转】" + rng.choice(out[-50:]))  # reposts: grouped, not counted twice
            continue
        out.append(f"{rng.choice(SUBJECTS)}{rng.choice(EVENTS)}，{rng.randint(2, 300)}名员工受影响，"
                   f"{rng.choice(TAILS)}第{i}号")
    return out


def main(n: int) -> int:
    from gonghui.demo import data as demo
    from gonghui.monitoring import engine
    from gonghui.monitoring.ingestion import ingest
    from gonghui.monitoring.models import Post, PostTag, Source
    from gonghui.orgs.models import Organization

    call_command("migrate", "--no-input", verbosity=0)
    if not Organization.objects.exists():
        demo.build()
    city = Organization.objects.get(parent__isnull=True)
    Post.objects.all().delete()
    baseline_source, _ = Source.objects.get_or_create(code="bench-raw", defaults={
        "name": "bench raw", "kind": "push", "owner_organization": city})
    source, _ = Source.objects.get_or_create(code="bench", defaults={
        "name": "bench", "kind": "push", "owner_organization": city})
    corpus = texts(n)
    now = timezone.now()
    items = [{"external_id": f"b{i}", "text": t, "published_at": now} for i, t in enumerate(corpus)]
    engine.classify_many(corpus[:50])  # load the lexicons and automata before timing

    # Baseline: the same rows, already normalised, inserted raw in the same batches.
    started = time.perf_counter()
    for start in range(0, n, BATCH):
        Post.objects.bulk_create([Post(source=baseline_source, external_id=f"r{i}", text=t, published_at=now,
                                       owner_organization=city)
                                  for i, t in enumerate(corpus[start:start + BATCH], start=start)])
    raw_seconds = time.perf_counter() - started
    Post.objects.filter(source=baseline_source).delete()

    started = time.perf_counter()
    created = duplicates = 0
    for start in range(0, n, BATCH):
        result = ingest(source=source, items=items[start:start + BATCH])
        created += result.created
        duplicates += result.near_duplicates
    pipeline_seconds = time.perf_counter() - started
    tags = PostTag.objects.count()
    linked = Post.objects.filter(source=source, enterprise__isnull=False).count()

    raw_rate, rate = n / raw_seconds, n / pipeline_seconds
    print(f"Monitoring ingestion, {n:,} posts in batches of {BATCH} "
          f"({os.environ['GONGHUI_DATABASE_URL'].split(':')[0]})")
    print(f"  raw bulk insert of the same rows (baseline): {raw_rate:>9,.0f} posts/s  ({raw_seconds:.2f} s)")
    print(f"  ingest end to end (classify, link, dedup, store, alerts): {rate:>9,.0f} posts/s  "
          f"({pipeline_seconds:.2f} s)")
    print(f"  ratio pipeline / raw insert: {rate / raw_rate:.3f}  (the pipeline's cost factor: "
          f"{raw_rate / rate:.1f}×)")
    print(f"  stored {created:,} posts, {duplicates:,} near duplicates grouped, {tags:,} category tags, "
          f"{linked:,} linked to an enterprise")
    return 0 if created == n else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000))
