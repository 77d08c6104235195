"""Members benchmark (PostgreSQL), two parts, each a ratio measured in the same run (DESIGN.md §7):

1. Roster import: a generated 100,000-row .xlsx landed into a database already holding 1,000,000 members.
   rows/s of check + commit (the code the commit job runs: read, check every row against the file and the
   database, bulk-insert person files, memberships and events) as a ratio to the baseline of parsing the same
   file with openpyxl's read-only mode plus a raw bulk insert of the rows into the same tables (target ≥ 0.5);
   peak memory of the import process from resource.getrusage's maxrss (target < 1 GB). Both run in fresh
   processes, in a transaction that is rolled back after the clock stops, so the dataset stays as built.
2. The member list and search, signed in (Django test Client, DEBUG off), at 1,000,000 members vs 1,000:
   the scaling ratio of the median latency (small ÷ large, target ≥ 0.5).

    python bench/members.py            (make bench runs it)
    python bench/members.py --quick    (20,000 members, a 5,000-row roster)

Datasets: PostgreSQL databases gonghui_bench_members_<n> on localhost:5432 (migrate, seed --demo, then members
written with COPY), reused while the marker in var/bench/ matches the generator code; rosters cached in var/bench/.
"""

import argparse
import base64
import hashlib
import io
import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.datasets import PG_CLIENT, PYTHON, ROOT, VAR, Dataset, log, production_env

IMPORT_TARGET = 0.5
SCALING_TARGET = 0.5
MEMORY_TARGET_MB = 1024
SEED_VERSION = "1"  # bump when the seeded rows change: datasets are rebuilt
REGIONS = ["310101", "310104", "310105", "310106", "310107", "310109", "310110", "310112"]
# Districts that existed for every birth year of the roster (1962–2002), so each roster ID number is valid.
ROSTER_REGIONS = ["310101", "310104", "310105", "310106", "310107", "310108", "310109", "310110"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉宇浩凯健俊帆帅旭宁龙林欣佳"
FORMS_CN = ["职工", "外卖骑手", "快递员", "网约车司机", "货车司机", "家政服务员", "保安员", "其他灵活就业"]
FORMS = ["employee", "food_delivery", "courier", "ride_hailing", "truck_driver", "domestic", "security_guard",
         "flexible"]
ROSTER_OFFSET = 5_000_000  # roster people never collide with the seeded ones


class MembersDataset(Dataset):
    @property
    def name(self) -> str:
        return f"gonghui_bench_members_{self.size}"

    @property
    def marker(self) -> Path:
        return VAR / f"bench-members-{self.size}.built"

    def fingerprint(self) -> str:
        """What the rows depend on: this generator, the members tables and the demo personas. Other apps'
        migrations reach a reused dataset through ``migrate``."""
        digest = hashlib.sha256(SEED_VERSION.encode())
        for path in [ROOT / "gonghui/demo/data.py", *sorted((ROOT / "gonghui/members/migrations").glob("*.py"))]:
            digest.update(path.read_bytes())
        return digest.hexdigest()

    def env(self) -> dict[str, str]:
        env = production_env(self.url)
        env["GONGHUI_ALLOWED_HOSTS"] = "127.0.0.1,testserver"
        return env

    def child(self, *args: str, timeout: int = 3600) -> dict:
        result = subprocess.run([PYTHON, str(Path(__file__).resolve()), *args], cwd=ROOT, env=self.env(),
                                capture_output=True, text=True, timeout=timeout)
        if result.returncode:
            raise RuntimeError(f"bench/members.py {' '.join(args)} failed on {self.name}:\n{result.stderr[-4000:]}")
        return json.loads(result.stdout.strip().splitlines()[-1])

    def ensure_members(self) -> str:
        if self._exists() and self.marker.exists() and self.marker.read_text() == self.fingerprint():
            try:
                self.manage("migrate", "--no-input", "-v0")
                if self.child("count")["members"] >= self.size:
                    return "reused"
            except RuntimeError:
                pass
        started = time.perf_counter()
        log(f"building {self.name} with {self.size:,} members …")
        self.marker.unlink(missing_ok=True)
        self._drop()
        self._create()
        self.manage("migrate", "--no-input", "-v0")
        self.child("demo")  # the personas only: other apps' demo stories are not part of this benchmark
        self.child("seed", str(self.size))
        subprocess.run(["psql", *PG_CLIENT, "-q", "-d", self.name, "-c", "VACUUM ANALYZE"], check=True)
        self.marker.write_text(self.fingerprint())
        return f"built in {time.perf_counter() - started:.0f} s"


# -- generated people (deterministic) -------------------------------------------------------------------------


def id_number_of(i: int, regions: list[str] = REGIONS) -> str:
    from stdnum.cn import ric

    region = regions[i % len(regions)]
    k = i // len(regions)
    born = date(1962, 1, 1) + timedelta(days=k % 14_600)
    body = f"{region}{born:%Y%m%d}{500 + k // 14_600 % 500:03d}"  # 5xx: clear of the demo personas' numbers
    return body + ric.calc_check_digit(body + "0")


def name_of(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")


# -- child commands (run inside the dataset's Django environment) ---------------------------------------------


def cmd_demo() -> dict:
    from gonghui.demo import data

    if not data.has_data():
        data.build()
    return {"demo": True}


def cmd_count() -> dict:
    from gonghui.members.models import Membership

    return {"members": Membership.objects.filter(member_number__startswith="BM").count()}


def cmd_seed(n: int) -> dict:
    """n people, each a current member of one of the demo organisations, written with COPY."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from django.db import connection, transaction
    from django.utils import timezone

    from gonghui.core.crypto import PREFIX, blind_index, keyring
    from gonghui.members.models import Membership, Person
    from gonghui.orgs.models import Organization

    rng = random.Random(7)
    orgs = list(Organization.objects.exclude(parent__isnull=True).values_list("pk", "name"))
    union_a1 = next(pk for pk, name in orgs if name == "上海浦江精密机械有限公司工会")
    ring = keyring()
    # The key ring's own format (core.crypto), with one cipher object for the whole load.
    aes = AESGCM(ring.keys[ring.primary])
    label = f"{PREFIX}${ring.primary}$"

    def encrypt(text: str) -> str:
        nonce = os.urandom(12)
        return label + base64.b64encode(nonce + aes.encrypt(nonce, text.encode(), PREFIX.encode())).decode()

    now = timezone.now()
    person_start = (Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    member_start = (Membership.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    person_cols = ("id, name, id_number, id_number_bidx, gender, birth_date, mobile, platform_name, "
                   "employment_form, occupation, skill_level, owner_organization_id, created_at")
    member_cols = "id, person_id, union_id, status, member_number, joined_on, created_at"
    chunk = 50_000
    connection.ensure_connection()
    for start in range(0, n, chunk):
        people, members = [], []
        for i in range(start, min(n, start + chunk)):
            number = id_number_of(i)
            union = union_a1 if rng.random() < 0.05 else rng.choice(orgs)[0]
            form = rng.randrange(len(FORMS))
            born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
            people.append((person_start + i, name_of(rng), encrypt(number), blind_index(number),
                           "M" if int(number[16]) % 2 else "F", born, f"15{i:09d}", "", FORMS[form], "", "",
                           union, now))
            members.append((member_start + i, person_start + i, union, "active", f"BM{i:09d}",
                            date(2000, 1, 1) + timedelta(days=rng.randrange(9000)), now))
        with transaction.atomic(), connection.connection.cursor() as cursor:
            with cursor.copy(f"COPY members_person ({person_cols}) FROM STDIN") as copy:
                for row in people:
                    copy.write_row(row)
            with cursor.copy(f"COPY members_membership ({member_cols}) FROM STDIN") as copy:
                for row in members:
                    copy.write_row(row)
        print(f"seeded {min(n, start + chunk):,}", file=sys.stderr, flush=True)
    with connection.cursor() as cursor:
        for table in ("members_person", "members_membership"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    return cmd_count()


def roster_file(rows: int) -> Path:
    """A clean roster of ``rows`` new people, cached (its bytes never change for a size)."""
    path = VAR / f"bench-roster-{rows}.xlsx"
    if path.exists():
        return path
    from openpyxl import Workbook

    rng = random.Random(rows)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("会员名册")
    sheet.append(["姓名", "身份证号", "手机号", "就业形态", "工作单位/平台", "职业", "技能等级", "入会日期"])
    for i in range(rows):
        form = rng.randrange(len(FORMS_CN))
        sheet.append([name_of(rng), id_number_of(ROSTER_OFFSET + i, ROSTER_REGIONS), f"17{i:09d}", FORMS_CN[form],
                      "上海浦江精密机械有限公司" if form == 0 else "同城外卖平台", "配送", "",
                      f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}"])
    VAR.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


class Rollback(Exception):
    pass


def _union_and_actor():
    from gonghui.accounts.models import User
    from gonghui.orgs.models import Organization

    return Organization.objects.get(name="上海浦江精密机械有限公司工会"), User.objects.get(username="union_a1")


def cmd_import(path: str) -> dict:
    """What the commit job runs: read and check every row, then land them in one transaction."""
    import resource

    from django.db import transaction

    from gonghui.core.models import PrivateFile
    from gonghui.members import roster
    from gonghui.members.models import RosterImport

    union, actor = _union_and_actor()
    data = Path(path).read_bytes()
    elapsed, landed = 0.0, 0
    try:
        with transaction.atomic():
            stored = PrivateFile.objects.create(organization=union, uploaded_by=actor, purpose="bench",
                                                original_name="bench.xlsx", content_type=roster.XLSX_TYPE,
                                                size=len(data), sha256="bench", storage_name="bench")
            upload = RosterImport.objects.create(union=union, uploaded_by=actor, source_file=stored,
                                                 file_name="bench.xlsx", sha256="bench", status="committing")
            started = time.perf_counter()
            result = roster.check_sheet(roster.open_sheet(data, "bench.xlsx"), union=union, actor=actor)
            if not result.ok:
                raise RuntimeError(f"the roster has {len(result.errors)} rows with errors: {result.errors[:3]}")
            landed = roster.land(actor=actor, roster=upload, rows=result.clean)
            elapsed = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    return {"rows": landed, "seconds": elapsed, "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def cmd_baseline(path: str) -> dict:
    """openpyxl read-only parsing plus a raw bulk insert of the same rows into the same tables."""
    import resource

    from django.db import connection, transaction
    from django.utils import timezone
    from openpyxl import load_workbook

    union, _actor = _union_and_actor()
    data = Path(path).read_bytes()
    now = timezone.now()
    rows = 0
    try:
        with transaction.atomic():
            started = time.perf_counter()
            workbook = load_workbook(io.BytesIO(data), read_only=True)
            parsed = list(workbook.worksheets[0].iter_rows(min_row=2, values_only=True))
            workbook.close()
            with connection.cursor() as cursor:
                for begin in range(0, len(parsed), 1000):
                    batch = parsed[begin:begin + 1000]
                    values = []
                    for name, idn, mobile, form, _w, occupation, _s, _joined in batch:
                        values.extend([name, idn, "", mobile, form, occupation or "", union.pk, now])
                    cursor.execute(
                        "INSERT INTO members_person (name, id_number, id_number_bidx, mobile, employment_form, "
                        "occupation, owner_organization_id, created_at, gender, platform_name, skill_level) VALUES "
                        + ",".join(["(%s, %s, %s, %s, %s, %s, %s, %s, '', '', '')"] * len(batch))
                        + " RETURNING id", values)
                    ids = [r[0] for r in cursor.fetchall()]
                    member_values = []
                    for (row, pk) in zip(batch, ids, strict=True):
                        member_values.extend([pk, union.pk, f"BL{pk}", row[7], now])
                    cursor.execute(
                        "INSERT INTO members_membership (person_id, union_id, member_number, joined_on, created_at, "
                        "status) VALUES " + ",".join(["(%s, %s, %s, %s, %s, 'active')"] * len(batch)), member_values)
                    rows += len(batch)
            elapsed = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    return {"rows": rows, "seconds": elapsed, "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _client(username: str):
    from django.test import Client

    from gonghui.accounts.middleware import OTP_SESSION_KEY
    from gonghui.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username), backend="gonghui.accounts.backends.GonghuiBackend")
    session = client.session
    session[OTP_SESSION_KEY] = True
    session.save()
    return client


LIST_TARGETS = [
    # key, persona, path, marker proving real content
    ("list_city", "city", "/work/members/", b'data-testid="member-table"'),
    ("list_union", "union_a1", "/work/members/", b'data-testid="member-table"'),
    ("search_name", "city", "/work/members/?q=李", b'data-testid="member-table"'),
    ("search_id", "city", "/work/members/?q=310101199003070027", "李爱丽".encode()),
    ("search_mobile", "city", "/work/members/?q=13800000001", "李爱丽".encode()),
    ("search_number", "district_a", "/work/members/?q=310000000001", "李爱丽".encode()),
    ("api_city", "city", "/api/v1/members?limit=50", b'"member_number"'),
]


def cmd_list(seconds: float) -> dict:
    from django.conf import settings
    from django.test.utils import override_settings

    # Static URLs without the collected manifest (collectstatic is not what this measures).
    storages = {**settings.STORAGES,
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(STORAGES=storages):
        return _measure_list(seconds)


def _measure_list(seconds: float) -> dict:
    clients = {}
    out = {}
    for key, persona, path, marker in LIST_TARGETS:
        client = clients.setdefault(persona, _client(persona))
        for _ in range(3):
            response = client.get(path)
            if response.status_code != 200 or marker not in response.content:
                raise RuntimeError(f"{persona} GET {path}: {response.status_code} {response.content[:300]!r}")
        times = []
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline or len(times) < 20:
            started = time.perf_counter()
            client.get(path)
            times.append(time.perf_counter() - started)
        out[key] = {"median_ms": statistics.median(times) * 1000, "requests": len(times)}
    return out


# -- the run --------------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="20,000 members and a 5,000-row roster")
    parser.add_argument("--rounds", type=int, default=2, help="import and baseline runs each (best counts)")
    parser.add_argument("--seconds", type=float, default=3.0, help="seconds per list URL")
    args = parser.parse_args()
    small, large, roster_rows = (1000, 20_000, 5_000) if args.quick else (1000, 1_000_000, 100_000)

    sets = {size: MembersDataset("postgres", size) for size in (small, large)}
    for dataset in sets.values():
        log(f"{dataset.name}: {dataset.ensure_members()}")
    path = roster_file(roster_rows)
    log(f"roster {path.name}: {path.stat().st_size / 1048576:.1f} MB")

    big = sets[large]
    # The lists first, on the datasets as built; the import rounds leave dead rows behind (rolled back).
    lists = {size: sets[size].child("list", str(args.seconds)) for size in (small, large)}
    imports, baselines = [], []
    for round_no in range(args.rounds):
        baselines.append(big.child("baseline", str(path)))
        imports.append(big.child("import", str(path)))
        log(f"round {round_no + 1}: import {imports[-1]['seconds']:.1f} s, baseline {baselines[-1]['seconds']:.1f} s")
    best_import = min(imports, key=lambda r: r["seconds"])
    best_base = min(baselines, key=lambda r: r["seconds"])
    import_rps = best_import["rows"] / best_import["seconds"]
    base_rps = best_base["rows"] / best_base["seconds"]
    ratio = import_rps / base_rps
    peak = max(r["maxrss_mb"] for r in imports)

    # What autovacuum would do after the rolled-back rounds, so the next run starts from the same state.
    subprocess.run(["psql", *PG_CLIENT, "-q", "-d", big.name, "-c", "VACUUM ANALYZE"], check=True)

    lines = [
        f"# Members benchmark ({'quick' if args.quick else 'full'}, PostgreSQL)",
        "",
        f"Roster import: {roster_rows:,} rows into {large:,} members",
        "",
        "| | rows/s | seconds | peak memory |",
        "|---|---:|---:|---:|",
        f"| check + commit (the commit job) | {import_rps:,.0f} | {best_import['seconds']:.1f} | {peak:.0f} MB |",
        f"| baseline: openpyxl read-only + raw bulk insert | {base_rps:,.0f} | {best_base['seconds']:.1f} | "
        f"{best_base['maxrss_mb']:.0f} MB |",
        "",
        f"ratio to baseline {ratio:.2f} (target ≥ {IMPORT_TARGET}) {'OK' if ratio >= IMPORT_TARGET else 'BELOW'}; "
        f"peak memory {peak:.0f} MB (target < {MEMORY_TARGET_MB} MB) {'OK' if peak < MEMORY_TARGET_MB else 'ABOVE'}",
        "",
        f"Member list and search, signed in (median ms), {small:,} vs {large:,} members",
        "",
        f"| | {small:,} | {large:,} | scaling ratio |",
        "|---|---:|---:|---:|",
    ]
    worst = None
    for key, persona, path_, _marker in LIST_TARGETS:
        a, b = lists[small][key]["median_ms"], lists[large][key]["median_ms"]
        scaling = a / b
        worst = scaling if worst is None else min(worst, scaling)
        lines.append(f"| {persona} {path_} | {a:.1f} | {b:.1f} | {scaling:.2f} |")
    lines += ["", f"worst scaling ratio {worst:.2f} (target ≥ {SCALING_TARGET}) "
              f"{'OK' if worst >= SCALING_TARGET else 'BELOW'}"]
    report = "\n".join(lines)
    print(report)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / f"members{'-quick' if args.quick else ''}.md").write_text(report + "\n")
    return 0


def child_main(argv: list[str]) -> None:
    import django

    django.setup()
    command = argv[0]
    if command == "count":
        out = cmd_count()
    elif command == "demo":
        out = cmd_demo()
    elif command == "seed":
        out = cmd_seed(int(argv[1]))
    elif command == "import":
        out = cmd_import(argv[1])
    elif command == "baseline":
        out = cmd_baseline(argv[1])
    elif command == "list":
        out = cmd_list(float(argv[1]))
    else:
        raise SystemExit(f"unknown command {command}")
    print(json.dumps(out, default=str))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in ("count", "demo", "seed", "import", "baseline", "list"):
        child_main(sys.argv[1:])
    else:
        sys.exit(main())
