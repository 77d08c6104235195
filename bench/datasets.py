"""Benchmark datasets: one database per (backend, size) with the demo personas plus N scale enterprises,
kept between runs under var/bench/ (SQLite) or as PostgreSQL databases gonghui_bench_<n>."""

import hashlib
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
PYTHON = sys.executable
PG = "postgres://postgres@localhost:5432"
PG_CLIENT = ["-U", "postgres", "-h", "localhost", "-p", "5432"]


# The code that decides what a dataset's rows look like: when any of it changes, datasets are rebuilt.
_GENERATOR_FILES = [
    "gonghui/*/migrations/*.py", "gonghui/core/search.py", "gonghui/orgs/scale.py", "gonghui/**/demo*.py",
    "gonghui/demo/**/*.py", "gonghui/**/commands/seed.py",
]


def generator_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted({p for pattern in _GENERATOR_FILES for p in ROOT.glob(pattern)}):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def _base_env() -> dict[str, str]:
    """The caller's environment without any GONGHUI_* setting that could leak into the benchmark."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GONGHUI_", "DJANGO_"))}
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["GONGHUI_VAR_DIR"] = str(VAR)
    env["GONGHUI_LOG_LEVEL"] = "WARNING"
    env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    return env


def local_keys() -> dict[str, str]:
    """The keys the datasets were written with (encrypted fields, blind indexes, audit seals, sessions)."""
    sys.path.insert(0, str(ROOT))
    from gonghui.core.localkeys import load_or_create

    return load_or_create(VAR / "local-keys.json")


def production_env(url: str) -> dict[str, str]:
    """DEBUG off, the same keys as the dataset, plain HTTP on 127.0.0.1: how the server really runs."""
    env = _base_env() | local_keys()
    env.update({
        "GONGHUI_DEBUG": "0",
        "GONGHUI_DATABASE_URL": url,
        "GONGHUI_SSL_REDIRECT": "0",
        "GONGHUI_ALLOWED_HOSTS": "127.0.0.1",
    })
    return env


@dataclass(frozen=True)
class Dataset:
    backend: str  # "sqlite" or "postgres"
    size: int

    @property
    def name(self) -> str:
        return f"gonghui_bench_{self.size}"

    @property
    def marker(self) -> Path:
        """Written after a complete build: the generator fingerprint it was built with."""
        return VAR / f"bench-{self.backend}-{self.size}.built"

    @property
    def sqlite_path(self) -> Path:
        return VAR / f"bench-{self.size}.sqlite3"

    @property
    def url(self) -> str:
        if self.backend == "sqlite":
            return f"sqlite:///{self.sqlite_path}"
        return f"{PG}/{self.name}"

    def dev_env(self) -> dict[str, str]:
        env = _base_env()
        env.update({"GONGHUI_DEBUG": "1", "GONGHUI_DATABASE_URL": self.url})
        env["DJANGO_SETTINGS_MODULE"] = "gonghui.settings"
        return env

    def manage(self, *args: str, env: dict[str, str] | None = None) -> str:
        result = subprocess.run(
            [PYTHON, "manage.py", *args], cwd=ROOT, env=env or self.dev_env(), capture_output=True, text=True
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed on {self}:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def prepare(self, command: str) -> dict:
        env = production_env(self.url)
        result = subprocess.run([PYTHON, "-m", "bench.prepare", command], cwd=ROOT, env=env,
                                capture_output=True, text=True)
        if result.returncode:
            raise RuntimeError(f"bench.prepare {command} failed on {self}:\n{result.stderr}")
        return json.loads(result.stdout.strip().splitlines()[-1])

    # -- existence -------------------------------------------------------------------------------------

    def _exists(self) -> bool:
        if self.backend == "sqlite":
            return self.sqlite_path.exists()
        out = subprocess.run(["psql", *PG_CLIENT, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{self.name}'"],
                             capture_output=True, text=True, check=True).stdout
        return out.strip() == "1"

    def _drop(self) -> None:
        if self.backend == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.sqlite_path}{suffix}").unlink(missing_ok=True)
        else:
            if self._exists():
                subprocess.run(["dropdb", *PG_CLIENT, "--force", self.name], check=True)

    def _create(self) -> None:
        VAR.mkdir(parents=True, exist_ok=True)
        if self.backend == "postgres":
            subprocess.run(["createdb", *PG_CLIENT, self.name], check=True)

    def ready(self) -> bool:
        if not self._exists() or not self.marker.exists():
            return False
        if self.marker.read_text().strip() != generator_fingerprint():
            log(f"{self}: migrations, search indexing or the seed code changed since it was built")
            return False
        try:
            state = self.prepare("status")
        except RuntimeError:
            return False
        return state["demo"] and state["scale"] == self.size

    def ensure(self, *, rebuild: bool = False) -> str:
        """Reuse the dataset if it is complete; otherwise rebuild it from scratch. Returns what was done."""
        if not rebuild and self.ready():
            return "reused"
        started = time.perf_counter()
        log(f"building {self.backend} dataset with {self.size:,} enterprises …")
        self.marker.unlink(missing_ok=True)
        self._drop()
        self._create()
        self.manage("migrate", "--no-input", "-v0")
        self.manage("seed", "--demo")
        self.manage("seed", "--scale", str(self.size))
        if self.backend == "postgres":
            # What autovacuum does shortly after a bulk load; done here so every run sees the same statistics.
            subprocess.run(["psql", *PG_CLIENT, "-q", "-d", self.name, "-c", "VACUUM ANALYZE"], check=True)
        self.marker.write_text(generator_fingerprint())
        if not self.ready():
            raise RuntimeError(f"{self} is incomplete after seeding: {self.prepare('status')}")
        return f"built in {time.perf_counter() - started:.0f} s"

    def __str__(self) -> str:
        return f"{self.backend}/{self.size:,}"
