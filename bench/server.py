"""A gunicorn server for one dataset, in production mode, with the bench-only URLconf."""

import socket
import subprocess
import time
from pathlib import Path

from bench.datasets import PYTHON, ROOT, VAR, production_env
from bench.load import fetch

GUNICORN = Path(PYTHON).parent / "gunicorn"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, url: str, label: str, workers: int):
        self.url, self.label, self.workers = url, label, workers
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
