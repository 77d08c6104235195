"""Membership end to end, as issue 4 tells it: carol, a food-delivery rider, scans the QR code of the
federation covering delivery riders, joins through the portal, is routed there and accepted, shows her
e-card and its QR code verifies; alice transfers from her union to another and both sides confirm."""

import re

import pytest
from playwright.sync_api import expect

from e2e.test_hall_journey import _sms_sign_in, _staff_sign_in
from e2e.test_journey import _assert_no_csp_errors, _shot

pytestmark = pytest.mark.e2e


def test_carol_joins_by_qr_and_her_card_verifies(phone_page, page, sms_file, artifacts):
    # The industry union prints its join QR code; carol's phone opens the address it carries.
    _staff_sign_in(page, "industry")
    page.goto("/work/orgs/")
    page.get_by_role("link", name="市交通运输和物流产业工会").first.click()
    page.get_by_test_id("join-qr-link").click()
    join_url = page.get_by_test_id("join-qr").get_attribute("data-url")
    assert "/join/?u=" in join_url
    _shot(page, artifacts, "40-join-qr-poster")

    carol = phone_page
    _sms_sign_in(carol, sms_file, "13800000003")
    carol.goto(join_url)
    expect(carol.get_by_test_id("chosen-union")).to_contain_text("市交通运输和物流产业工会")
    form = carol.get_by_test_id("join-form")
    form.locator("input[name=name]").fill("陈可乐")
    form.locator("input[name=id_number]").fill("31011519950618004X")
    form.locator("select[name=employment_form]").select_option("food_delivery")
    form.locator("select[name=platform]").select_option(label="上海同城外卖信息技术有限公司")
    form.locator("input[name=occupation]").fill("外卖骑手")
    form.locator("select[name=home_region]").select_option("310115")
    form.locator("input[name=agree]").check()
    _shot(carol, artifacts, "41-phone-join-form")
    with carol.expect_navigation():
        carol.get_by_test_id("submit-join").click()
    reference = re.search(r"GH\d{8}-\d{5}", carol.get_by_test_id("request-status").inner_text()).group(0)

    page.goto("/work/hall/?tab=org")
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_test_id("join-route")).to_contain_text(re.compile("二维码|QR"))
    with page.expect_navigation():
        page.get_by_test_id("staff-action-accept").click()

    carol.goto("/me/card/")
    card = carol.get_by_test_id("member-card")
    expect(card).to_contain_text("市交通运输和物流产业工会")
    _shot(carol, artifacts, "42-phone-e-card")
    verify_url = carol.get_by_test_id("card-qr").get_attribute("data-verify-url")
    assert "/verify/" in verify_url
    # Anyone scanning the code (here: the cadre's browser) sees a valid card with the name masked.
    page.goto(verify_url)
    result = page.get_by_test_id("verify-result")
    expect(result).to_have_attribute("data-valid", "yes")
    expect(result).to_contain_text("陈*乐")
    _shot(page, artifacts, "43-card-verified")
    _assert_no_csp_errors(carol)
    _assert_no_csp_errors(page)


def test_alice_transfers_and_both_unions_confirm(phone_page, page, sms_file, artifacts):
    alice = phone_page
    _sms_sign_in(alice, sms_file, "13800000001")
    alice.goto("/me/card/")
    alice.get_by_test_id("start-transfer").click()
    form = alice.get_by_test_id("transfer-form")
    form.locator("select[name=to_union]").select_option(label="上海迅达物流有限公司工会")
    form.locator("input[name=reason]").fill("跳槽到迅达物流")
    with alice.expect_navigation():
        alice.get_by_test_id("submit-transfer").click()
    expect(alice.get_by_test_id("my-transfer")).to_contain_text("上海迅达物流有限公司工会")

    _staff_sign_in(page, "union_a1")  # the union she leaves
    page.goto("/work/transfers/")
    with page.expect_navigation():
        page.get_by_test_id("confirm-transfer").first.click()
    page.context.clear_cookies()
    _staff_sign_in(page, "industry")  # covers the union she joins
    page.goto("/work/transfers/")
    with page.expect_navigation():
        page.get_by_test_id("confirm-transfer").first.click()
    _shot(page, artifacts, "44-transfer-confirmed")

    alice.goto("/me/card/")
    expect(alice.get_by_test_id("card-union")).to_contain_text("上海迅达物流有限公司工会")
