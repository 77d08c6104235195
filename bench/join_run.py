"""Child of bench/join.py, run with the production settings against the benchmark database: N signed-in
workers submit the join form from CLIENTS threads at once; the baseline is the same workers submitting the
hall's plain application form (one request row, no routing or identity checks) in the same run."""

import json
import math
import sys
import threading
import time

import django

django.setup()

from django.test import Client  # noqa: E402
from stdnum.cn import ric  # noqa: E402

from gonghui.accounts.models import User  # noqa: E402
from gonghui.orgs.models import Enterprise  # noqa: E402


def _id_number(n: int) -> str:
    body = f"310115{1995 + n % 10}{(n % 12) + 1:02d}{(n % 28) + 1:02d}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def _pctl(values, p):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p * len(ordered)) - 1)]


def _burst(jobs, clients):
    latencies, errors, lock = [], [], threading.Lock()
    queue = list(jobs)

    def worker():
        from django.db import connection

        try:
            while True:
                with lock:
                    if not queue or errors:
                        return
                    job = queue.pop()
                t0 = time.perf_counter()
                try:
                    ok, detail = job()
                except Exception as exc:  # an exception is a failed benchmark, not a number
                    ok, detail = False, f"{type(exc).__name__}: {exc}"
                elapsed = time.perf_counter() - t0
                with lock:
                    latencies.append(elapsed)
                    if not ok:
                        errors.append(detail)
        finally:
            connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    if errors:
        raise SystemExit(f"bad response: {errors[0]}")
    return {"n": len(latencies), "p50_ms": _pctl(latencies, 0.5) * 1000, "p95_ms": _pctl(latencies, 0.95) * 1000,
            "per_s": len(latencies) / wall}


def main():
    count, clients = int(sys.argv[1]), int(sys.argv[2])
    platform = Enterprise.objects.get(name="上海同城外卖信息技术有限公司")
    users = []
    for i in range(count):
        users.append(User.objects.create_user(username=f"bench-join-{i}", mobile=f"137{i:08d}",
                                              display_name=f"骑手{i}"))
    sessions = []
    for user in users:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user, backend="gonghui.accounts.backends.GonghuiBackend")
        sessions.append((user, client))

    def join_job(i, user, client):
        def job():
            response = client.post("/join/", {
                "name": f"骑手{i}", "id_number": _id_number(i), "mobile": user.mobile, "employment_form": "food_delivery",
                "platform": platform.pk, "home_region": "310115", "agree": "on", "idempotency_key": f"bench-{i}"})
            return response.status_code == 302, f"join {response.status_code}"
        return job

    def hall_job(i, user, client):
        def job():
            response = client.post("/hall/services/general-consultation/", {
                "summary": "想咨询加班费的计算方法", "idempotency_key": f"bench-hall-{i}"})
            return response.status_code == 302, f"hall {response.status_code}"
        return job

    hall = _burst([hall_job(i, u, c) for i, (u, c) in enumerate(sessions)], clients)
    join = _burst([join_job(i, u, c) for i, (u, c) in enumerate(sessions)], clients)
    print(json.dumps({"join": join, "hall": hall}))


if __name__ == "__main__":
    main()
