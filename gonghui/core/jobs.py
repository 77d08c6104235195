"""Long jobs (exports, imports, reports) run as tasks with progress the user can watch.

A kernel or domain app registers a handler for a job kind; the handler receives the Job and a
``progress(done, total)`` callback and returns the result file as ``(name, bytes, content_type)``.
"""

import logging
from collections.abc import Callable

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from gonghui.core import audit, files
from gonghui.core.models import Job, JobStatus

logger = logging.getLogger(__name__)

_HANDLERS: dict[str, Callable] = {}


def register(kind: str):
    def decorator(func):
        _HANDLERS[kind] = func
        return func

    return decorator


def start_job(*, actor, kind: str, params: dict, organization=None) -> Job:
    if kind not in _HANDLERS:
        raise ValueError(f"Unknown job kind {kind!r}")
    with transaction.atomic():
        job = Job.objects.create(kind=kind, params=params, requested_by=actor, organization=organization)
        audit.record(actor=actor, action="job.start", obj=job, organization=organization, after={"kind": kind})
        transaction.on_commit(lambda: run_job.enqueue(str(job.pk)))
    return job


@task
def run_job(job_id: str) -> None:
    updated = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(status=JobStatus.RUNNING)
    if not updated:
        return  # already taken or finished: a second delivery does nothing
    job = Job.objects.select_related("requested_by", "organization").get(pk=job_id)

    def progress(done: int, total: int) -> None:
        Job.objects.filter(pk=job.pk).update(progress=done, total=total)

    try:
        name, data, content_type = _HANDLERS[job.kind](job, progress)
        with transaction.atomic():
            stored = files.save_private(
                actor=job.requested_by,
                organization=job.organization,
                purpose=f"job-{job.kind}",
                name=name,
                data=data,
                content_type=content_type,
            )
            Job.objects.filter(pk=job.pk).update(
                status=JobStatus.DONE, result_file=stored, finished_at=timezone.now()
            )
    except Exception as exc:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
