"""The channels that feed ``ingestion.ingest``: RSS/Atom pulls, Excel/CSV uploads and the internal channels
(service-hall requests and 12351 hotline notes, redacted before they enter monitoring)."""

import csv
import hashlib
import http.client
import io
import ipaddress
import logging
import socket
import time
import urllib.request
import zipfile
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import feedparser
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core import audit
from gonghui.monitoring.choices import FeedStatus, SourceKind
from gonghui.monitoring.ingestion import MAX_ITEMS, IngestResult, ingest
from gonghui.monitoring.models import Source

logger = logging.getLogger(__name__)

MAX_FEED_BYTES = 2 * 1024 * 1024
FEED_TIMEOUT_SECONDS = 15  # per read
FEED_DEADLINE_SECONDS = 30  # the whole fetch, redirects and reads together
FEED_MAX_REDIRECTS = 5
FEED_CHUNK = 64 * 1024
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
HALL_OVERLAP = 100  # pks re-read behind the cursor: a request may commit after a later one was taken in
MAX_BACKOFF = timedelta(hours=24)
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UPLOAD_ROWS = 2000
UPLOAD_COLUMNS = {"text": ("text", "正文", "内容"), "title": ("title", "标题"), "url": ("url", "链接", "网址"),
                  "published_at": ("published_at", "发布时间", "时间"), "external_id": ("external_id", "编号", "id"),
                  "region": ("region", "区划代码")}


class FeedError(Exception):
    pass


def allow_private_feeds() -> bool:
    """Whether feeds may be fetched from loopback/private addresses (settings.MONITORING_FEED_ALLOW_PRIVATE, from
    GONGHUI_MONITORING_FEED_ALLOW_PRIVATE; on by default only in DEBUG or tests)."""
    return bool(settings.MONITORING_FEED_ALLOW_PRIVATE)


def _refused_address(ip) -> bool:
    if getattr(ip, "ipv4_mapped", None) is not None:
        ip = ip.ipv4_mapped
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast
            or ip.is_unspecified or not ip.is_global)


def _checked_addresses(host: str, port: int) -> list[tuple]:
    """The host's addresses, refusing the lot if any is internal."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        raise FeedError(_("The feed's host cannot be resolved.")) from None
    for info in infos:
        if _refused_address(ipaddress.ip_address(info[4][0].split("%")[0])):
            raise FeedError(_("The feed's host is an internal address; such feeds are refused."))
    return infos


def check_feed_url(url: str) -> None:
    """Refuse anything but http(s), and (unless allowed) hosts resolving to internal addresses."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise FeedError(_("Not a valid feed address.")) from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise FeedError(_("Feeds are fetched over http or https only."))
    if not allow_private_feeds():
        _checked_addresses(parts.hostname, port or (443 if parts.scheme.lower() == "https" else 80))


def _checked_connection(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None, **kwargs):
    """socket.create_connection to an address checked at connect time, so a DNS answer that changes between
    the check and the connection (rebinding) cannot reach an internal service."""
    host, port = address
    if allow_private_feeds() or host in _proxy_hosts():  # an operator's proxy connects onwards itself
        return socket.create_connection(address, timeout, source_address, **kwargs)
    error = None
    for family, kind, proto, _name, sockaddr in _checked_addresses(host, port):
        sock = socket.socket(family, kind, proto)
        try:
            if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as exc:
            error = exc
            sock.close()
    raise error or OSError(f"cannot connect to {host}")


def _proxy_hosts() -> set[str]:
    return {urlsplit(value).hostname for key, value in urllib.request.getproxies().items()
            if key != "no" and "://" in str(value)} - {None}


class _CheckedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _checked_connection


class _CheckedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _checked_connection


class _CheckedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_CheckedHTTPConnection, req)


class _CheckedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_CheckedHTTPSConnection, req, context=self._context)


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = FEED_MAX_REDIRECTS

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        check_feed_url(newurl)  # every hop is checked again
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener():
    return urllib.request.build_opener(_CheckedHTTPHandler(), _CheckedHTTPSHandler(), _CheckedRedirects())


def fetch(url: str) -> bytes:
    """The feed's bytes, refusing more than MAX_FEED_BYTES before anything parses them, internal addresses
    (on every redirect too) and reads running past FEED_DEADLINE_SECONDS in all."""
    too_large = _("The feed is larger than %(mb)s MB.") % {"mb": MAX_FEED_BYTES // 1048576}
    check_feed_url(url)
    deadline = time.monotonic() + FEED_DEADLINE_SECONDS
    request = urllib.request.Request(url, headers={"User-Agent": "Gonghui-monitoring/1.0"})  # noqa: S310
    with _opener().open(request, timeout=FEED_TIMEOUT_SECONDS) as response:  # checked above and per redirect
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > MAX_FEED_BYTES:
            raise FeedError(too_large)
        chunks, size = [], 0
        while True:
            if time.monotonic() > deadline:
                raise FeedError(_("The feed took longer than %(s)s seconds to read.") % {"s": FEED_DEADLINE_SECONDS})
            chunk = response.read(FEED_CHUNK)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_FEED_BYTES:
                raise FeedError(too_large)
    return b"".join(chunks)


def parse_feed(data: bytes) -> list[dict]:
    """Feed entries as ingestion items. Documents declaring their own entities are refused (entity expansion
    attacks); wrong or missing encodings are left to feedparser's detection, undecodable bytes replaced."""
    head = data[:4096].lower()
    if b"<!entity" in head or b"<!entity" in data.lower():
        raise FeedError(_("The feed declares XML entities; such feeds are refused."))
    parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    if parsed.bozo and not parsed.entries:
        raise FeedError(_("Not a readable RSS or Atom feed: %(error)s") % {"error": str(parsed.get("bozo_exception",
                                                                                                     ""))[:200]})
    items = []
    for entry in parsed.entries[:MAX_ITEMS]:
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        published = datetime(*when[:6], tzinfo=UTC) if when else None  # feedparser's struct_time is UTC
        content = entry.get("content") or []
        body = content[0].get("value") if content else entry.get("summary", "")
        items.append({"external_id": (entry.get("id") or entry.get("link") or entry.get("title") or "")[:200],
                      "title": entry.get("title", ""), "text": body, "url": entry.get("link", ""),
                      "published_at": published})
    return items


def pull_feed(source: Source, *, now=None) -> IngestResult | None:
    """Pull one feed now: ingest its entries, or record the error and back off exponentially."""
    now = now or timezone.now()
    try:
        items = parse_feed(fetch(source.url))
        result = ingest(source=source, items=items)
    except Exception as exc:  # a feed may fail in any way; the source records why and backs off
        failures = source.failures + 1
        delay = min(timedelta(minutes=source.interval_minutes) * (2 ** min(failures, 10)), MAX_BACKOFF)
        Source.objects.filter(pk=source.pk).update(
            status=FeedStatus.FAILING, failures=failures, last_error=str(exc)[:500], last_pulled_at=now,
            next_pull_at=now + delay)
        logger.info("feed %s failed (%s): %s", source.code, failures, exc)
        return None
    Source.objects.filter(pk=source.pk).update(
        status=FeedStatus.OK, failures=0, last_error="", last_pulled_at=now,
        next_pull_at=now + timedelta(minutes=source.interval_minutes))
    return result


def pull_due_feeds(now=None) -> int:
    now = now or timezone.now()
    due = Source.objects.filter(kind=SourceKind.FEED, is_active=True).exclude(next_pull_at__gt=now)
    pulled = 0
    for source in due.order_by("next_pull_at")[:50]:
        with transaction.atomic():
            # Claim the slot so a second scheduler does not pull the same feed.
            claimed = Source.objects.filter(pk=source.pk).exclude(next_pull_at__gt=now).update(
                next_pull_at=now + timedelta(minutes=source.interval_minutes))
        if claimed:
            pull_feed(source, now=now)
            pulled += 1
    return pulled


# --- uploads ---------------------------------------------------------------------------------------------

def _decode_csv(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError({"file": _("The CSV file is neither UTF-8 nor GBK; save it again as UTF-8.")})


def _check_zip(data: bytes) -> None:
    """Refuse an archive that would unpack to more than MAX_UNZIPPED_BYTES (a zip bomb) before opening it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ValidationError({"file": _("This Excel file cannot be read.")}) from None
    if total > MAX_UNZIPPED_BYTES:
        raise ValidationError({"file": _("This Excel file unpacks to more than %(mb)s MB.") % {
            "mb": MAX_UNZIPPED_BYTES // 1048576}})


def _rows_from_upload(name: str, data: bytes) -> list[list]:
    if data.startswith(b"PK\x03\x04"):
        from openpyxl import load_workbook

        _check_zip(data)
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:
            raise ValidationError({"file": _("This Excel file cannot be read.")})
        sheet = book.worksheets[0]
        rows = [list(r) for _i, r in zip(range(MAX_UPLOAD_ROWS + 2), sheet.iter_rows(values_only=True), strict=False)]
        book.close()
        return rows
    if name.lower().endswith((".xlsx", ".xls")):
        raise ValidationError({"file": _("This Excel file cannot be read.")})
    text = _decode_csv(data)
    if "\x00" in text:
        raise ValidationError({"file": _("Upload an Excel (.xlsx) or CSV file.")})
    try:
        return [row for _i, row in zip(range(MAX_UPLOAD_ROWS + 2), csv.reader(io.StringIO(text)), strict=False)]
    except csv.Error:
        raise ValidationError({"file": _("This CSV file cannot be read (a field too long or badly quoted).")}) \
            from None


def _digest(value) -> str:
    return hashlib.sha256(str(value).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def items_from_upload(name: str, data: bytes) -> list[dict]:
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": _("The file is too large: at most %(mb)s MB.") % {
            "mb": MAX_UPLOAD_BYTES // 1048576}})
    rows = _rows_from_upload(name, data)
    if not rows:
        raise ValidationError({"file": _("The file is empty.")})
    header = [str(h or "").strip().lower() for h in rows[0]]
    columns = {}
    for key, names in UPLOAD_COLUMNS.items():
        for i, h in enumerate(header):
            if h in names:
                columns[key] = i
                break
    if "text" not in columns:
        raise ValidationError({"file": _("The first row must name the columns; a column “text” (or 正文) is "
                                         "required.")})
    body = rows[1:]
    if len(body) > MAX_UPLOAD_ROWS:
        raise ValidationError({"file": _("At most %(n)s rows per upload.") % {"n": MAX_UPLOAD_ROWS}})
    items = []
    for number, row in enumerate(body, start=2):
        def cell(key, row=row):
            i = columns.get(key)
            value = row[i] if i is not None and i < len(row) else None
            return value if value is not None else ""

        items.append({"external_id": str(cell("external_id") or f"row-{number}-{_digest(cell('text'))}"),
                      "text": str(cell("text")), "title": str(cell("title")), "url": str(cell("url")),
                      "published_at": cell("published_at") or None, "region": str(cell("region"))})
    return items


def upload(*, actor, source: Source, name: str, data: bytes) -> IngestResult:
    items = items_from_upload(name, data)
    result = IngestResult()
    for start in range(0, len(items), MAX_ITEMS):
        part = ingest(source=source, items=items[start:start + MAX_ITEMS], actor=actor)
        result.created += part.created
        result.already += part.already
        result.near_duplicates += part.near_duplicates
        result.empty += part.empty
        result.errors += [{**e, "index": e["index"] + start} for e in part.errors]
    return result


# --- internal channels ------------------------------------------------------------------------------------

def internal_source(kind: str) -> Source:
    from gonghui.orgs.models import Organization

    code = {SourceKind.HALL: "internal-hall", SourceKind.HOTLINE: "internal-hotline"}[kind]
    source = Source.objects.filter(code=code).first()
    if source is None:
        city = Organization.objects.filter(parent__isnull=True).order_by("pk").first()
        source, _created = Source.objects.get_or_create(code=code, defaults={
            "name": str(SourceKind(kind).label), "kind": kind, "owner_organization": city})
    return source


def take_in_hall_requests(batch: int = 500) -> int:
    """Service-hall requests and 12351 hotline notes since the last run, redacted, as posts. Warning cases
    (opened by monitoring itself) are never taken back in."""
    from gonghui.hall.choices import Channel, HandlingLevel
    from gonghui.hall.models import ServiceRequest
    from gonghui.hall.routing import climb
    from gonghui.monitoring.workflow import SERVICE_CODE
    from gonghui.orgs.models import Organization

    if not Organization.objects.exists():
        return 0
    taken = 0
    districts: dict[int, str | None] = {}

    def district_region(org) -> str | None:
        # The handling union's own region is often empty: the district above it says where the post is about.
        if org.pk not in districts:
            districts[org.pk] = org.region_id or climb(org, HandlingLevel.DISTRICT).region_id
        return districts[org.pk]

    for kind in (SourceKind.HALL, SourceKind.HOTLINE):
        source = internal_source(kind)
        last = int(source.cursor or 0)
        # Re-read a window behind the cursor: on PostgreSQL a request may commit after one with a higher pk was
        # taken in; ingest is idempotent by reference, so the re-read ones count as "already".
        requests = ServiceRequest.objects.filter(pk__gt=max(last - HALL_OVERLAP, 0)) \
            .exclude(service_type__code=SERVICE_CODE).select_related("handling_organization").order_by("pk")
        requests = requests.filter(channel=Channel.HOTLINE) if kind == SourceKind.HOTLINE else \
            requests.exclude(channel=Channel.HOTLINE)
        chunk = list(requests[:batch])
        if not chunk:
            continue
        items = [{"external_id": r.reference, "text": r.summary, "published_at": r.submitted_at,
                  "region": district_region(r.handling_organization) or ""} for r in chunk]
        result = ingest(source=source, items=items, redact=True)
        Source.objects.filter(pk=source.pk).update(cursor=str(max(chunk[-1].pk, last)),
                                                   last_pulled_at=timezone.now(), status=FeedStatus.OK)
        taken += result.created
    return taken


def record_pull(*, actor, source: Source) -> IngestResult | None:
    """Staff asked for a pull now (the page's button)."""
    with transaction.atomic():
        audit.record(actor=actor, action="monitoring.pull", obj=source)
    return pull_feed(source)
