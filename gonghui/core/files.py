"""Private uploads: type and size checked, stored outside any public URL, read back only through
``serve`` (scope-checked and audited)."""

import hashlib
import mimetypes
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.http import FileResponse
from django.utils.translation import gettext as _

from gonghui.core import audit
from gonghui.core.models import PrivateFile

IMAGE_OR_PDF = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "application/pdf": (b"%PDF-",),
}
XLSX = {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (b"PK\x03\x04",)}


def storage():
    return storages["private"]


def sniff(head: bytes, allowed: dict) -> str | None:
    for content_type, magics in allowed.items():
        if any(head.startswith(m) for m in magics):
            return content_type
    return None


def validate_upload(upload, *, allowed=IMAGE_OR_PDF, max_bytes=10 * 1024 * 1024) -> str:
    """The upload's real content type, judged from its bytes, or a ValidationError in the user's language."""
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is too large: %(size)s MB, at most %(max)s MB is allowed.")
            % {"size": round(upload.size / 1048576, 1), "max": max_bytes // 1048576}
        )
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff(head, allowed)
    if content_type is None:
        raise ValidationError(_("This file type is not accepted. Allowed: images (JPEG, PNG) and PDF."))
    return content_type


def save_private(*, actor, organization, purpose: str, name: str, data: bytes, content_type: str) -> PrivateFile:
    digest = hashlib.sha256(data).hexdigest()
    ext = mimetypes.guess_extension(content_type) or ""
    stored = storage().save(f"{purpose}/{uuid.uuid4().hex}{ext}", ContentFile(data))
    return PrivateFile.objects.create(
        organization=organization,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        purpose=purpose,
        original_name=name[:200],
        content_type=content_type,
        size=len(data),
        sha256=digest,
        storage_name=stored,
    )


def serve(*, actor, private_file: PrivateFile) -> FileResponse:
    """Stream a file the caller already proved they may see; the read is audited."""
    audit.record(actor=actor, action="file.read", obj=private_file, organization=private_file.organization)
    handle = storage().open(private_file.storage_name, "rb")
    response = FileResponse(
        handle, as_attachment=True, filename=private_file.original_name, content_type=private_file.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


def prune_orphans(older_than_seconds: int = 24 * 3600) -> int:
    """Delete stored files that no PrivateFile row points at: what a rolled-back upload left behind (the
    bytes are written before the transaction commits). Only files older than a day, so an upload whose
    transaction is still open is never touched."""
    import time

    store = storage()
    known = set(PrivateFile.objects.values_list("storage_name", flat=True))
    cutoff = time.time() - older_than_seconds
    removed = 0

    def walk(folder: str):
        nonlocal removed
        folders, names = store.listdir(folder)
        for name in names:
            path = f"{folder}/{name}" if folder else name
            if path not in known and store.get_modified_time(path).timestamp() < cutoff:
                store.delete(path)
                removed += 1
        for sub in folders:
            walk(f"{folder}/{sub}" if folder else sub)

    try:
        walk("")
    except FileNotFoundError:
        return 0
    return removed
