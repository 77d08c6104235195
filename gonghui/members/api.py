"""Members in the API, scoped like the workbench: the list and one member (ID numbers and mobiles masked),
and roster imports: upload (checked in the background), the preview with errors row by row, commit."""

import base64
import binascii
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from gonghui.core.api import ERRORS, KeysetPage, paginate, principal_of, require_perm
from gonghui.core.masking import mask_id_number, mask_mobile
from gonghui.core.pagination import keyset_page
from gonghui.members import roster, selectors
from gonghui.members.models import Membership, RosterImport
from gonghui.orgs.models import Organization

router = Router(tags=["members"])
# JSON carries the file as base64; the web upload takes up to roster.MAX_BYTES.
API_MAX_BASE64 = 10_000_000


class MemberOut(Schema):
    id: int
    member_number: str
    name: str
    id_number_masked: str
    mobile_masked: str
    gender: str
    employment_form: str
    union_id: int
    union_name: str
    status: str
    joined_on: date

    @staticmethod
    def resolve_name(obj):
        return obj.person.name

    @staticmethod
    def resolve_id_number_masked(obj):
        return mask_id_number(obj.person.id_number)

    @staticmethod
    def resolve_mobile_masked(obj):
        return mask_mobile(obj.person.mobile)

    @staticmethod
    def resolve_gender(obj):
        return obj.person.gender

    @staticmethod
    def resolve_employment_form(obj):
        return obj.person.employment_form

    @staticmethod
    def resolve_union_name(obj):
        return obj.union.name


class MemberPage(KeysetPage):
    items: list[MemberOut]


class EventOut(Schema):
    kind: str
    union_id: int
    note: str
    at: datetime


class MemberDetailOut(MemberOut):
    occupation: str
    skill_level: str
    history: list[EventOut]

    @staticmethod
    def resolve_occupation(obj):
        return obj.person.occupation

    @staticmethod
    def resolve_skill_level(obj):
        return obj.person.skill_level


class RosterImportIn(Schema):
    union_id: int
    file_name: str = Field(..., min_length=5, max_length=200, pattern=r"(?i)\.(xlsx|csv)$")
    content_base64: str = Field(..., min_length=4, max_length=API_MAX_BASE64)
    idempotency_key: str = Field("", max_length=64)


class RowErrorOut(Schema):
    row: int
    name: str
    id_number: str
    messages: list[str]


class RosterImportOut(Schema):
    id: int
    union_id: int
    file_name: str
    status: str
    row_count: int
    error_count: int
    imported_count: int
    file_errors: list[str]
    row_errors: list[RowErrorOut]
    created_at: datetime
    committed_at: datetime | None = None

    @staticmethod
    def resolve_file_errors(obj):
        return (obj.problems or {}).get("file", [])

    @staticmethod
    def resolve_row_errors(obj):
        return (obj.problems or {}).get("rows", [])


@router.get("/members", response={200: MemberPage, **ERRORS}, summary="Members in scope")
def list_members(
    request,
    q: str = Query("", max_length=64),
    union_id: int | None = Query(None),
    status: str = Query("current", max_length=12),
    employment_form: str = Query("", max_length=20),
    cursor: str | None = Query(None, max_length=500),
    limit: int = Query(50, ge=1, le=200),
):
    """Current members by default, newest first. ``q``: the start of a name, a mobile, an ID number (exact)
    or a member number. ID numbers and mobiles are masked."""
    require_perm(request, "members.view")
    principal = principal_of(request)
    union = None
    if union_id is not None:
        union = selectors.member_unions(principal).filter(pk=union_id).first()
        if union is None:
            raise ValidationError({"union_id": _("Unknown union.")})
    qs = selectors.list_members(
        principal, query=q, union=union, status=status, employment_form=employment_form
    )
    if not q:
        return paginate(qs, sort="-id", cursor=cursor, limit=limit)
    page = keyset_page(qs, sort="-id", cursor=cursor, size=limit, count_cap=selectors.SEARCH_COUNT_CAP)
    return {
        "items": page.items,
        "next_cursor": page.next_cursor,
        "count": page.count,
        "count_capped": page.count_capped,
    }


@router.get("/members/{int:member_id}", response={200: MemberDetailOut, **ERRORS}, summary="One member")
def get_member(request, member_id: int):
    require_perm(request, "members.view")
    principal = principal_of(request)
    membership = Membership.objects.select_related("person", "union").get_visible_or_404(
        principal, "members.view", pk=member_id
    )
    membership.history = list(selectors.history_of(principal, membership))
    return membership


@router.post(
    "/members/imports",
    response={201: RosterImportOut, 200: RosterImportOut, **ERRORS},
    summary="Upload a roster",
)
def upload_import(request, payload: RosterImportIn):
    """The file (base64, .xlsx or .csv) is checked in the background: poll the import until its status is
    ``ready`` (then commit) or ``invalid`` (the errors row by row). The same ``idempotency_key`` returns the
    first upload (200)."""
    require_perm(request, roster.IMPORT_PERM)
    principal = principal_of(request)
    if not hasattr(principal, "scope_for") or not hasattr(principal, "mobile"):
        raise ValidationError({"union_id": _("Rosters are uploaded by signed-in cadres.")})
    union = Organization.objects.get_visible_or_404(principal, roster.IMPORT_PERM, pk=payload.union_id)
    try:
        data = base64.b64decode(payload.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({"content_base64": _("Not valid base64.")})
    if payload.idempotency_key:
        existing = RosterImport.objects.filter(
            uploaded_by=principal, idempotency_key=payload.idempotency_key
        ).first()
        if existing:
            return Status(200, existing)
    upload = SimpleUploadedFile(payload.file_name, data)
    try:
        created = roster.upload_roster(
            actor=principal, union=union, upload=upload, idempotency_key=payload.idempotency_key
        )
    except ValidationError as error:
        raise ValidationError({"content_base64": error.messages})
    created.refresh_from_db()
    return Status(201, created)


@router.get(
    "/members/imports/{int:import_id}", response={200: RosterImportOut, **ERRORS}, summary="One roster import"
)
def get_import(request, import_id: int):
    require_perm(request, roster.IMPORT_PERM)
    return RosterImport.objects.get_visible_or_404(principal_of(request), roster.IMPORT_PERM, pk=import_id)


@router.post(
    "/members/imports/{int:import_id}/commit",
    response={202: RosterImportOut, **ERRORS},
    summary="Import a checked roster",
)
def commit_import(request, import_id: int):
    """Lands the roster whole, in the background. Idempotent: committing again returns the same import."""
    require_perm(request, roster.IMPORT_PERM)
    principal = principal_of(request)
    found = RosterImport.objects.get_visible_or_404(principal, roster.IMPORT_PERM, pk=import_id)
    return Status(202, roster.commit_roster(actor=principal, roster=found))
