"""会聘 end to end, as the issue's "done when" tells it: an employer in district A posts a job, the union
approves it, alice finds it through quick match with an explanation, applies and is hired; a graduate fair
runs with registration and QR-ticket check-in; an HR-bureau token pulls the week's postings; an Excel
import of messy real-world salary formats works."""

import io
import json
import re
import urllib.request
from datetime import date, datetime, timedelta

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect
from stdnum.cn import uscc

from e2e.conftest import _close, _new_page
from e2e.test_hall_journey import _sms_sign_in, _staff_sign_in
from e2e.test_journey import _assert_no_csp_errors, _assert_no_failed_requests, _shot

pytestmark = pytest.mark.e2e

TITLE = "数控车床操作工（夜班）"


def _demo_uscc(seq: int) -> str:
    body = f"91310115MA1K{seq:05d}"
    return body + uscc.calc_check_digit(body)


def _messy_workbook() -> bytes:
    headers = ["统一社会信用代码", "职位名称", "职业编码", "行业代码", "区划代码", "薪资", "学历", "经验", "技能", "招聘人数",
               "福利", "联系人", "联系电话", "截止日期", "职位描述"]
    closes = (date.today() + timedelta(days=30)).strftime("%Y/%m/%d")
    rows = [("叉车司机", "10-15K·14薪", "中专及以上", "1-3年"), ("理货员", "8千-1.2万", "不限", "经验不限"),
            ("物流主管", "18-36万", "本科", "5年以上"), ("分拣员", "面议", "初中", "应届生")]
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for title, salary, education, experience in rows:
        sheet.append([_demo_uscc(2), title, "4-02", "54", "310115", salary, education, experience, "叉车", 2,
                      "五险一金", "周主管", "13900000012", closes, f"{title}，负责仓储物流相关工作。"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_employment_from_posting_to_hire_fair_exchange_and_import(request, browser, base_url, phone_page, page,
                                                                   sms_file, artifacts, tmp_path):
    employer_context, employer = _new_page(browser, base_url, {"width": 390, "height": 844})
    request.addfinalizer(lambda: _close(request, employer_context, employer))
    # 1. An approved employer in district A posts a job.
    _sms_sign_in(employer, sms_file, "13900000011")  # hr_pujiang, 上海浦江精密机械有限公司 (浦东新区)
    employer.goto("/employer/")
    employer.get_by_test_id("new-posting").click()
    form = employer.get_by_test_id("posting-form")
    form.locator("input[name=title]").fill(TITLE)
    form.locator("select[name=occupation_code]").select_option("6")
    form.locator("input[name=salary_min]").fill("8000")
    form.locator("input[name=salary_max]").fill("12000")
    form.locator("input[name=salary_months]").fill("13")
    form.locator("select[name=education]").select_option("secondary_vocational")
    form.locator("input[name=experience_years]").fill("2")
    form.locator("input[name=skills]").fill("数控车床, 机械制图")
    form.locator("input[name=headcount]").fill("2")
    form.locator("input[name=closes_on]").fill((date.today() + timedelta(days=30)).isoformat())
    form.locator("textarea[name=description]").fill("负责数控车床操作与保养，能看懂机械图纸，男女不限。")
    _shot(employer, artifacts, "60-phone-employer-posting")
    with employer.expect_navigation():
        employer.get_by_test_id("submit-posting").click()
    expect(employer.get_by_test_id("posting-status")).to_have_text(re.compile("审核|review"))
    posting_id = re.search(r"/employer/postings/(\d+)/", employer.url).group(1)

    # 2. The district union reviews and publishes it.
    _staff_sign_in(page, "district_a")
    page.goto("/work/employment/postings/")
    page.get_by_test_id(f"review-{posting_id}").click()
    with page.expect_navigation():
        page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("posting-status")).to_have_text(re.compile("已发布|Published"))
    _shot(page, artifacts, "61-staff-posting-published")

    # 3. alice finds it through quick match, with the reasons, and applies.
    worker = phone_page
    _sms_sign_in(worker, sms_file, "13800000001")
    worker.goto("/jobs/match/")
    match = worker.get_by_test_id("match-form")
    match.locator("textarea[name=q]").fill("想找数控车床的工作，会看机械图纸")
    match.locator("select[name=region]").select_option("310115")
    match.locator("input[name=salary]").fill("9000")
    with worker.expect_navigation():
        worker.get_by_test_id("run-match").click()
    expect(worker.get_by_test_id(f"reasons-{posting_id}")).to_contain_text("数控")
    _shot(worker, artifacts, "62-phone-quick-match")
    worker.get_by_test_id(f"posting-{posting_id}").get_by_role("link", name=TITLE).click()
    with worker.expect_navigation():
        worker.get_by_test_id("apply").click()
    # First time: the profile, pre-filled from her member file.
    profile = worker.get_by_test_id("seeker-form")
    expect(profile.locator("input[name=name]")).to_have_value("李爱丽")
    profile.locator("select[name=education]").select_option("secondary_vocational")
    profile.locator("input[name=experience_years]").fill("3")
    profile.locator("input[name=desired_occupations]").fill("数控车床操作工")
    profile.locator("input[name=share_with_hr_bureau]").check()
    with worker.expect_navigation():
        worker.get_by_test_id("save-profile").click()
    worker.goto(f"/jobs/{posting_id}/")
    with worker.expect_navigation():
        worker.get_by_test_id("apply").click()
    expect(worker.get_by_test_id("application-status").first).to_have_text(re.compile("已提交|已投递|Submitted"))

    # 4. The employer moves the application on to hired; alice sees it.
    employer.goto(f"/employer/postings/{posting_id}/")
    for step in ("viewed", "interview", "offer", "hired"):
        card = employer.locator("[data-testid^=employer-application-]").first
        card.get_by_test_id("move-status").select_option(step)
        with employer.expect_navigation():
            card.get_by_test_id("move").click()
    expect(employer.get_by_test_id("employer-application-status").first).to_have_text(re.compile("已录用|Hired"))
    worker.goto("/jobs/applications/")
    expect(worker.get_by_test_id("application-status").first).to_have_text(re.compile("已录用|Hired"))
    expect(worker.locator("ol.timeline li")).to_have_count(5)
    _shot(worker, artifacts, "63-phone-hired")
    page.goto("/work/employment/")
    expect(page.get_by_test_id("placements")).to_have_text("1")
    _shot(page, artifacts, "63-staff-employment-dashboard")

    # 5. A graduate fair: the district creates it, alice registers, staff check her in from her ticket.
    page.goto("/work/employment/fairs/")
    fair = page.get_by_test_id("fair-form")
    fair.locator("input[name=fair-name]").fill("浦东新区高校毕业生专场招聘会")
    fair.locator("select[name=fair-theme]").select_option("graduate")
    fair.locator("select[name=fair-mode]").select_option("onsite")
    start = datetime.now() + timedelta(days=2)
    fair.locator("input[name=fair-starts_at]").fill(start.strftime("%Y-%m-%dT09:00"))
    fair.locator("input[name=fair-ends_at]").fill(start.strftime("%Y-%m-%dT16:00"))
    fair.locator("input[name=fair-venue]").fill("浦东新区就业促进中心")
    fair.locator("input[name=fair-quota]").fill("100")
    fair.locator("input[name=fair-priority_quota]").fill("20")
    with page.expect_navigation():
        page.get_by_test_id("create-fair").click()
    page.get_by_role("link", name="浦东新区高校毕业生专场招聘会").click()
    fair_url = page.url
    fair_id = re.search(r"/fairs/(\d+)/", fair_url).group(1)
    worker.goto(f"/jobs/fairs/{fair_id}/")
    with worker.expect_navigation():
        worker.get_by_test_id("register-fair").click()
    ticket = worker.get_by_test_id("ticket").locator("img")
    expect(ticket).to_be_visible()
    worker.wait_for_function("document.querySelector('img.ticket-qr').complete")
    assert ticket.evaluate("img => img.naturalWidth") > 0  # the QR code really renders
    _shot(worker, artifacts, "64-phone-fair-ticket")
    code = worker.get_by_test_id("ticket-code").inner_text().strip()
    page.locator("input[name=token]").fill(code)
    with page.expect_navigation():
        page.get_by_test_id("check-in").click()
    expect(page.get_by_test_id("checked-in-count")).to_have_text("1")
    _shot(page, artifacts, "65-staff-fair-checked-in")

    # 6. Messy real-world salary formats come in through the Excel import.
    workbook = tmp_path / "招聘岗位.xlsx"
    workbook.write_bytes(_messy_workbook())
    page.goto("/work/employment/exchange/")
    page.locator("input[name=imp-file]").set_input_files(str(workbook))
    with page.expect_navigation():
        page.get_by_test_id("import").click()
    expect(page.get_by_test_id("job-status")).to_have_attribute("data-status", "done", timeout=60_000)
    expect(page.get_by_test_id("download")).to_contain_text("import-summary")
    page.goto("/work/employment/postings/")
    for title in ("叉车司机", "理货员", "物流主管", "分拣员"):
        expect(page.get_by_role("link", name=title)).to_be_visible()
    _shot(page, artifacts, "66-staff-imported")

    # 7. The HR bureau's token pulls the week's postings.
    security_context, security = _new_page(browser, base_url, {"width": 1280, "height": 800})
    request.addfinalizer(lambda: _close(request, security_context, security))
    _staff_sign_in(security, "security")
    security.goto("/work/security/tokens/")
    security.locator("input[name=name]").fill("市人社局就业数据交换")
    security.locator("select[name=organization]").select_option(label="浦东新区总工会")
    security.locator("input[name=permissions][value='employment.exchange.view']").check()
    security.locator("input[name=days]").fill("30")
    with security.expect_navigation():
        security.locator("form.card button[type=submit]").click()
    raw = security.get_by_test_id("raw-token").inner_text().strip()
    pull = urllib.request.Request(f"{base_url}/api/v1/employment/postings",
                                  headers={"Authorization": f"Bearer {raw}"})
    with urllib.request.urlopen(pull, timeout=10) as response:
        titles = [item["title"] for item in json.load(response)["items"]]
    assert TITLE in titles

    for p in (worker, page, employer):
        _assert_no_csp_errors(p)
        _assert_no_failed_requests(p)
