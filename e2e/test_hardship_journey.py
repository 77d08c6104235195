"""Hardship aid end to end, as the issue tells it: bob applies online on his phone, his union verifies
after a home visit, the district approves, aid is paid from a budget line, bob sees every step and rates
the service."""

import re

import pytest
from playwright.sync_api import expect

from e2e.test_hall_journey import _sms_sign_in, _staff_sign_in
from e2e.test_journey import _assert_no_csp_errors, _assert_no_failed_requests, _shot

pytestmark = pytest.mark.e2e


def test_hardship_from_application_to_aid_and_rating(phone_page, page, browser, base_url, sms_file, artifacts):
    worker = phone_page
    _sms_sign_in(worker, sms_file, "13800000002")  # bob, a member in district B
    worker.goto("/hardship/self-test/")
    worker.locator("select[name=region]").select_option("310104")
    worker.locator("input[name=household_size]").fill("2")
    worker.locator("input[name=annual_income]").fill("30000")
    worker.get_by_test_id("run-self-test").click()
    expect(worker.get_by_test_id("self-test-result")).to_contain_text("1250.00")
    _shot(worker, artifacts, "20-phone-self-test")

    worker.goto("/hall/services/hardship-aid/")
    worker.get_by_test_id("apply-own-form").click()
    form = worker.get_by_test_id("hardship-form")
    form.locator("input[name='m-0-annual_income']").fill("24000")
    worker.get_by_test_id("add-member").click()
    form.locator("input[name='m-1-name']").fill("王小妹")
    form.locator("select[name='m-1-relation']").select_option("child")
    form.locator("input[name='m-1-annual_income']").fill("0")
    form.locator("input[name='m-1-note']").fill("小学三年级")
    form.locator("select[name=region]").select_option("310104")
    form.locator("select[name=housing]").select_option("rent")
    form.locator("select[name=cause]").select_option("illness")
    form.locator("textarea[name=narrative]").fill("本人患慢性病需长期服药，独自抚养女儿。")
    form.locator("input[name=medical_expenses]").fill("6000")
    _shot(worker, artifacts, "21-phone-hardship-form")
    with worker.expect_navigation():
        worker.get_by_test_id("submit-hardship").click()
    status = worker.get_by_test_id("request-status")
    reference = re.search(r"GH\d{8}-\d{5}", status.inner_text()).group(0)

    # district_b is the district; bob's grassroots union has no cadre account in the demo, so the district
    # administrator (who may do everything the union may) verifies and approves.
    _staff_sign_in(page, "district_b")
    page.goto("/work/hall/?tab=org")
    page.get_by_role("link", name=reference).click()
    panel = page.get_by_test_id("hardship-panel")
    expect(panel).to_contain_text("750.00")  # (24000 − 6000) ÷ 12 ÷ 2
    with page.expect_navigation():
        page.get_by_test_id("staff-action-accept").click()
    panel = page.get_by_test_id("hardship-panel")
    panel.locator("input[name=visited_on]").fill("2026-11-20")
    panel.locator("input[name=visitors]").fill("徐家汇街道总工会 刘委员")
    panel.locator("textarea[name=findings]").fill("家中确有病人，租住老式公房，情况属实。")
    with page.expect_navigation():
        page.get_by_test_id("record-visit").click()
    with page.expect_navigation():
        page.get_by_test_id("staff-action-verify").click()
    with page.expect_navigation():
        page.get_by_test_id("staff-action-approve").click()
    expect(page.get_by_test_id("staff-status")).to_contain_text(re.compile("建档|on file"))
    _shot(page, artifacts, "22-staff-approved")

    # A budget line for district B, then aid paid from it.
    page.goto("/work/hardship/budgets/")
    page.locator("select[name=organization]").select_option(label="徐汇区总工会")
    page.locator("select[name=kind]").select_option("living")
    page.locator("input[name=name]").fill("生活救助")
    page.locator("input[name=amount]").fill("10000")
    with page.expect_navigation():
        page.locator("form.card button[type=submit]").click()
    page.goto("/work/hardship/files/")
    page.locator("table a").first.click()
    pay = page.get_by_test_id("pay-form")
    pay.locator("select[name=budget_line]").select_option(index=1)
    pay.locator("select[name=kind]").select_option("living")
    pay.locator("input[name=amount]").fill("1500")
    with page.expect_navigation():
        page.get_by_test_id("pay-aid").click()
    expect(page.locator("body")).to_contain_text("1500")
    _shot(page, artifacts, "23-staff-aid-paid")
    page.goto("/work/hardship/")
    expect(page.get_by_test_id("files-active")).to_have_text("1")
    _shot(page, artifacts, "24-staff-hardship-dashboard")

    # bob sees every step, his aid, and rates the service.
    worker.goto(f"/hall/mine/{reference}/")
    expect(worker.get_by_test_id("request-status")).to_have_attribute("data-status", "approved")
    timeline = worker.locator("ol.timeline li")
    expect(timeline).to_have_count(4)  # submitted, accepted, verified, approved
    rating = worker.get_by_test_id("rating-form")
    rating.locator("input[name=score][value='5']").check()
    with worker.expect_navigation():
        worker.get_by_test_id("submit-rating").click()
    expect(worker.get_by_test_id("request-status")).to_contain_text("5/5")
    _shot(worker, artifacts, "25-phone-hardship-rated")
    worker.goto("/hardship/mine/")
    expect(worker.locator("body")).to_contain_text("1500")
    for p in (worker, page):
        _assert_no_csp_errors(p)
        _assert_no_failed_requests(p)
