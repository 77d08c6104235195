"""The service hall end to end: alice applies on her phone with a photo, her grassroots union handles it in
the workbench, alice follows the progress and gives a bad rating, the union rectifies and answers, and
alice reads the answer. (carol's own journey uses her number; the SMS throttle allows one code a minute.)"""

import re
import time

import pytest
from playwright.sync_api import expect

from e2e.test_journey import (
    DEMO_PASSWORD,
    _assert_no_csp_errors,
    _assert_no_failed_requests,
    _latest_sms_code,
    _shot,
    _submit_totp,
)

pytestmark = pytest.mark.e2e
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 128


def _sms_sign_in(page, sms_file, mobile):
    page.goto("/accounts/login/")
    page.locator("form").filter(has=page.get_by_test_id("send-code")).locator("input[name=mobile]").fill(mobile)
    sent_at = time.time()
    with page.expect_navigation():
        page.get_by_test_id("send-code").click()
    page.locator("input[name=code]").fill(_latest_sms_code(sms_file, mobile, sent_at))
    with page.expect_navigation():
        page.get_by_test_id("verify-code").click()


def _staff_sign_in(page, username):
    page.goto("/accounts/login/")
    form = page.locator("form").filter(has=page.get_by_test_id("password-login"))
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_test_id("password-login").click()
    if "/accounts/otp/" in page.url:
        _submit_totp(page)


def test_application_handled_rated_badly_rectified_and_answered(phone_page, page, sms_file, artifacts, tmp_path):
    worker = phone_page
    _sms_sign_in(worker, sms_file, "13800000001")
    worker.get_by_test_id("tile-hall").click()
    worker.get_by_test_id("service-general-consultation").click()
    photo = tmp_path / "平台扣款截图.png"
    photo.write_bytes(PNG)
    form = worker.get_by_test_id("apply-form")
    form.locator("textarea[name=summary]").fill("配送平台连续三周扣减我的配送费，想咨询如何维权。")
    form.locator("input[type=file]").set_input_files(str(photo))
    _shot(worker, artifacts, "10-phone-apply")
    with worker.expect_navigation():
        worker.get_by_test_id("submit-application").click()
    status = worker.get_by_test_id("request-status")
    expect(status).to_have_attribute("data-status", "submitted")
    reference = re.search(r"GH\d{8}-\d{5}", status.inner_text()).group(0)
    _shot(worker, artifacts, "11-phone-submitted")

    # Her grassroots union's cadre accepts and completes it in the workbench.
    _staff_sign_in(page, "union_a1")
    page.goto("/work/hall/?tab=org")
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_test_id("staff-status")).to_be_visible()
    expect(page.locator("body")).to_contain_text("平台扣款截图.png")
    with page.expect_navigation():
        page.get_by_test_id("staff-action-accept").click()
    page.locator("textarea[name=note]").fill("已联系平台站点，扣款系超时罚款，已协调退还两周费用。")
    with page.expect_navigation():
        page.get_by_test_id("staff-action-complete").click()
    _shot(page, artifacts, "12-staff-completed")

    # Alice sees the progress and rates it badly.
    worker.goto(f"/hall/mine/{reference}/")
    expect(worker.get_by_test_id("request-status")).to_have_attribute("data-status", "completed")
    expect(worker.locator("body")).to_contain_text("已协调退还两周费用")
    rating = worker.get_by_test_id("rating-form")
    rating.locator("input[name=score][value='2']").check()
    rating.locator("textarea[name=comment]").fill("只退了两周，第三周没有解决。")
    with worker.expect_navigation():
        worker.get_by_test_id("submit-rating").click()
    _shot(worker, artifacts, "13-phone-rated")

    # The bad rating is verified, fixed and answered.
    page.goto("/work/hall/ratings/")
    card = page.get_by_test_id(f"rating-{reference}")
    expect(card).to_contain_text("只退了两周")
    for text in ("核实：第三周扣款系同一原因。", "已再次协调平台退还第三周费用。", "第三周费用已退还，感谢您的监督。"):
        card = page.get_by_test_id(f"rating-{reference}")
        card.locator("textarea[name=text]").fill(text)
        with page.expect_navigation():
            card.locator("button[type=submit]").click()
    expect(page.get_by_test_id(f"rating-{reference}").get_by_test_id("rectification-status")).to_be_visible()
    _shot(page, artifacts, "14-staff-rectified")

    worker.goto(f"/hall/mine/{reference}/")
    expect(worker.locator("body")).to_contain_text("第三周费用已退还，感谢您的监督。")
    _shot(worker, artifacts, "15-phone-answer")
    for p in (worker, page):
        _assert_no_csp_errors(p)
        _assert_no_failed_requests(p)
