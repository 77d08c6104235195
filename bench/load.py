"""A small closed-loop load generator: N client threads, each with its own http.client connection to
127.0.0.1, sending the same GET back to back for a fixed time (bounded in count). Every response is checked:
a benchmark of an error page is worthless, so any non-200 or a body without the expected marker fails the run.
"""

import http.client
import math
import threading
import time
from dataclasses import dataclass, field


class BadResponse(AssertionError):
    pass


@dataclass
class Sample:
    """Latencies (seconds) and wall time of one measured burst."""

    latencies: list[float] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def rps(self) -> float:
        return self.count / self.elapsed if self.elapsed else 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[max(0, math.ceil(p * len(ordered)) - 1)]


def fetch(port: int, path: str, headers: dict[str, str] | None = None, timeout: float = 60) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def run(port: int, path: str, *, headers: dict[str, str], marker: bytes, duration: float, clients: int,
        max_requests: int) -> Sample:
    """Send GET ``path`` from ``clients`` threads until ``duration`` seconds pass or ``max_requests`` are done."""
    lock = threading.Lock()
    sent = 0
    errors: list[str] = []
    per_thread: list[list[float]] = [[] for _ in range(clients)]
    start = time.perf_counter()
    deadline = start + duration

    def client(latencies: list[float]) -> None:
        nonlocal sent
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            while not errors:
                with lock:
                    if sent >= max_requests or time.perf_counter() >= deadline:
                        return
                    sent += 1
                t0 = time.perf_counter()
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                body = response.read()
                latencies.append(time.perf_counter() - t0)
                if response.status != 200 or marker not in body:
                    errors.append(f"GET {path} -> {response.status}: {body[:300]!r}")
                    return
                if response.will_close:  # gunicorn's sync workers close after every response
                    conn.close()
        except Exception as exc:  # a reset or timeout is a failed benchmark, not a number
            errors.append(f"GET {path} -> {type(exc).__name__}: {exc}")
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(lat,), daemon=True) for lat in per_thread]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise BadResponse(errors[0])
    return Sample([x for lat in per_thread for x in lat], elapsed)
