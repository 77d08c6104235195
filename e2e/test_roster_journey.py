"""Roster import end to end, as the issue tells it: district_a downloads the template, uploads a roster with
mistakes and sees the errors row by row (and the rows to correct), then uploads a clean one, imports it, and
finds the new members in the member list."""

import io

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect
from stdnum.cn import ric

from e2e.test_hall_journey import _staff_sign_in
from e2e.test_journey import _assert_no_csp_errors, _assert_no_failed_requests, _shot

pytestmark = pytest.mark.e2e
HEADERS = ["姓名", "身份证号", "手机号", "就业形态", "工作单位/平台", "职业", "技能等级", "入会日期"]


def _id(body: str) -> str:
    return body + ric.calc_check_digit(body + "0")


def _roster(path, rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def _wait_for(page, statuses):
    status = page.get_by_test_id("import-status")
    for _ in range(60):
        if status.get_attribute("data-status") in statuses:
            return status
        page.wait_for_timeout(1000)
        status = page.get_by_test_id("import-status")
    raise AssertionError(f"import still {status.get_attribute('data-status')}")


def test_district_a_imports_a_roster_after_fixing_its_mistakes(page, base_url, artifacts, tmp_path):
    _staff_sign_in(page, "district_a")
    page.goto("/work/members/imports/")
    with page.expect_download() as template:
        page.get_by_test_id("download-template").click()
    headers = [
        c.value for c in load_workbook(io.BytesIO(template.value.path().read_bytes())).worksheets[0][1]
    ]
    assert headers[:2] == ["姓名*", "身份证号*"]

    zhou, wu = _id("31010419850317001"), _id("31011519920708002")
    bad = _roster(
        tmp_path / "会员名册.xlsx",
        [
            ["周杰", zhou, "13912345678", "外卖骑手", "同城外卖平台", "配送", "", "2025-03-01"],
            ["吴敏", wu[:-1] + ("0" if wu[-1] != "0" else "1"), "1391234", "程序员", "", "", "", ""],
            ["李爱丽", "310101199003070027", "13800000001", "职工", "", "", "", ""],
        ],
    )
    page.locator("select[name=union]").select_option(label="浦东新区总工会")
    page.locator("input[name=file]").set_input_files(str(bad))
    with page.expect_navigation():
        page.get_by_test_id("upload-roster").click()
    status = _wait_for(page, {"invalid", "ready"})
    assert status.get_attribute("data-status") == "invalid"
    errors = page.get_by_test_id("row-errors")
    expect(errors).to_contain_text("吴敏")
    expect(errors).to_contain_text("程序员")
    expect(errors).to_contain_text("会籍接转")
    expect(page.get_by_test_id("commit-import")).to_have_count(0)
    _shot(page, artifacts, "70-roster-errors")
    with page.expect_download() as corrections:
        page.get_by_test_id("download-corrections").click()
    fixed_sheet = load_workbook(io.BytesIO(corrections.value.path().read_bytes())).worksheets[0]
    assert fixed_sheet["A1"].value == "错误说明" and fixed_sheet.max_row == 3

    clean = _roster(
        tmp_path / "会员名册-更正.xlsx",
        [
            ["周杰", zhou, "13912345678", "外卖骑手", "同城外卖平台", "配送", "", "2025-03-01"],
            ["吴敏", wu, "13912340000", "快递员", "", "快递", "四级/中级工", ""],
        ],
    )
    page.goto("/work/members/imports/")
    page.locator("select[name=union]").select_option(label="浦东新区总工会")
    page.locator("input[name=file]").set_input_files(str(clean))
    with page.expect_navigation():
        page.get_by_test_id("upload-roster").click()
    _wait_for(page, {"ready", "invalid"})
    with page.expect_navigation():
        page.get_by_test_id("commit-import").click()
    status = _wait_for(page, {"committed", "failed", "invalid"})
    assert status.get_attribute("data-status") == "committed"
    expect(page.get_by_test_id("download-receipt")).to_be_visible()
    _shot(page, artifacts, "71-roster-imported")

    page.goto("/work/members/?q=周杰")
    table = page.get_by_test_id("member-table")
    expect(table).to_contain_text("周杰")
    expect(table).not_to_contain_text(zhou)  # masked
    _assert_no_csp_errors(page)
    _assert_no_failed_requests(page)
