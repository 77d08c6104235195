"""Join-form submission under concurrent load on PostgreSQL (issue 4): N signed-in workers submit the online
join form (routing, ID checks, one-open-application lock, hall request + application row) from several
threads at once. Prints p50/p95 and the ratio to the hall's plain application form in the same run.

    python bench/join.py           (make bench runs it)
    BENCH_JOIN_N=200 BENCH_CLIENTS=8 python bench/join.py
"""

import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.datasets import PG, PG_CLIENT, PYTHON, ROOT, _base_env, log, production_env

N = int(os.environ.get("BENCH_JOIN_N", "300"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
NAME = "gonghui_bench_join"


def main() -> int:
    url = f"{PG}/{NAME}"
    subprocess.run(["dropdb", *PG_CLIENT, "--force", "--if-exists", NAME], check=True)
    subprocess.run(["createdb", *PG_CLIENT, NAME], check=True)
    dev = _base_env() | {"GONGHUI_DEBUG": "1", "GONGHUI_DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "gonghui.settings"}
    for args in (["migrate", "--no-input", "-v0"], ["seed", "--demo"]):
        subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=dev, check=True, capture_output=True)
    env = production_env(url) | {"DJANGO_SETTINGS_MODULE": "gonghui.settings"}
    log(f"{N} workers, {CLIENTS} concurrent clients, PostgreSQL")
    result = subprocess.run([PYTHON, "-m", "bench.join_run", str(N), str(CLIENTS)], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    if result.returncode:
        print(result.stderr[-3000:], file=sys.stderr)
        return 1
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    join, hall = figures["join"], figures["hall"]
    print(f"join form   : n={join['n']}  p50 {join['p50_ms']:.1f} ms  p95 {join['p95_ms']:.1f} ms  "
          f"{join['per_s']:.0f}/s")
    print(f"hall form   : n={hall['n']}  p50 {hall['p50_ms']:.1f} ms  p95 {hall['p95_ms']:.1f} ms  "
          f"{hall['per_s']:.0f}/s  (baseline)")
    print(f"join p95 ÷ plain hall submission p95: {join['p95_ms'] / hall['p95_ms']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
