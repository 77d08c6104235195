"""Fixed-window rate limits kept in the database, so every web process counts the same hits."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from gonghui.core.models import RateBucket


def client_address(request) -> str:
    """The caller's address, through the configured number of trusted proxies."""
    from gonghui.core.context import client_ip

    return client_ip(request) or "unknown"


def hit(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit of ``key``; False when the key is over ``limit`` hits in the current window."""
    now = timezone.now()
    start = now - timedelta(seconds=now.timestamp() % window_seconds)
    start = start.replace(microsecond=0)
    key = key[:160]
    updated = RateBucket.objects.filter(key=key, window=start).update(hits=F("hits") + 1)
    if not updated:
        try:
            with transaction.atomic():
                RateBucket.objects.create(key=key, window=start, hits=1)
        except IntegrityError:  # another process created it first
            RateBucket.objects.filter(key=key, window=start).update(hits=F("hits") + 1)
    hits = RateBucket.objects.filter(key=key, window=start).values_list("hits", flat=True).first() or 0
    return hits <= limit


def prune(older_than_seconds: int = 86400) -> int:
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    return RateBucket.objects.filter(window__lt=cutoff).delete()[0]
