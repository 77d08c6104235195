"""``make bench``: the enterprise list (workbench page and API) against a bare Django view, on SQLite and
PostgreSQL, at a small and a large dataset; prints requests/s, p95 latency, the scaling ratio and the ratio
to the bare view, and writes the same table to bench/results/latest.md (DESIGN.md §7).

Knobs (environment): BENCH_BACKENDS=sqlite,postgres  BENCH_SMALL=1000  BENCH_LARGE=100000
BENCH_DURATION=4 (seconds per burst)  BENCH_ROUNDS=3 (bursts per URL, interleaved small/large; the best counts)
BENCH_WARMUP=1  BENCH_CLIENTS=4  BENCH_WORKERS=2  BENCH_DEEP_PAGES=50  BENCH_MAX_REQUESTS=20000 (per burst)

Datasets are built once (migrate, seed --demo, seed --scale N) and reused while complete and while the
migrations, seed and search-indexing code are unchanged: SQLite files in var/bench/, PostgreSQL databases
gonghui_bench_<N> on localhost:5432 (user postgres). Delete var/bench/*.built to force a rebuild.
"""

import datetime
import html
import json
import os
import platform
import re
import sqlite3
import subprocess
import sys
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urljoin

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import load
from bench.datasets import ROOT, VAR, Dataset, log, production_env
from bench.server import Server

SCALING_TARGET = 0.5
BARE_TARGET = 0.25
RESULTS = ROOT / "bench" / "results"
WEB_LIST = "/work/enterprises/"
API_LIST = "/api/v1/enterprises?limit=50"
WEB_PAGE_SIZE = 25
API_PAGE_SIZE = 50
TABLE_MARKER = b'data-testid="enterprise-table"'
ROW = re.compile(rb'<tr><td><a href="/work/enterprises/\d+/">')
NEXT = re.compile(r'<a href="([^"]*)" rel="next"')


def env_number(name: str, default: float, kind=int):
    return kind(os.environ.get(name, default))


@dataclass(frozen=True)
class Config:
    backends: tuple[str, ...] = tuple(
        b.strip() for b in os.environ.get("BENCH_BACKENDS", "sqlite,postgres").split(",") if b.strip()
    )
    small: int = env_number("BENCH_SMALL", 1000)
    large: int = env_number("BENCH_LARGE", 100_000)
    duration: float = env_number("BENCH_DURATION", 4, float)
    rounds: int = env_number("BENCH_ROUNDS", 3)
    warmup: float = env_number("BENCH_WARMUP", 1, float)
    clients: int = env_number("BENCH_CLIENTS", 4)
    workers: int = env_number("BENCH_WORKERS", 2)
    deep_pages: int = env_number("BENCH_DEEP_PAGES", 50)
    max_requests: int = env_number("BENCH_MAX_REQUESTS", 20_000)

    @property
    def sizes(self) -> tuple[int, ...]:
        return tuple(sorted({self.small, self.large}))


@dataclass
class Target:
    key: str
    path: str
    headers: dict[str, str]
    marker: bytes
    note: str = ""


# What is measured, in table order: (key, label).
TARGETS = [
    ("bare", "bare Django view (baseline)"),
    ("bare_signed_in", "bare Django view, signed in"),
    ("web_first", "workbench list, first page"),
    ("web_search", "workbench list, ?q=科技"),
    ("web_deep", "workbench list, deep cursor"),
    ("api_first", "API list, limit=50"),
    ("api_deep", "API list, deep cursor"),
    ("web_far", "workbench list, cursor at 90 %"),
    ("api_far", "API list, cursor at 90 %"),
]
LABELS = dict(TARGETS)


class CheckFailed(AssertionError):
    pass


def _get(server: Server, path: str, headers: dict[str, str]) -> bytes:
    status, body = load.fetch(server.port, path, headers)
    if status != 200:
        raise CheckFailed(f"{server.label}: GET {path} -> {status}: {body[:300]!r}")
    return body


def _web_rows(server: Server, path: str, headers: dict[str, str], expect: int | None) -> tuple[bytes, int]:
    body = _get(server, path, headers)
    rows = len(ROW.findall(body))
    if TABLE_MARKER not in body or rows == 0 or (expect is not None and rows != expect):
        raise CheckFailed(f"{server.label}: GET {path} shows {rows} enterprise rows (expected {expect or 'some'})")
    return body, rows


def discover(server: Server, credentials: dict, deep_pages: int) -> dict[str, Target]:
    """Check every page really lists enterprises, and follow the next links to a deep cursor."""
    cookie = {"Cookie": f"sessionid={credentials['sessionid']}"}
    bearer = {"Authorization": f"Bearer {credentials['token']}"}
    targets = {
        "bare": Target("bare", "/bench/bare/", {}, b"ok"),
        "bare_signed_in": Target("bare_signed_in", "/bench/bare/", cookie, b"ok"),
    }
    body, _ = _web_rows(server, WEB_LIST, cookie, WEB_PAGE_SIZE)
    targets["web_first"] = Target("web_first", WEB_LIST, cookie, TABLE_MARKER)
    search = WEB_LIST + "?q=" + quote("科技")
    _, found = _web_rows(server, search, cookie, None)
    targets["web_search"] = Target("web_search", search, cookie, TABLE_MARKER, f"{found} rows shown")

    # Deep page: follow rel="next" up to deep_pages times, keeping the deepest page that is full (has a next link).
    path, hops = WEB_LIST, 0
    while hops < deep_pages:
        match = NEXT.search(body.decode())
        if not match:
            break
        candidate = urljoin(WEB_LIST, html.unescape(match.group(1)))
        candidate_body, _ = _web_rows(server, candidate, cookie, None)
        if not NEXT.search(candidate_body.decode()):
            break  # the last page may be short: stay on the full page before it
        path, body, hops = candidate, candidate_body, hops + 1
    _web_rows(server, path, cookie, WEB_PAGE_SIZE)
    targets["web_deep"] = Target("web_deep", path, cookie, TABLE_MARKER,
                                 f"page {hops + 1}, rows {hops * WEB_PAGE_SIZE + 1}–{(hops + 1) * WEB_PAGE_SIZE}")

    page = json.loads(_get(server, API_LIST, bearer))
    if len(page["items"]) != API_PAGE_SIZE or not page["next_cursor"]:
        raise CheckFailed(f"{server.label}: {API_LIST} returned {len(page['items'])} items")
    targets["api_first"] = Target("api_first", API_LIST, bearer, b'"uscc"')
    path, hops = API_LIST, 0
    while hops < deep_pages and page["next_cursor"]:
        candidate = f"{API_LIST}&cursor={quote(page['next_cursor'])}"
        candidate_page = json.loads(_get(server, candidate, bearer))
        if not candidate_page["next_cursor"]:
            break
        path, page, hops = candidate, candidate_page, hops + 1
    if len(page["items"]) != API_PAGE_SIZE:
        raise CheckFailed(f"{server.label}: {path} returned {len(page['items'])} items")
    targets["api_deep"] = Target("api_deep", path, bearer, b'"uscc"',
                                 f"page {hops + 1}, rows {hops * API_PAGE_SIZE + 1}–{(hops + 1) * API_PAGE_SIZE}")

    far = credentials["far_cursor"]
    note = f"rows from {far['row']:,} of {far['total']:,}"
    path = f"{WEB_LIST}?cursor={quote(far['cursor'])}"
    _web_rows(server, path, cookie, WEB_PAGE_SIZE)
    targets["web_far"] = Target("web_far", path, cookie, TABLE_MARKER, note)
    path = f"{API_LIST}&cursor={quote(far['cursor'])}"
    if len(json.loads(_get(server, path, bearer))["items"]) != API_PAGE_SIZE:
        raise CheckFailed(f"{server.label}: {path} is not a full page")
    targets["api_far"] = Target("api_far", path, bearer, b'"uscc"', note)
    return targets


@dataclass
class Figures:
    """Every burst of every round. req/s and p95 come from the best round (the one least disturbed by
    whatever else the machine runs: contention only ever lowers throughput); CPU per request pools all."""

    rounds: dict[tuple[str, str, int], list[tuple[load.Sample, float]]] = field(default_factory=dict)
    notes: dict[tuple[str, str, int], str] = field(default_factory=dict)
    code: dict[str, str] = field(default_factory=dict)  # backend -> the code its servers ran

    def add(self, backend: str, key: str, size: int, sample: load.Sample, cpu: float) -> None:
        self.rounds.setdefault((backend, key, size), []).append((sample, cpu))

    def best(self, backend, key, size) -> load.Sample:
        return max((sample for sample, _ in self.rounds[(backend, key, size)]), key=lambda sample: sample.rps)

    def cpu_ms(self, backend, key, size) -> float:
        """Server CPU (gunicorn workers + PostgreSQL backends) per request: robust to other load on the box."""
        bursts = self.rounds[(backend, key, size)]
        return sum(cpu for _, cpu in bursts) * 1000 / sum(sample.count for sample, _ in bursts)

    def rps(self, backend, key, size) -> float:
        return self.best(backend, key, size).rps

    def p95_ms(self, backend, key, size) -> float:
        return self.best(backend, key, size).percentile(0.95) * 1000


def machine() -> dict[str, str]:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        pg = subprocess.run(["psql", "-U", "postgres", "-h", "localhost", "-tAc", "SHOW server_version"],
                            capture_output=True, text=True, timeout=10).stdout.strip().split()[0]
    except (OSError, IndexError, subprocess.SubprocessError):
        pg = "n/a"
    import django
    import gunicorn

    return {
        "cpus": str(os.cpu_count()), "cpu": cpu, "python": platform.python_version(),
        "django": django.get_version(), "gunicorn": gunicorn.__version__, "sqlite": sqlite3.sqlite_version,
        "postgresql": pg, "os": platform.platform(),
    }


def code_version() -> str:
    """Which application code was measured: the commit, and any uncommitted files outside bench/ and docs/."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              timeout=10).stdout.strip()
        status = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True,
                                timeout=10).stdout.splitlines()
    except (OSError, subprocess.SubprocessError):
        return "unknown (no git)"
    dirty = [line[3:] for line in status if not line[3:].startswith(("bench/", "docs/"))]
    if not dirty:
        return f"commit {head}"
    return f"commit {head} plus uncommitted changes to {', '.join(dirty)}"


def collectstatic(url: str) -> None:
    """DEBUG is off, so {% static %} needs the manifest: collect into var/bench/staticfiles."""
    result = subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT,
                            env=production_env(url), capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"collectstatic failed:\n{result.stdout}\n{result.stderr}")


def measure_backend(config: Config, backend: str, figures: Figures, rebuild: bool) -> None:
    datasets = [Dataset(backend, size) for size in config.sizes]
    credentials = {}
    for dataset in datasets:
        log(f"{dataset}: dataset {dataset.ensure(rebuild=rebuild)}")
        credentials[dataset.size] = dataset.prepare("credentials")
    figures.code[backend] = code_version()
    collectstatic(datasets[0].url)  # per backend: templates may have started using new static files
    with ExitStack() as stack:
        servers = {
            d.size: stack.enter_context(Server(d.url, f"{backend}-{d.size}", config.workers,
                                               d.name if backend == "postgres" else None))
            for d in datasets
        }
        targets = {size: discover(server, credentials[size], config.deep_pages) for size, server in servers.items()}
        for size, found in targets.items():
            for key, target in found.items():
                figures.notes[(backend, key, size)] = target.note
        # Small and large run side by side and alternate, so drift on a shared machine hits both alike.
        for round_no in range(config.rounds):
            for key, _ in TARGETS:
                for size in config.sizes:
                    server, target = servers[size], targets[size][key]
                    run = dict(headers=target.headers, marker=target.marker, clients=config.clients,
                               max_requests=config.max_requests)
                    if round_no == 0 and config.warmup:
                        load.run(server.port, target.path, duration=config.warmup, **run)
                    pids = server.pids()
                    cpu_before = {pid: server.cpu_seconds([pid]) for pid in pids}
                    sample = load.run(server.port, target.path, duration=config.duration, **run)
                    cpu = sum(server.cpu_seconds([pid]) - cpu_before.get(pid, 0.0) for pid in server.pids())
                    figures.add(backend, key, size, sample, cpu)
                    log(f"{backend:8} {size:>7,} {LABELS[key]:32} round {round_no + 1}: {sample.rps:8.1f} req/s  "
                        f"p95 {sample.percentile(0.95) * 1000:7.1f} ms  server CPU {cpu * 1000 / sample.count:5.2f} "
                        f"ms/req  ({sample.count} requests)")


def report(config: Config, figures: Figures, info: dict[str, str], started: datetime.datetime,
           loads: tuple[tuple[float, ...], tuple[float, ...]]) -> str:
    small, large = config.small, config.large
    ks, kl = f"{small:,}", f"{large:,}"
    rps_table = [
        f"| Backend | Request | req/s @{ks} | p95 ms @{ks} | req/s @{kl} | p95 ms @{kl} "
        f"| scaling (≥ {SCALING_TARGET}) | ÷ bare @{ks} | ÷ bare @{kl} (≥ {BARE_TARGET}) "
        f"| ÷ bare signed in @{kl} |",
        "|" + "---|" * 10,
    ]
    cpu_table = [
        f"| Backend | Request | CPU ms/req @{ks} | CPU ms/req @{kl} | scaling by CPU | ÷ bare by CPU @{ks} "
        f"| ÷ bare by CPU @{kl} |",
        "|" + "---|" * 7,
    ]
    missed = []
    for backend in config.backends:
        for key, label in TARGETS:
            rs, rl = figures.rps(backend, key, small), figures.rps(backend, key, large)
            scaling = rl / rs
            bare_s = rs / figures.rps(backend, "bare", small)
            bare_l = rl / figures.rps(backend, "bare", large)
            bare_auth_l = rl / figures.rps(backend, "bare_signed_in", large)
            baseline = key == "bare"
            scaling_mark = "" if scaling >= SCALING_TARGET else " ✗"
            bare_mark = "" if key.startswith("bare") or bare_l >= BARE_TARGET else " ✗"
            if scaling_mark:
                missed.append(f"{backend} · {label}: scaling {scaling:.2f} < {SCALING_TARGET}")
            if bare_mark:
                missed.append(f"{backend} · {label}: {bare_l:.2f} of the bare view at {kl} < {BARE_TARGET}")
            rps_table.append(
                f"| {backend} | {label} | {rs:,.0f} | {figures.p95_ms(backend, key, small):.1f} | {rl:,.0f} "
                f"| {figures.p95_ms(backend, key, large):.1f} | {scaling:.2f}{scaling_mark} "
                f"| {'—' if baseline else f'{bare_s:.2f}'} | {'—' if baseline else f'{bare_l:.2f}{bare_mark}'} "
                f"| {'—' if key.startswith('bare') else f'{bare_auth_l:.2f}'} |"
            )
            cs, cl = figures.cpu_ms(backend, key, small), figures.cpu_ms(backend, key, large)
            cbs, cbl = figures.cpu_ms(backend, "bare", small), figures.cpu_ms(backend, "bare", large)
            cpu_table.append(
                f"| {backend} | {label} | {cs:.2f} | {cl:.2f} | {cs / cl:.2f} "
                f"| {'—' if baseline else f'{cbs / cs:.2f}'} | {'—' if baseline else f'{cbl / cl:.2f}'} |"
            )
    pages = []
    for backend in config.backends:
        for key in ("web_search", "web_deep", "api_deep", "web_far"):
            notes = "; ".join(f"{size:,}: {figures.notes[(backend, key, size)]}" for size in config.sizes)
            pages.append(f"- {backend} · {LABELS[key]} — {notes}")
    text = [
        "# Benchmark: enterprise list vs a bare Django view",
        "",
        f"Run {started:%Y-%m-%d %H:%M %Z} with `make bench` "
        f"(BENCH_BACKENDS={','.join(config.backends)} BENCH_SMALL={small} BENCH_LARGE={large} "
        f"BENCH_DURATION={config.duration:g} BENCH_ROUNDS={config.rounds} BENCH_CLIENTS={config.clients} "
        f"BENCH_WORKERS={config.workers}).",
        "",
        f"Machine: {info['cpus']} CPUs ({info['cpu']}), {info['os']}; Python {info['python']}, "
        f"Django {info['django']}, gunicorn {info['gunicorn']}, SQLite {info['sqlite']}, "
        f"PostgreSQL {info['postgresql']}. Load average (1/5/15 min) before: "
        f"{' '.join(f'{x:.2f}' for x in loads[0])}; after: {' '.join(f'{x:.2f}' for x in loads[1])}.",
        "",
        *(f"Code measured on {backend}: {code}." for backend, code in figures.code.items()),
        "",
        f"Server: gunicorn, {config.workers} sync workers, DEBUG off (production settings, plain HTTP on "
        f"127.0.0.1). Load: {config.clients} concurrent clients (threads on the same machine), "
        f"{config.rounds} × {config.duration:g} s per request and size after a {config.warmup:g} s warm-up, "
        "the small and large datasets served side by side and measured alternately; req/s and p95 are those "
        "of the best of the rounds (other load on the machine only ever lowers them). Every response is "
        "checked (status 200 and real content: the enterprise table, or API items).",
        "Signed in as the city admin (sees every enterprise); the API with a Bearer token for the root "
        "organisation. Scaling = req/s at the large size ÷ req/s at the small size. ÷ bare = req/s of the "
        "request ÷ req/s of the anonymous bare view on the same server in the same run (the target); "
        "÷ bare signed in divides by the bare view requested with the session cookie instead (session load, "
        "user and roles, the per-request session save: the cost every signed-in page pays before its own work).",
        "",
        *rps_table,
        "",
        "Server CPU per request (gunicorn workers, plus the PostgreSQL backends on PostgreSQL), a cross-check "
        "that does not depend on what else the machine is running; its ratios are the same ratios computed "
        "from CPU cost (small ÷ large, bare ÷ request).",
        "",
        *cpu_table,
        "",
        "Pages measured:",
        *pages,
        "",
        "Targets missed (by req/s): " + ("none." if not missed else ""),
        *[f"- {m}" for m in missed],
        "",
    ]
    return "\n".join(text)


def main() -> int:
    config = Config()
    unknown = set(config.backends) - {"sqlite", "postgres"}
    if unknown or not config.backends:
        print(f"BENCH_BACKENDS must name sqlite and/or postgres, got {','.join(config.backends)!r}", file=sys.stderr)
        return 2
    if len(config.sizes) != 2:
        print("BENCH_SMALL and BENCH_LARGE must differ.", file=sys.stderr)
        return 2
    started = datetime.datetime.now().astimezone()
    t0 = time.perf_counter()
    VAR.mkdir(parents=True, exist_ok=True)
    # Datasets hold data encrypted and sealed with var/bench/local-keys.json: without it, start afresh.
    rebuild = not (VAR / "local-keys.json").exists()
    load_before = os.getloadavg()
    log(f"backends {', '.join(config.backends)}; sizes {config.small:,} and {config.large:,}; "
        f"{config.rounds} × {config.duration:g} s per URL")
    figures = Figures()
    for backend in config.backends:
        measure_backend(config, backend, figures, rebuild)
    text = report(config, figures, machine(), started, (load_before, os.getloadavg()))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.md").write_text(text)
    raw = {
        "started": started.isoformat(),
        "code": figures.code,
        "config": {k: getattr(config, k) for k in config.__dataclass_fields__},
        "results": [
            {"backend": b, "request": k, "size": s, "note": figures.notes.get((b, k, s), ""),
             "cpu_ms_per_request": round(figures.cpu_ms(b, k, s), 3),
             "rounds": [{"requests": v.count, "seconds": round(v.elapsed, 3), "rps": round(v.rps, 1),
                         "p50_ms": round(v.percentile(0.5) * 1000, 2), "p95_ms": round(v.percentile(0.95) * 1000, 2),
                         "cpu_s": round(cpu, 3)} for v, cpu in bursts]}
            for (b, k, s), bursts in figures.rounds.items()
        ],
    }
    (RESULTS / "latest.json").write_text(json.dumps(raw, ensure_ascii=False, indent=2))
    print()
    print(text)
    log(f"done in {time.perf_counter() - t0:.0f} s; written to {RESULTS / 'latest.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
