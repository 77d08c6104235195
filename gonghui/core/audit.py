"""The audit log: services write one event per change inside their transaction; the scheduler seals
committed rows into a hash chain with signed checkpoints; ``audit_verify`` checks all three layers.

No row is chained at write time (reading the last hash would serialise every write in the city).
"""

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from gonghui.core import context, masking
from gonghui.core.crypto import EncryptedTextField
from gonghui.core.locks import named_lock
from gonghui.core.models import AuditCheckpoint, AuditEvent

GENESIS = "0" * 64


def _key() -> bytes:
    return settings.AUDIT_HMAC_KEY.encode()


def _normalise(data):
    return json.loads(json.dumps(data or {}, default=str, ensure_ascii=False))


def _payload(event: AuditEvent) -> bytes:
    data = {
        "at": event.at.isoformat(),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "organization": event.organization_id,
        "before": event.before,
        "after": event.after,
        "note": event.note,
        "request_id": event.request_id,
        "ip": event.ip,
    }
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def row_hmac(event: AuditEvent) -> str:
    return hmac.new(_key(), _payload(event), hashlib.sha256).hexdigest()


def snapshot(obj, fields=None) -> dict:
    """A JSON-safe copy of the object's concrete fields, with sensitive and contact values masked."""
    masks = getattr(type(obj), "audit_masks", {})
    result = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name.endswith("_bidx"):
            continue
        value = getattr(obj, field.attname)
        if field.name in masks:
            value = masks[field.name](value)
        elif isinstance(field, EncryptedTextField):
            value = masking.mask_generic(value)
        elif isinstance(field, models.FileField | models.BinaryField):
            continue
        result[field.name] = value
    return _normalise(result)


def diff(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the keys that changed."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def record(*, actor, action: str, obj=None, organization=None, before=None, after=None, note="") -> AuditEvent:
    """Write one audit event. Call it inside the service's transaction."""
    ctx = context.current()
    user = actor if getattr(actor, "is_authenticated", False) and hasattr(actor, "pk") else None
    label = str(actor) if actor is not None else "system"
    if organization is None and obj is not None:
        organization = getattr(obj, "audit_organization", None)
    event = AuditEvent(
        at=timezone.now(),
        actor=user if user and user._meta.model_name == "user" else None,
        actor_label=label[:150],
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        organization_id=getattr(organization, "pk", organization),
        before=_normalise(before),
        after=_normalise(after),
        note=note[:500],
        request_id=ctx.request_id if ctx else "",
        ip=ctx.ip if ctx else None,
    )
    event.row_hmac = row_hmac(event)
    event.save()
    return event


def reveal(*, actor, obj, field: str, reason: str = "") -> str:
    """The full value of a sensitive field; the read itself is audited. Callers check permission first."""
    value = getattr(obj, field)
    record(actor=actor, action="sensitive.read", obj=obj, after={"field": field}, note=reason)
    return value


def _checkpoint_signature(count: int, last_hash: str) -> str:
    return hmac.new(_key(), f"checkpoint|{count}|{last_hash}".encode(), hashlib.sha256).hexdigest()


def _chain(prev: str, row_mac: str) -> str:
    return hashlib.sha256(f"{prev}{row_mac}".encode()).hexdigest()


def seal_pending(batch: int = 5000) -> int:
    """Chain committed, unsealed rows (in id order) after the last checkpoint and sign a new checkpoint.

    Rows that commit late (a lower id committed after a higher one) are simply sealed by the next tick:
    the chain follows seal order, which is id order within a tick.
    """
    sealed = 0
    grace = timezone.now() - timedelta(seconds=settings.AUDIT_SEAL_GRACE_SECONDS)
    while True:
        with transaction.atomic():
            named_lock("audit-seal")
            last = AuditCheckpoint.objects.order_by("-count").first()
            seq = last.count if last else 0
            prev = last.last_hash if last else GENESIS
            rows = list(
                AuditEvent.objects.filter(seal_seq__isnull=True, at__lte=grace)
                .order_by("id")
                .only("id", "row_hmac")[:batch]
            )
            if not rows:
                return sealed
            for row in rows:
                seq += 1
                prev = _chain(prev, row.row_hmac)
                AuditEvent.objects.filter(pk=row.pk).update(seal_seq=seq, chain_hash=prev)
            AuditCheckpoint.objects.create(
                count=seq, last_hash=prev, signature=_checkpoint_signature(seq, prev)
            )
            sealed += len(rows)


@dataclass
class VerifyReport:
    rows: int
    sealed: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(max_problems: int = 20) -> VerifyReport:
    problems: list[str] = []
    rows = sealed = 0
    fields = [f.attname for f in AuditEvent._meta.concrete_fields]
    for event in AuditEvent.objects.order_by("id").only(*fields).iterator(chunk_size=2000):
        rows += 1
        if not hmac.compare_digest(row_hmac(event), event.row_hmac):
            problems.append(f"audit event {event.pk}: content does not match its HMAC (edited)")
            if len(problems) >= max_problems:
                return VerifyReport(rows, sealed, problems)

    checkpoints = {c.count: c for c in AuditCheckpoint.objects.all()}
    for cp in checkpoints.values():
        if not hmac.compare_digest(_checkpoint_signature(cp.count, cp.last_hash), cp.signature):
            problems.append(f"checkpoint at {cp.count}: signature invalid (forged or edited)")
    prev = GENESIS
    expected = 0
    chain_at: dict[int, str] = {}
    sealed_rows = AuditEvent.objects.filter(seal_seq__isnull=False).order_by("seal_seq")
    for event in sealed_rows.only("id", "seal_seq", "row_hmac", "chain_hash").iterator(chunk_size=5000):
        expected += 1
        if event.seal_seq != expected:
            problems.append(
                f"sealed rows {expected}..{event.seal_seq - 1} are missing before event {event.pk} (deleted)"
            )
            expected = event.seal_seq
            prev = event.chain_hash  # resume, to report later problems separately
        else:
            prev = _chain(prev, event.row_hmac)
            if prev != event.chain_hash:
                problems.append(f"audit event {event.pk}: chain hash broken at seal position {expected}")
                prev = event.chain_hash
        chain_at[expected] = prev
        sealed += 1
        if len(problems) >= max_problems:
            break
    if checkpoints:
        newest = max(checkpoints)
        if sealed < newest:
            problems.append(
                f"the newest checkpoint covers {newest} sealed rows but only {sealed} remain (rows deleted)"
            )
        for count, cp in sorted(checkpoints.items()):
            if count in chain_at and chain_at[count] != cp.last_hash:
                problems.append(f"checkpoint at {count}: chain does not end in the signed hash (recomputed)")
                break
    elif sealed:
        problems.append("sealed rows exist but no checkpoint does (checkpoints deleted)")
    return VerifyReport(rows, sealed, problems)
