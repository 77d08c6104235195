"""点亮微心愿 end to end: a member of the public signs in with her mobile for the first time and registers as a
donor, the city approves her, she claims the wish on the wall, the union delivers it with a photo, alice
confirms, and the donor downloads her thank-you certificate."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from e2e.test_hall_journey import PNG, _sms_sign_in, _staff_sign_in
from e2e.test_journey import _assert_no_csp_errors, _assert_no_failed_requests, _shot

pytestmark = pytest.mark.e2e


def test_a_wish_from_the_wall_to_the_certificate(phone_page, page, browser, base_url, sms_file, artifacts, tmp_path):
    donor = phone_page
    _sms_sign_in(donor, sms_file, "13912345678")  # a new account is made at the first sign-in
    donor.goto("/wishes/donor/")
    donor.locator("input[name=kind][value=person]").check()
    donor.locator("input[name=name]").fill("周爱心")
    donor.locator("input[name=categories][value=study]").check()
    donor.locator("input[name=budget]").fill("500")
    with donor.expect_navigation():
        donor.get_by_test_id("register-donor").click()
    expect(donor.get_by_test_id("donor-status")).to_be_visible()

    _staff_sign_in(page, "city")
    page.goto("/work/wishes/donors/")
    with page.expect_navigation():
        page.locator("[data-testid^=approve-donor-]").first.click()

    donor.goto("/wishes/")
    wish = donor.locator("[data-testid^=wish-]").filter(has_text="一套初中数学辅导书")
    expect(wish).to_be_visible()
    expect(donor.locator("body")).not_to_contain_text("李爱丽")  # no identifying data on the wall
    _shot(donor, artifacts, "30-phone-wish-wall")
    with donor.expect_navigation():
        wish.locator("button[type=submit]").click()
    expect(donor.locator(".msg-success")).to_be_visible()

    # The union delivers it with a photo.
    union = browser.new_context(base_url=base_url, locale="zh-CN").new_page()
    _staff_sign_in(union, "union_a1")
    union.goto("/work/wishes/?status=claimed")
    union.locator("table a").first.click()
    photo = tmp_path / "delivery.png"
    photo.write_bytes(PNG)
    union.locator("input[name=photo]").set_input_files(str(photo))
    with union.expect_navigation():
        union.get_by_test_id("deliver").click()
    expect(union.get_by_test_id("wish-status")).to_contain_text("已送达")
    _shot(union, artifacts, "31-staff-wish-delivered")

    # Alice confirms; carol gets her certificate.
    worker = browser.new_context(base_url=base_url, locale="zh-CN", viewport={"width": 390, "height": 844}).new_page()
    _sms_sign_in(worker, sms_file, "13800000001")
    worker.goto("/wishes/mine/")
    with worker.expect_navigation():
        worker.locator("[data-testid^=receive-]").first.click()
    donor.goto("/wishes/donor/")
    with donor.expect_download() as download_info:
        donor.locator("[data-testid^=certificate-]").first.click()
    pdf = PdfReader(io.BytesIO(open(download_info.value.path(), "rb").read()))
    text = pdf.pages[0].extract_text()
    assert "周爱心" in text and "一套初中数学辅导书" in text
    _shot(donor, artifacts, "32-phone-donor-certificate")
    for checked in (donor, page):
        _assert_no_csp_errors(checked)
        _assert_no_failed_requests(checked)
