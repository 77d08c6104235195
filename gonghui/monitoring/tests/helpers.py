"""Shared helpers for monitoring tests: sources, posts pushed through the real pipeline, a local feed server."""

import threading
from contextlib import contextmanager
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.utils import timezone

from gonghui.monitoring.ingestion import ingest
from gonghui.monitoring.models import Source

BURST_TEXTS = [
    "浦江精密机械拖欠我们三个月工资，今天上午一百多名工人在厂门口聚集讨薪。",
    "上海浦江精密机械有限公司的工人集体停工了，老板欠薪不给，大家都堵在门口要说法。",
    "浦江精密又拖欠工资了，几十个工友今天一起去区政府上访讨薪。",
    "听说浦江精密的工人罢工了，工资拖了好几个月，现场好多人聚集。",
    "浦江精密机械厂门口围了很多人，集体讨薪，说是老板欠了半年工资。",
    "浦江精密工人第二天继续停工聚集，要求公司立即支付拖欠的工资。",
]


def source(world, code="partner", kind="push", org="district_a", url=""):
    return Source.objects.get_or_create(code=code, defaults={
        "name": code, "kind": kind, "owner_organization": world.orgs[org], "url": url})[0]


def push(world, texts, code="partner", prefix="x", hours_ago=1):
    now = timezone.now()
    items = [{"external_id": f"{prefix}{i}", "text": t, "published_at": now - timedelta(hours=hours_ago, minutes=i)}
             for i, t in enumerate(texts)]
    return ingest(source=source(world, code), items=items)


@contextmanager
def serve(routes: dict[str, tuple[bytes, str]], redirects: dict[str, str] | None = None):
    """A feed server on localhost: path -> (body, content type); ``redirects``: path -> Location (302)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if redirects and self.path in redirects:
                self.send_response(302)
                self.send_header("Location", redirects[self.path])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body, content_type = routes.get(self.path, (b"not found", "text/plain"))
            self.send_response(200 if self.path in routes else 404)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
