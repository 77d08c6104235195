"""The kernel's periodic jobs."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from gonghui.core import audit, files
from gonghui.core.models import SchedulerTick
from gonghui.core.scheduler import periodic


@periodic("audit.seal", every=timedelta(minutes=1))
def seal_audit_log():
    return audit.seal_pending()


@periodic("tasks.prune_results", every=timedelta(hours=1))
def prune_task_results():
    """Delete finished task results older than the retention period, and old scheduler claims."""
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - timedelta(days=settings.TASK_RESULT_RETENTION_DAYS)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    SchedulerTick.objects.filter(claimed_at__lt=cutoff).delete()
    return deleted


@periodic("files.prune_orphans", every=timedelta(hours=24))
def prune_orphan_files():
    return files.prune_orphans()


@periodic("ratelimit.prune", every=timedelta(hours=1))
def prune_rate_buckets():
    from gonghui.core import ratelimit

    return ratelimit.prune()
