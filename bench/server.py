"""A gunicorn server for one dataset, in production mode, with the bench-only URLconf."""

import os
import socket
import subprocess
import time
from pathlib import Path

from bench.datasets import PG_CLIENT, PYTHON, ROOT, VAR, production_env
from bench.load import fetch

GUNICORN = Path(PYTHON).parent / "gunicorn"
_TICK = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    """utime + stime of one process, from /proc (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, url: str, label: str, workers: int, database: str | None = None):
        self.url, self.label, self.workers, self.database = url, label, workers, database
        self.port = free_port()
        self.log_path = VAR / f"gunicorn-{label}.log"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [str(GUNICORN), "gonghui.wsgi:application", "--workers", str(self.workers), "--worker-class", "sync",
             "--bind", f"127.0.0.1:{self.port}", "--chdir", str(ROOT), "--error-logfile", "-", "--log-level",
             "warning"],
            cwd=ROOT, env=production_env(self.url), stdout=log, stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn for {self.label} exited; see {self.log_path}:\n{self.log_path.read_text()}")
            try:
                status, _ = fetch(self.port, "/bench/bare/", timeout=5)
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"gunicorn for {self.label} did not answer in 60 s; see {self.log_path}")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def pids(self) -> list[int]:
        """The gunicorn workers, plus the PostgreSQL backends serving this database (they do the query work)."""
        assert self.process is not None
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        except OSError:
            children = []
        pids = [int(p) for p in children]
        if self.database:
            out = subprocess.run(
                ["psql", *PG_CLIENT, "-tAc",
                 f"SELECT pid FROM pg_stat_activity WHERE datname = '{self.database}' "
                 "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"],
                capture_output=True, text=True, timeout=10,
            ).stdout
            pids += [int(p) for p in out.split()]
        return pids

    def cpu_seconds(self, pids: list[int]) -> float:
        return sum(_cpu_seconds(pid) for pid in pids)
