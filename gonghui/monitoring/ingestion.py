"""Ingestion: every channel (push API, feeds, uploads, hall requests, hotline notes) ends in ``ingest``, which
normalises, classifies, links the enterprise, groups near duplicates, stores posts and raises alerts."""

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from gonghui.core import audit
from gonghui.monitoring import engine
from gonghui.monitoring.models import Post, PostTag, Source
from gonghui.orgs.choices import OrgKind
from gonghui.orgs.models import Enterprise, Organization, Region

MAX_TEXT = 5000
MAX_ITEMS = 500
DEDUP_DAYS = 3
EVALUATION_GRACE = timedelta(minutes=5)

logger = logging.getLogger(__name__)


@dataclass
class IngestResult:
    created: int = 0
    already: int = 0  # the same (source, external id) was taken in before: idempotent
    near_duplicates: int = 0
    empty: int = 0
    errors: list[dict] = field(default_factory=list)  # {"index", "field", "message"}
    posts: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"created": self.created, "already": self.already, "near_duplicates": self.near_duplicates,
                "empty": self.empty, "errors": self.errors}


def _published(value, now) -> datetime | None:
    if value in (None, ""):
        return now
    if isinstance(value, datetime):
        parsed = value
    else:
        parsed = parse_datetime(str(value).strip().replace(" ", "T", 1)) if str(value).strip() else None
        if parsed is None:
            return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return min(parsed, now)  # a clock ahead of ours must not push a post into the future


def _district_unions() -> dict[str, int]:
    return dict(Organization.objects.filter(kind=OrgKind.DISTRICT_UNION, region__isnull=False, is_active=True)
                .values_list("region_id", "id"))


_dedup_cache: dict = {}
_dedup_lock = threading.Lock()
DEDUP_REBUILD = timedelta(hours=1)


def _dedup_index(now):
    """Near-duplicate index over the recent first posts (their MinHash signatures are stored with them).

    Kept in the process between batches and brought up to date with the posts inserted since (by any process,
    the database being the truth); rebuilt hourly so posts older than the window drop out, and whenever the
    posts it indexed are no longer all there (a rollback, a purge)."""
    recent = Post.objects.filter(duplicate_of__isnull=True, fingerprint__isnull=False)
    with _dedup_lock:
        cache = dict(_dedup_cache)
    fresh = (cache and now - cache["built"] < DEDUP_REBUILD
             and recent.filter(pk__lte=cache["last_id"], published_at__gte=cache["since"]).count() == cache["count"])
    if not fresh:
        since = now - timedelta(days=DEDUP_DAYS)
        cache = {"index": engine.nlp.DedupIndex(), "last_id": 0, "count": 0, "built": now, "since": since}
    for pk, signature in recent.filter(pk__gt=cache["last_id"], published_at__gte=cache["since"]) \
            .order_by("pk").values_list("id", "fingerprint").iterator(chunk_size=2000):
        cache["index"].add(pk, bytes(signature))
        cache["last_id"], cache["count"] = pk, cache["count"] + 1
    with _dedup_lock:
        _dedup_cache.clear()
        _dedup_cache.update(cache)
    return cache["index"]


def ingest(*, source: Source, items: list[dict], actor=None, redact: bool = False) -> IngestResult:
    """Take a batch of raw items into monitoring. Items are dicts with external_id, text, and optionally title,
    url, published_at, region (GB/T 2260 code). Idempotent by (source, external id). ``redact``: personal
    data is removed from text and title after normalisation (internal channels)."""
    result = IngestResult()
    now = timezone.now()
    if len(items) > MAX_ITEMS:
        raise ValueError(f"at most {MAX_ITEMS} items per batch")
    seen: set[str] = set()
    rows = []
    for index, item in enumerate(items):
        external_id = str(item.get("external_id") or "").strip()[:200]
        if not external_id:
            result.errors.append({"index": index, "field": "external_id", "message": _("Give every item an id.")})
            continue
        published = _published(item.get("published_at"), now)
        if published is None:
            result.errors.append({"index": index, "field": "published_at",
                                  "message": _("Not a date and time; use ISO 8601, e.g. 2026-11-25T09:30:00+08:00.")})
            continue
        text = engine.normalize(item.get("text") or "", max_length=MAX_TEXT)
        title = engine.normalize(item.get("title") or "", max_length=200)
        if redact:  # after normalising, so entities and markup cannot hide a number from the redaction
            text, title = engine.redact(text), engine.redact(title)
        if not text and not title:
            result.empty += 1
            continue
        if external_id in seen:
            result.already += 1
            continue
        seen.add(external_id)
        url = str(item.get("url") or "").strip()
        if not url.startswith(("http://", "https://")) or len(url) > 500:
            url = ""
        rows.append({"external_id": external_id, "text": text or title, "title": title, "url": url,
                     "published_at": published, "region": str(item.get("region") or "").strip()[:6]})
    if not rows:
        return result
    known = set(Post.objects.filter(source=source, external_id__in=[r["external_id"] for r in rows])
                .values_list("external_id", flat=True))
    result.already += len(known)
    rows = [r for r in rows if r["external_id"] not in known]
    if not rows:
        return result

    classified = engine.classify_many([f"{r['title']}\n{r['text']}" if r["title"] else r["text"] for r in rows])
    matcher = engine.enterprise_matcher()
    enterprise_ids = {r["external_id"]: engine.find_enterprise(matcher, f"{r['title']} {r['text']}") for r in rows}
    enterprises = Enterprise.objects.in_bulk({pk for pk in enterprise_ids.values() if pk})
    regions = set(Region.objects.filter(code__in={r["region"] for r in rows if r["region"]})
                  .values_list("code", flat=True))
    districts = _district_unions()
    index = _dedup_index(now)
    # A source owned below the city keeps posts inside its owner's subtree: an enterprise's or region's owner
    # elsewhere is replaced by the source's owner, and the foreign region is dropped.
    limit = source.owner_organization if source.owner_organization.parent_id is not None else None
    if limit is not None:
        candidates = set(districts.values()) | {e.union_id or e.owner_organization_id for e in enterprises.values()}
        inside = set(Organization.objects.filter(pk__in=candidates, path__startswith=limit.path)
                     .values_list("pk", flat=True))

    posts = []
    for row, c in zip(rows, classified, strict=True):
        enterprise = enterprises.get(enterprise_ids[row["external_id"]])
        region = row["region"] if row["region"] in regions else (enterprise.region_id if enterprise else None)
        if enterprise is not None:
            owner = enterprise.union_id or enterprise.owner_organization_id
        else:
            owner = districts.get(region) or source.owner_organization_id
        if limit is not None:
            if owner not in inside:
                owner = source.owner_organization_id
            if region is not None and region != limit.region_id and districts.get(region) not in inside:
                region = None
        signature = engine.nlp.fingerprint(row["text"])
        posts.append(Post(
            source=source, external_id=row["external_id"], url=row["url"], title=row["title"], text=row["text"],
            published_at=row["published_at"], ingested_at=now, region_id=region,
            enterprise=enterprise, owner_organization_id=owner, categories=list(c.categories),
            sentiment=round(float(c.sentiment), 4), severity=c.severity or "none", terms=list(c.terms)[:50],
            fingerprint=engine.nlp.to_bytes(signature), alerts_pending=True,
        ))
        posts[-1].signature = signature

    try:
        with transaction.atomic():
            _store(posts, index, result)
            audit.record(actor=actor, action="monitoring.ingest", obj=source,
                         after={"created": result.created, "near_duplicates": result.near_duplicates,
                                "already": result.already})
    except IntegrityError:
        # A concurrent push of the same ids won; take what is still new, once. The rolled-back attempt left
        # pks and duplicate links on the Post objects: they are rebuilt as new.
        known = set(Post.objects.filter(source=source, external_id__in=[p.external_id for p in posts])
                    .values_list("external_id", flat=True))
        posts = [p for p in posts if p.external_id not in known]
        for post in posts:
            post.pk = None
            post._state.adding = True
            post._state.db = None
            post.duplicate_of_id = None
            post.group_key = None
        result.already += len(known)
        result.created = result.near_duplicates = 0
        result.posts = []
        with transaction.atomic():
            _store(posts, _dedup_index(now), result)
            audit.record(actor=actor, action="monitoring.ingest", obj=source, note="retry after a concurrent push",
                         after={"created": result.created, "near_duplicates": result.near_duplicates,
                                "already": result.already, "retry": True})
    evaluate_pending(result.posts)
    return result


def evaluate_pending(posts) -> int:
    """Evaluate alerts for stored posts and clear their pending flag; a failure leaves them pending for the
    sweep (``sweep_unevaluated``) instead of losing the alert."""
    from gonghui.monitoring.detection import evaluate_alerts

    if not posts:
        return 0
    try:
        evaluate_alerts(posts=[p for p in posts if not p.duplicate_of_id])
    except Exception:  # the posts are stored; the periodic sweep tries again
        logger.exception("alert evaluation failed for %s posts; left for the sweep", len(posts))
        return 0
    Post.objects.filter(pk__in=[p.pk for p in posts]).update(alerts_pending=False)
    return len(posts)


def sweep_unevaluated(now=None, batch: int = MAX_ITEMS) -> int:
    """Posts whose alert evaluation failed (or never ran: a crash after commit), evaluated again."""
    now = now or timezone.now()
    posts = list(Post.objects.filter(alerts_pending=True, ingested_at__lt=now - EVALUATION_GRACE)
                 .order_by("pk")[:batch])
    return evaluate_pending(posts)


MAX_SCHEMES = 500


def active_schemes() -> list[tuple[int, object]]:
    """(scheme id, compiled) for every active saved scheme; one that no longer compiles is skipped."""
    from gonghui.monitoring.models import Scheme

    compiled = []
    for scheme in Scheme.objects.filter(is_active=True).order_by("pk")[:MAX_SCHEMES]:
        try:
            compiled.append((scheme.pk, engine.compile_scheme(scheme)))
        except engine.nlp.SchemeError:
            logger.warning("scheme %s does not compile; skipped in ingest", scheme.pk)
    return compiled


def match_schemes(posts, schemes=None) -> int:
    """Store which saved schemes each (stored) post matches, so the post list can be filtered by scheme."""
    schemes = active_schemes() if schemes is None else schemes
    if not schemes or not posts:
        return 0
    through = Post.schemes.through
    rows = []
    for post in posts:
        text = f"{post.title}\n{post.text}" if post.title else post.text
        rows += [through(post_id=post.pk, scheme_id=pk) for pk, compiled in schemes if compiled.match(text)]
    through.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)


def _store(posts, index, result: IngestResult) -> None:
    """Insert first posts, then the near duplicates pointing at them (a batch may repost itself: a copy of a
    post earlier in the same batch points at that post)."""
    firsts, duplicates, positions = [], [], {}
    try:
        for position, post in enumerate(posts):
            match = index.query(post.signature)
            if match is None:
                firsts.append(post)
                positions[("new", position)] = post
                index.add(("new", position), post.signature)
            else:
                post.group_key = match
                duplicates.append(post)
    finally:
        # The index is shared between batches: the batch's own keys leave it; the stored posts come back in
        # under their ids with the next batch.
        for key in positions:
            index.remove(key)
    Post.objects.bulk_create(firsts, batch_size=500)
    for post in duplicates:
        post.duplicate_of_id = positions[post.group_key].pk if post.group_key in positions else post.group_key
    Post.objects.bulk_create(duplicates, batch_size=500)
    match_schemes(firsts + duplicates)
    PostTag.objects.bulk_create([
        PostTag(post=p, category=cat, enterprise_id=p.enterprise_id, region_id=p.region_id,
                owner_organization_id=p.owner_organization_id, published_at=p.published_at)
        for p in firsts for cat in p.categories
    ], batch_size=1000)
    result.created += len(firsts) + len(duplicates)
    result.near_duplicates += len(duplicates)
    result.posts.extend(firsts + duplicates)
