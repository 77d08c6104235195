"""audit_verify catches an edited row, a deleted row, a deleted newest row and a recomputed chain."""

import hashlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from gonghui.core import audit
from gonghui.core.models import AppendOnlyError, AuditCheckpoint, AuditEvent


@pytest.fixture
def sealed_log(db):
    for i in range(6):
        audit.record(actor=None, action="test.event", note=f"event {i}", after={"i": i})
    assert audit.seal_pending() == 6
    return list(AuditEvent.objects.order_by("id"))


def _raw_update(pk, **fields):
    sets = ", ".join(f"{k} = %s" for k in fields)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE core_auditevent SET {sets} WHERE id = %s", [*fields.values(), pk])


def _raw_delete(pk):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [pk])


def test_untouched_log_verifies(sealed_log):
    report = audit.verify()
    assert report.ok, report.problems
    assert (report.rows, report.sealed) == (6, 6)
    call_command("audit_verify")


def test_edited_row_is_caught(sealed_log):
    target = sealed_log[2]
    _raw_update(target.pk, note="nothing happened here")
    report = audit.verify()
    assert not report.ok
    assert f"audit event {target.pk}: content does not match" in report.problems[0]
    with pytest.raises(CommandError, match="FAILED"):
        call_command("audit_verify")


def test_deleted_middle_row_is_caught(sealed_log):
    _raw_delete(sealed_log[3].pk)
    report = audit.verify()
    assert any("missing" in p and "deleted" in p for p in report.problems), report.problems


def test_deleted_newest_row_is_caught(sealed_log):
    _raw_delete(sealed_log[-1].pk)
    report = audit.verify()
    assert any("newest checkpoint covers 6" in p for p in report.problems), report.problems


def test_chain_recomputed_without_the_key_is_caught(sealed_log):
    """An attacker edits a row, forges its HMAC with a guessed key and recomputes the chain (plain
    sha256, no key needed) — the row HMAC and the signed checkpoint still give it away."""
    victim = sealed_log[1]
    _raw_update(victim.pk, note="forged", row_hmac="f" * 64)
    prev = audit.GENESIS
    for row in AuditEvent.objects.order_by("seal_seq"):
        prev = hashlib.sha256(f"{prev}{row.row_hmac}".encode()).hexdigest()
        _raw_update(row.pk, chain_hash=prev)
    report = audit.verify()
    assert any("checkpoint at 6" in p and "recomputed" in p for p in report.problems), report.problems
    assert any(f"audit event {victim.pk}" in p for p in report.problems)


def test_forged_checkpoint_is_caught(sealed_log):
    AuditCheckpoint.objects.update(last_hash="0" * 64)
    report = audit.verify()
    assert any("signature invalid" in p for p in report.problems)


def test_rows_written_after_a_seal_are_chained_by_the_next_one(sealed_log):
    audit.record(actor=None, action="test.later")
    assert audit.verify().ok  # an unsealed row is fine
    assert audit.seal_pending() == 1
    report = audit.verify()
    assert report.ok and report.sealed == 7


def test_audit_rows_cannot_be_changed_or_deleted_through_the_orm(sealed_log):
    row = sealed_log[0]
    row.note = "changed"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()


def test_snapshots_mask_sensitive_and_contact_values(world):
    from gonghui.members.models import Person

    alice = Person.objects.get(name="李爱丽")
    snap = audit.snapshot(alice)
    assert snap["id_number"] == "310***********0027"
    assert snap["mobile"] == "138****0001"
    assert "id_number_bidx" not in snap
