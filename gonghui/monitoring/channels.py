"""The channels that feed ``ingestion.ingest``: RSS/Atom pulls, Excel/CSV uploads and the internal channels
(service-hall requests and 12351 hotline notes, redacted before they enter monitoring)."""

import csv
import io
import logging
import urllib.request
from datetime import datetime, timedelta
from time import mktime

import feedparser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core import audit
from gonghui.monitoring import engine
from gonghui.monitoring.choices import FeedStatus, SourceKind
from gonghui.monitoring.ingestion import MAX_ITEMS, IngestResult, ingest
from gonghui.monitoring.models import Source

logger = logging.getLogger(__name__)

MAX_FEED_BYTES = 2 * 1024 * 1024
FEED_TIMEOUT_SECONDS = 15
MAX_BACKOFF = timedelta(hours=24)
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UPLOAD_ROWS = 2000
UPLOAD_COLUMNS = {"text": ("text", "正文", "内容"), "title": ("title", "标题"), "url": ("url", "链接", "网址"),
                  "published_at": ("published_at", "发布时间", "时间"), "external_id": ("external_id", "编号", "id"),
                  "region": ("region", "区划代码")}


class FeedError(Exception):
    pass


def fetch(url: str) -> bytes:
    """The feed's bytes, refusing more than MAX_FEED_BYTES before anything parses them."""
    request = urllib.request.Request(url, headers={"User-Agent": "Gonghui-monitoring/1.0"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=FEED_TIMEOUT_SECONDS) as response:  # noqa: S310 (staff-set URL)
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > MAX_FEED_BYTES:
            raise FeedError(_("The feed is larger than %(mb)s MB.") % {"mb": MAX_FEED_BYTES // 1048576})
        data = response.read(MAX_FEED_BYTES + 1)
    if len(data) > MAX_FEED_BYTES:
        raise FeedError(_("The feed is larger than %(mb)s MB.") % {"mb": MAX_FEED_BYTES // 1048576})
    return data


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
        published = timezone.make_aware(datetime.fromtimestamp(mktime(when))) if when else None
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


def _rows_from_upload(name: str, data: bytes) -> list[list]:
    if data.startswith(b"PK\x03\x04"):
        from openpyxl import load_workbook

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
    return [row for _i, row in zip(range(MAX_UPLOAD_ROWS + 2), csv.reader(io.StringIO(text)), strict=False)]


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

        items.append({"external_id": str(cell("external_id") or f"row-{number}-{hash(str(cell('text'))) & 0xffffffff:x}"),
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
    from gonghui.hall.choices import Channel
    from gonghui.hall.models import ServiceRequest
    from gonghui.monitoring.workflow import SERVICE_CODE
    from gonghui.orgs.models import Organization

    if not Organization.objects.exists():
        return 0
    taken = 0
    for kind in (SourceKind.HALL, SourceKind.HOTLINE):
        source = internal_source(kind)
        last = int(source.cursor or 0)
        requests = ServiceRequest.objects.filter(pk__gt=last).exclude(service_type__code=SERVICE_CODE) \
            .select_related("handling_organization").order_by("pk")
        requests = requests.filter(channel=Channel.HOTLINE) if kind == SourceKind.HOTLINE else \
            requests.exclude(channel=Channel.HOTLINE)
        chunk = list(requests[:batch])
        if not chunk:
            continue
        items = [{"external_id": r.reference, "text": engine.redact(r.summary), "published_at": r.submitted_at,
                  "region": r.handling_organization.region_id or ""} for r in chunk]
        result = ingest(source=source, items=items)
        Source.objects.filter(pk=source.pk).update(cursor=str(chunk[-1].pk), last_pulled_at=timezone.now(),
                                                   status=FeedStatus.OK)
        taken += result.created
    return taken


def record_pull(*, actor, source: Source) -> IngestResult | None:
    """Staff asked for a pull now (the page's button)."""
    with transaction.atomic():
        audit.record(actor=actor, action="monitoring.pull", obj=source)
    return pull_feed(source)
