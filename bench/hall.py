"""Service-hall benchmark: the staff inbox and 我的办件, signed in, with 1,000,000 requests in the database
against 1,000 (the scaling ratio, target ≥ 0.5), and as a ratio to a bare Django view on the same server in
the same run. Both backends; datasets kept under var/bench/ and as PostgreSQL databases gonghui_bench_hall_<n>.

    python bench/hall.py            (make bench runs it)
    BENCH_HALL_LARGE=200000 BENCH_BACKENDS=sqlite python bench/hall.py
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.datasets import PG_CLIENT, PYTHON, ROOT, VAR, Dataset, log, production_env
from bench.load import run
from bench.server import Server

SMALL = int(os.environ.get("BENCH_HALL_SMALL", "1000"))
LARGE = int(os.environ.get("BENCH_HALL_LARGE", "1000000"))
BACKENDS = os.environ.get("BENCH_BACKENDS", "sqlite,postgres").split(",")
DURATION = float(os.environ.get("BENCH_DURATION", "4"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "4"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))


class HallDataset(Dataset):
    @property
    def name(self) -> str:
        return f"gonghui_bench_hall_{self.size}"

    @property
    def sqlite_path(self) -> Path:
        return VAR / f"bench-hall-{self.size}.sqlite3"

    def _run(self, *args) -> dict:
        result = subprocess.run([PYTHON, "-m", "bench.hall_seed", *args], cwd=ROOT, env=self.dev_env(),
                                capture_output=True, text=True)
        if result.returncode:
            raise RuntimeError(result.stderr)
        return json.loads(result.stdout.strip().splitlines()[-1])

    def ensure_hall(self) -> str:
        if self._exists():
            try:
                self.manage("migrate", "--no-input", "-v0")  # new indexes reach reused datasets too
                if self._run("seed", str(self.size))["requests"] >= self.size:
                    return "reused"
            except RuntimeError:
                pass
        started = time.perf_counter()
        log(f"building {self.backend} hall dataset with {self.size:,} requests …")
        self._drop()
        self._create()
        self.manage("migrate", "--no-input", "-v0")
        self.manage("seed", "--demo")
        self._run("seed", str(self.size))
        if self.backend == "postgres":
            subprocess.run(["psql", *PG_CLIENT, "-q", "-d", self.name, "-c", "VACUUM ANALYZE"], check=True)
        return f"built in {time.perf_counter() - started:.0f} s"

    def sessions(self) -> dict:
        env = production_env(self.url)
        result = subprocess.run([PYTHON, "-m", "bench.hall_seed", "sessions"], cwd=ROOT, env=env,
                                capture_output=True, text=True, check=True)
        return json.loads(result.stdout.strip().splitlines()[-1])


TARGETS = [
    # label, path, persona, marker proving real content
    ("bare Django view (baseline)", "/bench/bare/", None, b"ok"),
    ("staff inbox, city, open", "/work/hall/?tab=org", "city", b"inbox-table"),
    ("staff inbox, grassroots union, open", "/work/hall/?tab=org", "union_a1", b"inbox-table"),
    ("staff inbox, city, all, filtered by service", "/work/hall/?tab=all&service=hardship-aid", "city",
     b"inbox-table"),
    ("我的办件 (alice)", "/hall/mine/", "alice", b"my-request-"),
]


def best(port, path, headers, marker):
    samples = [run(port, path, headers=headers, marker=marker, duration=DURATION, clients=CLIENTS,
                   max_requests=100_000) for _ in range(ROUNDS)]
    return max(samples, key=lambda s: s.rps)


def main() -> int:
    lines = [f"# Service hall benchmark ({time.strftime('%Y-%m-%d %H:%M')} UTC, `make bench`)", "",
             f"gunicorn 2 sync workers, DEBUG off; {CLIENTS} clients, best of {ROUNDS} × {DURATION:.0f} s.", "",
             f"| Backend | Request | req/s @{SMALL:,} | p95 ms @{SMALL:,} | req/s @{LARGE:,} | p95 ms @{LARGE:,} "
             f"| scaling (≥ 0.5) | ÷ bare @{LARGE:,} |", "|---|---|---|---|---|---|---|---|"]
    missed = []
    for backend in BACKENDS:
        small, large = HallDataset(backend, SMALL), HallDataset(backend, LARGE)
        for dataset in (small, large):
            log(f"{backend}/{dataset.size:,}: {dataset.ensure_hall()}")
        with Server(small.url, f"hall-{backend}-small", 2, small.name if backend == "postgres" else None) as s1, \
                Server(large.url, f"hall-{backend}-large", 2, large.name if backend == "postgres" else None) as s2:
            cookies = {id(s1): small.sessions(), id(s2): large.sessions()}
            results = {}
            for label, path, persona, marker in TARGETS:
                for server in (s1, s2):
                    headers = {"Host": "127.0.0.1"}
                    if persona:
                        headers["Cookie"] = f"sessionid={cookies[id(server)][persona]}"
                    results[(label, id(server))] = best(server.port, path, headers, marker)
            bare_large = results[(TARGETS[0][0], id(s2))].rps
            for label, *_ in TARGETS:
                a, b = results[(label, id(s1))], results[(label, id(s2))]
                scaling = b.rps / a.rps if a.rps else 0
                ratio = b.rps / bare_large if label != TARGETS[0][0] else None
                lines.append(f"| {backend} | {label} | {a.rps:,.0f} | {a.percentile(.95) * 1000:.1f} | {b.rps:,.0f} | "
                             f"{b.percentile(.95) * 1000:.1f} | {scaling:.2f}{' ✗' if scaling < 0.5 else ''} | "
                             f"{'—' if ratio is None else f'{ratio:.2f}'} |")
                if scaling < 0.5:
                    missed.append(f"{backend} {label}: scaling {scaling:.2f}")
                print(lines[-1], flush=True)
    lines += ["", "Targets missed: " + ("; ".join(missed) if missed else "none (scaling)")]
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "hall.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
