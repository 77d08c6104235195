import threading
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest
from django.db import connection

from gonghui.core import scheduler
from gonghui.core.exports import neutralise
from gonghui.core.jobs import start_job
from gonghui.core.models import Job, JobStatus, SchedulerTick


def test_each_slot_runs_once_even_with_two_schedulers(db):
    now = datetime(2026, 11, 25, 10, 0, 30, tzinfo=UTC)
    first = scheduler.tick(now=now, worker="node-1")
    second = scheduler.tick(now=now + timedelta(seconds=5), worker="node-2")
    assert "audit.seal" in first and "audit.seal" not in second
    later = scheduler.tick(now=now + timedelta(minutes=1), worker="node-2")
    assert "audit.seal" in later
    assert SchedulerTick.objects.filter(job="audit.seal").count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_schedulers_claim_a_slot_once():
    """Real threads, real transactions: four schedulers tick the same minute; the job runs once."""
    now = datetime(2026, 11, 25, 11, 0, 0, tzinfo=UTC)
    results, barrier = [], threading.Barrier(4)

    def run(name):
        try:
            barrier.wait()
            results.append(scheduler.tick(now=now, worker=name))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(f"node-{i}",)) for i in range(4)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sum("audit.seal" in r for r in results) == 1
    assert SchedulerTick.objects.filter(job="audit.seal").count() == 1


def test_slots_are_aligned_to_the_period():
    t = datetime(2026, 1, 1, 8, 59, 59, tzinfo=UTC)
    assert scheduler.slot_for(t, timedelta(hours=1)) == datetime(2026, 1, 1, 8, 0, tzinfo=UTC)


def test_export_job_runs_and_produces_a_scoped_excel(world, tmp_path, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job(actor=world.users["district_b"], kind="orgs.export_enterprises", params={"lang": "en"})
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.percent == 100
    response = world.client("district_b").get(f"/files/{job.result_file_id}/")
    assert response.status_code == 200
    path = tmp_path / "out.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("Name", "Unified social credit code")
    names = {r[0] for r in rows[1:]}
    assert "上海汇城软件有限公司" in names and "上海浦江精密机械有限公司" not in names
    # The download is audited.
    from gonghui.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="file.read", object_id=str(job.result_file_id)).exists()


def test_someone_elses_job_is_not_found(world):
    job = start_job(actor=world.users["district_a"], kind="orgs.export_enterprises", params={})
    assert world.client("district_b").get(f"/jobs/{job.pk}/").status_code == 404
    assert world.client("district_a").get(f"/jobs/{job.pk}/").status_code == 200


def test_failed_job_records_the_error(world, monkeypatch, django_capture_on_commit_callbacks):
    from gonghui.core import jobs

    def boom(job, progress):
        raise RuntimeError("disk full")

    monkeypatch.setitem(jobs._HANDLERS, "orgs.export_enterprises", boom)
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job(actor=world.users["district_a"], kind="orgs.export_enterprises", params={})
    job = Job.objects.get(pk=job.pk)
    assert job.status == JobStatus.FAILED and "disk full" in job.error


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://x\")", "+1+1", "-2", "@SUM(A1)", "\tx"])
def test_formula_injection_is_neutralised(value):
    assert neutralise(value) == "'" + value


def test_plain_values_are_left_alone():
    assert neutralise("上海浦江精密机械有限公司") == "上海浦江精密机械有限公司"
    assert neutralise(42) == 42


def test_files_left_by_a_rolled_back_upload_are_pruned(world, settings, tmp_path):
    from django.core.files.base import ContentFile

    from gonghui.core import files

    settings.STORAGES = {**settings.STORAGES, "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    from django.core.files.storage import storages

    storages._storages.pop("private", None)
    kept = files.save_private(actor=world.users["union_a1"], organization=world.orgs["union_a1"], purpose="hall",
                              name="a.pdf", data=b"%PDF-1", content_type="application/pdf")
    orphan = files.storage().save("hall/orphan.pdf", ContentFile(b"%PDF-2"))
    assert files.prune_orphans(older_than_seconds=3600) == 0  # too young to judge
    assert files.prune_orphans(older_than_seconds=-1) == 1
    assert not files.storage().exists(orphan) and files.storage().exists(kept.storage_name)
    storages._storages.pop("private", None)
