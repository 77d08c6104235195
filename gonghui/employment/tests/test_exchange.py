import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from gonghui.core.models import Job, JobStatus
from gonghui.employment import exchange
from gonghui.employment.choices import PostingStatus
from gonghui.employment.models import JobPosting
from gonghui.employment.tests import factories

HEADERS = [header for _field, header in exchange.COLUMNS]


def _row(world, **over):
    row = {"统一社会信用代码": world.enterprises["a1"].uscc, "职位名称": "仓库管理员", "职业编码": "4-02",
           "行业代码": "34", "区划代码": "310115", "薪资": "10-15K·14薪", "学历": "大专及以上", "经验": "3年以上",
           "技能": "叉车、WMS", "招聘人数": "2", "福利": "五险一金", "联系人": "王经理", "联系电话": "021-58881234",
           "截止日期": (timezone.localdate() + timedelta(days=20)).isoformat(), "职位描述": "负责仓库收发货与盘点。"}
    row.update(over)
    return row


def _xlsx(rows) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADERS)
    for row in rows:
        sheet.append([row.get(h, "") for h in HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(("text", "low", "high", "months", "negotiable"), [
    ("10-15K·14薪", 10000, 15000, 14, False),
    ("8千-1.2万", 8000, 12000, 12, False),
    ("18-36万", 15000, 30000, 12, False),
    ("面议", None, None, 12, True),
    ("5000-8000元/月", 5000, 8000, 12, False),
    ("200元/天", 4350, 4350, 12, False),
])
def test_messy_salary_text_becomes_monthly_ranges(world, text, low, high, months, negotiable):
    factories.employer(world)
    records, errors = exchange.parse_rows([_row(world, 薪资=text)])
    assert errors == []
    (record,) = records.values()
    values = record["values"]
    assert values["salary_min"] == (Decimal(low) if low is not None else None)
    assert values["salary_max"] == (Decimal(high) if high is not None else None)
    assert values["salary_months"] == months and values["salary_negotiable"] is negotiable
    assert values["education"] == "associate" and values["experience_years"] == 3


def test_broken_rows_are_reported_one_by_one(world):
    factories.employer(world)
    rows = [_row(world), _row(world, 薪资="20-10K"), _row(world, 学历="看能力", 职位名称="B"),
            _row(world, 截止日期="2020-01-01", 职位名称="C"), _row(world, 统一社会信用代码="91310115MA1K00000X"),
            _row(world, 职位描述="<script>x</script>", 职位名称="D"), _row(world, 区划代码="999999", 职位名称="E")]
    records, errors = exchange.parse_rows(rows)
    by_row = {(number, column) for number, column, _message in errors}
    assert by_row == {(3, "薪资"), (4, "学历"), (5, "截止日期"), (6, "统一社会信用代码"), (7, "职位描述"), (8, "区划代码")}
    assert len(records) == 1


def test_duplicate_rows_merge_and_a_second_import_updates(world):
    employer = factories.employer(world)
    records, errors = exchange.parse_rows([_row(world), _row(world, 招聘人数="3", 薪资="12-16K")])
    assert not errors and len(records) == 1
    created, updated = exchange.write_postings(actor=world.users["district_a"], records=records)
    assert (created, updated) == (1, 0)
    posting = JobPosting.objects.get()
    assert posting.headcount == 5 and posting.salary_min == Decimal("12000")
    assert posting.status == PostingStatus.PENDING and posting.employer == employer
    again, _ = exchange.parse_rows([_row(world, 招聘人数="1")])
    assert exchange.write_postings(actor=world.users["district_a"], records=again) == (0, 1)
    posting.refresh_from_db()
    assert JobPosting.objects.count() == 1 and posting.headcount == 1


def test_an_import_job_with_one_broken_row_writes_nothing_and_lists_it(world, django_capture_on_commit_callbacks):
    factories.employer(world)
    upload = SimpleUploadedFile("jobs.xlsx", _xlsx([_row(world), _row(world, 薪资="不知道", 职位名称="X")]))
    with django_capture_on_commit_callbacks(execute=True):
        job = exchange.start_import(actor=world.users["district_a"], upload=upload, organization=world.orgs["district_a"])
    job = Job.objects.get(pk=job.pk)
    assert job.status == JobStatus.DONE and job.params["summary"]["errors"] == 1
    assert not JobPosting.objects.exists()
    from gonghui.core import files

    with files.storage().open(job.result_file.storage_name, "rb") as handle:
        sheet = load_workbook(handle).active
        assert [c.value for c in sheet[2]][:2] == [3, "薪资"]


def test_a_non_excel_upload_is_refused(world):
    with pytest.raises(Exception) as excinfo:
        exchange.start_import(actor=world.users["district_a"], upload=SimpleUploadedFile("a.xlsx", b"not excel"))
    assert "file" in excinfo.value.message_dict


def test_fifty_thousand_rows_with_broken_ones_report_every_error_and_write_nothing(world):
    factories.employer(world)
    good = _row(world)
    rows = []
    for i in range(50_000):
        row = dict(good, 职位名称=f"仓库管理员{i}")
        if i % 5000 == 0:
            row["薪资"] = "15-10K"
        rows.append(row)
    seen = []
    summary, name, report = exchange.import_rows(actor=world.users["district_a"], rows=iter(rows), total=50_000,
                                                 progress=lambda done, total: seen.append(done))
    assert summary == {"created": 0, "updated": 0, "errors": 10, "rows": 50_000}
    assert seen[-1] == 50_000 and len(seen) > 10 and name.startswith("import-errors")
    sheet = load_workbook(io.BytesIO(report)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [2 + i * 5000 for i in range(10)]
    assert not JobPosting.objects.exists()


def test_export_uses_the_standard_codes(world):
    posting = factories.posting(world)
    rows = list(exchange.export_rows(JobPosting.objects.filter(pk=posting.pk)))
    (row,) = rows
    assert row[0] == world.enterprises["a1"].uscc and row[3] == posting.industry_id and row[4] == "310115"
    assert row[5] == "8000-12000元/月·13薪"


def test_staff_import_only_for_employers_in_their_scope(world):
    factories.employer(world)
    summary, _name, _report = exchange.import_rows(actor=world.users["district_b"], rows=iter([_row(world)]))
    assert summary["errors"] == 1 and not JobPosting.objects.exists()
    summary, _name, _report = exchange.import_rows(actor=world.users["district_a"], rows=iter([_row(world)]))
    assert summary["created"] == 1
