"""Data exchange with the HR and social security bureau: Excel export and import of postings with the
standard codes (occupation classification, GB/T 4754 industry, GB/T 2260 district). Imports accept the
messy text of job-site exports (salary, education, experience) through the engine's parsers, merge
duplicates, report every broken row and write nothing unless every row is good."""

import hashlib
import io
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from openpyxl import load_workbook

from gonghui.core import audit, files
from gonghui.core.exports import XLSX_TYPE, write_xlsx
from gonghui.core.jobs import register
from gonghui.core.models import Job, PrivateFile
from gonghui.employment import checks, matching, parsing
from gonghui.employment.choices import EmployerStatus, PostingStatus
from gonghui.employment.models import Employer, JobPosting
from gonghui.orgs.models import Industry, Region

# Column headers of the exchange file (the same for export and import), with the field each fills.
COLUMNS = [
    ("uscc", "统一社会信用代码"), ("title", "职位名称"), ("occupation_code", "职业编码"),
    ("industry", "行业代码"), ("region", "区划代码"), ("salary", "薪资"), ("education", "学历"),
    ("experience", "经验"), ("skills", "技能"), ("headcount", "招聘人数"), ("benefits", "福利"),
    ("contact_name", "联系人"), ("contact_phone", "联系电话"), ("closes_on", "截止日期"), ("description", "职位描述"),
]
HEADER_TO_FIELD = {header: field for field, header in COLUMNS} | {field: field for field, _h in COLUMNS}
IMPORT_MAX_ROWS = 100_000


def dedupe_key(enterprise_id: int, title: str, region_code: str) -> str:
    """The import key of a posting: the enterprise (not the employer account: one enterprise may have several
    approved contacts), the title without spaces and the district."""
    normalised = "".join((title or "").split()).lower()
    return hashlib.sha1(f"e{enterprise_id}|{normalised}|{region_code}".encode()).hexdigest()  # noqa: S324


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value).replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").rstrip("日")
    try:
        return date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))
    except ValueError:
        return None


class RowError(Exception):
    pass


def parse_rows(rows, *, actor=None, today: date | None = None, progress=None, total: int = 0,
               counter: list | None = None):
    """Turn raw rows (dicts keyed by header or field name) into posting values.
    Returns (records, errors): records keyed by dedupe key (later rows merge into earlier ones),
    errors as (row number, column, message)."""
    today = today or timezone.localdate()
    # Staff import for the employers in their own scope only.
    scoped = Employer.objects.visible_to(actor, "employment.manage") if actor is not None else Employer.objects.all()
    # One enterprise may act through several approved employer accounts: the earliest approved one takes
    # imported postings, whatever order the database returns them in.
    employers: dict[str, Employer] = {}
    for e in scoped.select_related("enterprise").filter(status=EmployerStatus.APPROVED).order_by("created_at", "pk"):
        employers.setdefault(e.enterprise.uscc, e)
    industries = {i.pk: i for i in Industry.objects.all()}
    regions = {r.pk: r for r in Region.objects.all()}
    records: dict[str, dict] = {}
    errors: list[tuple[int, str, str]] = []
    count = 0
    for number, raw in enumerate(rows, start=2):
        count += 1
        if count > IMPORT_MAX_ROWS:
            count -= 1
            errors.append((number, "", _("At most %(max)s rows per file; the rest of the file was not read.") % {
                "max": IMPORT_MAX_ROWS}))
            break
        if progress and count % 1000 == 0:
            progress(count, total)
        row = {HEADER_TO_FIELD[k]: v for k, v in raw.items() if k in HEADER_TO_FIELD}
        if not any(_text(v) for v in row.values()):
            continue  # blank line
        row_errors: list[tuple[str, str]] = []
        employer = employers.get(_text(row.get("uscc")).upper())
        if employer is None:
            row_errors.append(("uscc", _("No approved employer with this credit code in your scope.")))
        values = {"title": _text(row.get("title")), "description": _text(row.get("description")) or _text(
            row.get("title")), "occupation_code": _text(row.get("occupation_code"))[:16],
                  "benefits": _text(row.get("benefits"))[:300], "contact_name": _text(row.get("contact_name")),
                  "contact_phone": _text(row.get("contact_phone")), "skills": parsing.split_words(
                      _text(row.get("skills")))}
        values["industry"] = industries.get(_text(row.get("industry")).upper())
        values["region"] = regions.get(_text(row.get("region")))
        try:
            salary = parsing.salary(_text(row.get("salary")))
            values.update(salary)
        except ValidationError as error:
            row_errors.append(("salary", " ".join(error.messages)))
        try:
            values["education"] = parsing.education(_text(row.get("education")))
        except ValidationError as error:
            row_errors.append(("education", " ".join(error.messages)))
        try:
            values["experience_years"] = parsing.experience_years(_text(row.get("experience")))
        except ValidationError as error:
            row_errors.append(("experience", " ".join(error.messages)))
        headcount = _text(row.get("headcount")) or "1"
        values["headcount"] = int(headcount) if headcount.isdigit() else 0
        values["closes_on"] = _date(row.get("closes_on"))
        if values["closes_on"] is None and _text(row.get("closes_on")):
            row_errors.append(("closes_on", _("Not a date: %(value)s") % {"value": _text(row.get("closes_on"))}))
        try:
            cleaned = _validate(values, today)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                if field == "salary_min" or field == "salary_max":
                    field = "salary"
                if not any(f == field for f, _m in row_errors):
                    row_errors.extend((field, m) for m in messages)
            cleaned = None
        if row_errors:
            header = dict(COLUMNS)
            errors.extend((number, header.get(f, f), m) for f, m in row_errors)
            continue
        key = dedupe_key(employer.enterprise_id, cleaned["title"], cleaned["region"].pk)
        if key in records:  # a duplicate row merges into the first: later values win, head counts add up
            merged = records[key]
            headcount_total = merged["values"]["headcount"] + cleaned["headcount"]
            merged["values"].update(cleaned)
            merged["values"]["headcount"] = headcount_total
        else:
            records[key] = {"employer": employer, "values": cleaned}
    if counter is not None:
        counter.append(count)
    return records, errors


def _validate(values: dict, today: date) -> dict:
    from gonghui.employment.services import _clean_posting

    return _clean_posting(values, today=today)


def _existing_postings(keys) -> dict:
    return {p.external_key: p for p in JobPosting.objects.select_for_update().filter(
        external_key__in=list(keys)).exclude(status=PostingStatus.CLOSED)}


@transaction.atomic
def write_postings(*, actor, records: dict) -> tuple[int, int]:
    """Create the new postings and update the ones already known (same enterprise, title and district).
    New and changed postings wait for union review like any other: a changed posting that was live goes
    back to review. When another import of the same file created some of the postings meanwhile, the
    unique import key refuses the second insert and the rows are written again as updates."""
    try:
        with transaction.atomic():
            return _write_postings(actor=actor, records=records)
    except IntegrityError:
        return _write_postings(actor=actor, records=records)


def _write_postings(*, actor, records: dict) -> tuple[int, int]:
    existing = _existing_postings(records)
    now = timezone.now()
    new, changed = [], []
    was_live = False
    for key, record in records.items():
        values = record["values"]
        findings = checks.findings_for(values)
        posting = existing.get(key)
        if posting is None:
            employer = record["employer"]
            new.append(JobPosting(employer=employer, owner_organization_id=employer.owner_organization_id,
                                  external_key=key, findings=findings, status=PostingStatus.PENDING, created_at=now,
                                  updated_at=now, **values))
        else:
            for field, value in values.items():
                setattr(posting, field, value)
            was_live = was_live or posting.status == PostingStatus.PUBLISHED
            # As update_posting: any change goes back to union review (and the discrimination check).
            posting.findings, posting.updated_at = findings, now
            posting.status, posting.published_at = PostingStatus.PENDING, None
            changed.append(posting)
    JobPosting.objects.bulk_create(new, batch_size=2000)
    if changed:
        JobPosting.objects.bulk_update(changed, list(_UPDATABLE), batch_size=2000)
    audit.record(actor=actor, action="employment.import", after={"created": len(new), "updated": len(changed)})
    if was_live:
        matching.bump()
    return len(new), len(changed)


_UPDATABLE = ("title", "description", "occupation_code", "industry_id", "region_id", "salary_min", "salary_max",
              "salary_months", "salary_negotiable", "education", "experience_years", "skills", "headcount",
              "benefits", "contact_name", "contact_phone", "closes_on", "findings", "updated_at", "status",
              "published_at")


def read_xlsx(data: bytes):
    """Rows of the first sheet as dicts keyed by the header row (read-only mode: constant memory)."""
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    headers = [_text(h) for h in next(rows, ())]
    total = max((sheet.max_row or 1) - 1, 0)  # 0 when the file does not say (progress then counts up)
    return total, (dict(zip(headers, row, strict=False)) for row in rows)


def start_import(*, actor, upload, organization=None) -> Job:
    from gonghui.core.jobs import start_job

    try:
        content_type = files.validate_upload(upload, allowed=files.XLSX, max_bytes=50 * 1024 * 1024)
    except ValidationError as error:
        raise ValidationError({"file": error.messages})
    stored = files.save_private(actor=actor, organization=organization, purpose="employment-import",
                                name=upload.name, data=upload.read(), content_type=content_type)
    return start_job(actor=actor, kind="employment.import_postings", params={"file": str(stored.pk)},
                     organization=organization)


def import_rows(*, actor, rows, total: int = 0, progress=None) -> tuple[dict, str, bytes]:
    """All or nothing: every row is checked first; with any broken row nothing is written and the report
    lists each problem (row, column, message); otherwise the postings are written in one transaction."""
    counter: list[int] = []
    records, errors = parse_rows(rows, actor=actor, progress=progress, total=total, counter=counter)
    total = counter[0]
    if errors:
        summary = {"created": 0, "updated": 0, "errors": len(errors), "rows": total}
        report = write_xlsx([_("Row"), _("Column"), _("Problem")], errors, title=_("Errors"))
        name = f"import-errors-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
    else:
        created, updated = write_postings(actor=actor, records=records)
        summary = {"created": created, "updated": updated, "errors": 0, "rows": total}
        report = write_xlsx([_("Created"), _("Updated"), _("Rows")], [(created, updated, total)], title=_("Summary"))
        name = f"import-summary-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
    if progress:
        progress(total, total)
    return summary, name, report


@register("employment.import_postings")
def import_postings_job(job, progress):
    stored = PrivateFile.objects.get(pk=job.params["file"])
    with files.storage().open(stored.storage_name, "rb") as handle:
        data = handle.read()
    with override(job.params.get("lang") or "zh-hans"):
        total, rows = read_xlsx(data)
        if total > IMPORT_MAX_ROWS:
            raise ValueError(_("At most %(max)s rows per file.") % {"max": IMPORT_MAX_ROWS})
        summary, name, report = import_rows(actor=job.requested_by, rows=rows, total=total, progress=progress)
    Job.objects.filter(pk=job.pk).update(params={**job.params, "summary": summary})
    return name, report, XLSX_TYPE


def export_rows(queryset):
    from gonghui.employment.engine.salary import SalaryRange, format_salary

    for p in queryset.select_related("employer__enterprise").iterator(chunk_size=2000):
        salary = format_salary(SalaryRange(
            int(p.salary_min) if p.salary_min is not None else None,
            int(p.salary_max) if p.salary_max is not None else None, p.salary_months,
            p.salary_negotiable and p.salary_min is None and p.salary_max is None))
        yield (p.employer.enterprise.uscc, p.title, p.occupation_code, p.industry_id, p.region_id, salary,
               p.education, p.experience_years, "、".join(p.skills), p.headcount, p.benefits, p.contact_name,
               p.contact_phone, p.closes_on.isoformat(), p.description)


@register("employment.export_postings")
def export_postings_job(job, progress):
    from gonghui.employment import selectors

    qs = selectors.postings_for_exchange(job.requested_by, since=job.params.get("since"),
                                         until=job.params.get("until"), perm="employment.view")
    total = qs.count()
    data = write_xlsx([header for _f, header in COLUMNS], export_rows(qs), title="postings", progress=progress,
                      total=total)
    return f"postings-{timezone.localtime():%Y%m%d-%H%M}.xlsx", data, XLSX_TYPE


@register("employment.export_placements")
def export_placements_job(job, progress):
    from gonghui.employment import selectors

    qs = selectors.placements_for_exchange(job.requested_by, since=job.params.get("since"),
                                           until=job.params.get("until"), perm="employment.manage")
    data = write_xlsx(PLACEMENT_COLUMNS, placement_rows(qs), title="placements")
    progress(1, 1)
    return f"placements-{timezone.localtime():%Y%m%d-%H%M}.xlsx", data, XLSX_TYPE


@register("employment.export_seekers")
def export_seekers_job(job, progress):
    """Seekers who consented to sharing with the HR bureau, updated in the period (for the bureau)."""
    from gonghui.employment import selectors

    qs = selectors.seekers_for_exchange(job.requested_by, since=job.params.get("since"),
                                        until=job.params.get("until"), perm="employment.manage")
    data = write_xlsx(SEEKER_COLUMNS, seeker_rows(qs), title="seekers")
    audit.record(actor=job.requested_by, action="employment.export_seekers",
                 after={"ids": list(qs.values_list("pk", flat=True)[:10000])})
    progress(1, 1)
    return f"seekers-{timezone.localtime():%Y%m%d-%H%M}.xlsx", data, XLSX_TYPE


@register("employment.export_dashboard")
def export_dashboard_job(job, progress):
    from gonghui.employment import selectors

    with override(job.params.get("lang") or "zh-hans"):
        d = selectors.dashboard(job.requested_by)
        rows = [(_("Live postings"), "", d["live"]), (_("Waiting for review"), "", d["pending"]),
                (_("Active seekers"), "", d["seekers"]), (_("Placements"), "", d["placements"])]
        rows += [(_("Industry"), name, n) for name, n in d["by_industry"]]
        rows += [(_("Occupation"), name, n) for name, n in d["by_occupation"]]
        rows += [(_("District"), name, n) for name, n in d["by_district"]]
        rows += [(_("Salary band"), f"{b['low'] if b['low'] is not None else ''}-{b['high'] or ''}", b["count"])
                 for b in d["salary_bands"]]
        rows += [(_("Placement rate (%)"), str(g["label"]), g["rate"] if g["rate"] is not None else "")
                 for g in d["priority_groups"]]
        for key, label in (("postings_wow", _("Postings published")), ("seekers_wow", _("New seekers")),
                           ("placements_wow", _("Placements"))):
            w = d[key]
            rows.append((_("Week over week"), str(label), f"{w['this_week']} / {w['last_week']}"))
        data = write_xlsx([_("Figure"), _("Item"), _("Value")], rows, title=_("Employment"))
    progress(1, 1)
    return f"employment-{timezone.localtime():%Y%m%d-%H%M}.xlsx", data, XLSX_TYPE


# ---- the weekly archive for the HR bureau ------------------------------------------------------------

ARCHIVE_PURPOSE = "employment-hr-archive"
PLACEMENT_COLUMNS = ["编号", "岗位编号", "录用日期", "区划代码", "行业代码", "职业编码", "重点群体"]
SEEKER_COLUMNS = ["编号", "姓名", "手机", "期望职业", "期望区划", "期望月薪", "学历", "经验", "技能", "重点群体",
                  "更新时间"]


def placement_rows(queryset):
    """Placements for the bureau: the seeker's priority groups only where the seeker consented to sharing
    with the HR bureau (they are the seeker's personal data)."""
    from gonghui.employment.selectors import consented_seekers

    placements = list(queryset.select_related("application"))
    consenting = set(consented_seekers().filter(
        pk__in={p.application.seeker_id for p in placements}).values_list("pk", flat=True))
    for p in placements:
        groups = p.priority_groups if p.application.seeker_id in consenting else []
        yield (p.pk, p.application.posting_id, p.hired_on.isoformat(), p.region_id, p.industry_id,
               p.occupation_code, "、".join(groups))


def seeker_rows(queryset):
    """Consenting seekers only (the queryset comes from selectors.seekers_for_exchange or is filtered here)."""
    from gonghui.employment.selectors import consented_seekers

    allowed = consented_seekers().values("pk")
    for s in queryset.filter(pk__in=allowed).iterator(chunk_size=2000):
        yield (s.pk, s.name, s.mobile, "、".join(s.desired_occupations), "、".join(s.desired_regions),
               s.desired_salary, s.education, s.experience_years, "、".join(s.skills), "、".join(s.priority_groups),
               timezone.localtime(s.updated_at).strftime("%Y-%m-%d %H:%M"))


def write_weekly_archive(*, today: date | None = None) -> list:
    """The scheduled export: for the city federation and each organisation right under it, the week's
    postings and placements of its subtree as Excel files in private storage, listed on the exchange page
    of that organisation's staff (and those above) and downloaded through the audited file view."""
    from datetime import timedelta

    from gonghui.employment.models import Placement
    from gonghui.orgs.models import Organization

    today = today or timezone.localdate()
    since = today - timedelta(days=6)
    written = []
    for org in Organization.objects.filter(depth__lte=1, is_active=True).order_by("path"):
        postings = JobPosting.objects.filter(
            owner_organization__path__startswith=org.path, status__in=[PostingStatus.PUBLISHED, PostingStatus.CLOSED],
            published_at__date__gte=since, published_at__date__lte=today).order_by("published_at", "id")
        placements = Placement.objects.filter(owner_organization__path__startswith=org.path, hired_on__gte=since,
                                              hired_on__lte=today).order_by("hired_on", "id")
        files_ = [(f"postings-{org.pk}-{today:%Y%m%d}.xlsx", write_xlsx(
            [header for _f, header in COLUMNS], export_rows(postings), title="postings")),
                  (f"placements-{org.pk}-{today:%Y%m%d}.xlsx", write_xlsx(
                      PLACEMENT_COLUMNS, placement_rows(placements), title="placements"))]
        with transaction.atomic():
            for name, data in files_:
                written.append(files.save_private(actor=None, organization=org, purpose=ARCHIVE_PURPOSE, name=name,
                                                  data=data, content_type=XLSX_TYPE))
            audit.record(actor=None, action="employment.hr_archive", organization=org,
                         after={"files": [f.original_name for f in written[-2:]]})
    return written
