"""Periodic jobs. One scheduler command may run on several machines: each job's time slot is claimed by
inserting a unique (job, slot) row, so exactly one scheduler runs it per slot."""

import logging
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from gonghui.core.models import SchedulerTick

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: timedelta
    func: Callable[[], object]


_JOBS: dict[str, PeriodicJob] = {}


def periodic(name: str, *, every: timedelta):
    def decorator(func):
        _JOBS[name] = PeriodicJob(name, every, func)
        return func

    return decorator


def jobs() -> list[PeriodicJob]:
    return list(_JOBS.values())


def slot_for(now: datetime, every: timedelta) -> datetime:
    seconds = int(every.total_seconds())
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=now.tzinfo)


def claim(job: PeriodicJob, now: datetime, worker: str) -> SchedulerTick | None:
    try:
        with transaction.atomic():
            return SchedulerTick.objects.create(job=job.name, slot=slot_for(now, job.every), claimed_by=worker)
    except IntegrityError:
        return None


def tick(now: datetime | None = None, worker: str | None = None) -> list[str]:
    """Run every job whose current slot nobody has claimed yet; return the names run here."""
    now = now or timezone.now()
    worker = worker or f"{socket.gethostname()}"
    ran = []
    for job in jobs():
        claimed = claim(job, now, worker)
        if claimed is None:
            continue
        try:
            job.func()
        except Exception as exc:
            logger.exception("periodic job %s failed", job.name)
            SchedulerTick.objects.filter(pk=claimed.pk).update(error=str(exc)[:2000])
        SchedulerTick.objects.filter(pk=claimed.pk).update(finished_at=timezone.now())
        ran.append(job.name)
    return ran
