"""Data exchange with the HR and social security bureau: Excel export and import of postings with the
standard codes (occupation classification, GB/T 4754 industry, GB/T 2260 district). Imports accept the
messy text of job-site exports (salary, education, experience) through the engine's parsers, merge
duplicates, report every broken row and write nothing unless every row is good."""

import hashlib
import io
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
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


def dedupe_key(employer_id: int, title: str, region_code: str) -> str:
    normalised = "".join((title or "").split()).lower()
    return hashlib.sha1(f"{employer_id}|{normalised}|{region_code}".encode()).hexdigest()  # noqa: S324


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
    employers = {e.enterprise.uscc: e for e in scoped.select_related("enterprise").filter(
        status=EmployerStatus.APPROVED)}
    industries = {i.pk: i for i in Industry.objects.all()}
    regions = {r.pk: r for r in Region.objects.all()}
    records: dict[str, dict] = {}
    errors: list[tuple[int, str, str]] = []
    count = 0
    for number, raw in enumerate(rows, start=2):
        count += 1
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
        key = dedupe_key(employer.pk, cleaned["title"], cleaned["region"].pk)
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


@transaction.atomic
def write_postings(*, actor, records: dict) -> tuple[int, int]:
    """Create the new postings and update the ones already known (same employer, title and district).
    New postings wait for union review like any other."""
    existing = {p.external_key: p for p in JobPosting.objects.select_for_update().filter(
        external_key__in=list(records)).exclude(status=PostingStatus.CLOSED)}
    now = timezone.now()
    new, changed = [], []
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
            posting.findings, posting.updated_at = findings, now
            changed.append(posting)
    JobPosting.objects.bulk_create(new, batch_size=2000)
    if changed:
        JobPosting.objects.bulk_update(changed, list(_UPDATABLE), batch_size=2000)
    audit.record(actor=actor, action="employment.import", after={"created": len(new), "updated": len(changed)})
    if changed:
        matching.bump()
    return len(new), len(changed)


_UPDATABLE = ("title", "description", "occupation_code", "industry_id", "region_id", "salary_min", "salary_max",
              "salary_months", "salary_negotiable", "education", "experience_years", "skills", "headcount",
              "benefits", "contact_name", "contact_phone", "closes_on", "findings", "updated_at")


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
