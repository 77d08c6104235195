"""The journeys the issue asks for, in a real browser against a real server and task worker.

district_a signs in (password + TOTP), sees only district A in the organisation tree, switches to English
and exports the enterprises to Excel; carol, a food-delivery rider, signs in on her phone with an SMS code.
"""

import re
import time
from pathlib import Path

import pyotp
import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "gonghui-demo"
DEMO_TOTP_SECRET = "GONGHUIDEMOSECRETKEYAAAAAAAAAAAA"
EXPORT_TIMEOUT_MS = 60_000


def _assert_no_csp_errors(page) -> None:
    csp = page.console_log.csp_errors()
    assert not csp, "Content Security Policy errors in the console:\n" + "\n".join(
        f"[{kind}] {url}: {text}" for kind, text, url in csp)


def _assert_no_failed_requests(page) -> None:
    """No page, static file or htmx request failed (the browser's own /favicon.ico probe aside)."""
    bad = [(status, url) for status, url in page.console_log.bad_responses if not url.endswith("/favicon.ico")]
    assert not bad, f"failed requests: {bad}"


def _shot(page, artifacts: Path, name: str) -> None:
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)


def _submit_totp(page) -> None:
    """Enter the current TOTP code; retry once with a fresh code if we straddled a 30-second step."""
    totp = pyotp.TOTP(DEMO_TOTP_SECRET)
    for _attempt in range(2):
        page.locator("input[name=code]").fill(totp.now())
        with page.expect_navigation():
            page.get_by_test_id("verify-otp").click()
        if "/accounts/otp/" not in page.url:
            return
        # Wait for the next time step, so the retry uses a code the server has not seen yet.
        time.sleep(max(0.0, totp.interval - time.time() % totp.interval) + 0.5)
    raise AssertionError(f"TOTP verification failed; still on {page.url}")


def test_district_a_signs_in_sees_only_district_a_switches_to_english_and_exports(page, base_url, artifacts):
    # Sign in with a password, then the administrator's second factor.
    page.goto("/accounts/login/")
    staff_form = page.locator("form").filter(has=page.get_by_test_id("password-login"))
    staff_form.locator("input[name=username]").fill("district_a")
    staff_form.locator("input[name=password]").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_test_id("password-login").click()
    expect(page).to_have_url(re.compile(r"/accounts/otp/"))
    _submit_totp(page)
    # Staff land on the workbench (login.html must not pin ``next`` to the portal home).
    expect(page).to_have_url(re.compile(r"/work/$"))
    _shot(page, artifacts, "01-dashboard")

    # The organisation tree shows district A only.
    page.goto("/work/orgs/")
    tree = page.get_by_test_id("org-tree")
    expect(tree).to_be_visible()
    expect(tree).to_contain_text("浦东新区总工会")
    expect(tree).to_contain_text("上海浦江精密机械有限公司工会")
    expect(tree).not_to_contain_text("徐汇区总工会")
    expect(tree).not_to_contain_text("上海汇城软件有限公司工会")
    # Simplified Chinese is the default language: the page is not in English before the switch.
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Organisations")
    _shot(page, artifacts, "02-org-tree-zh")

    # One click to English; the page comes back in English.
    with page.expect_navigation():
        page.get_by_test_id("lang-en").click()
    expect(page.locator("html")).to_have_attribute("lang", re.compile(r"^en"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisations")
    menu = page.locator("nav.work-menu")
    expect(menu.get_by_role("link", name="Enterprises", exact=True)).to_be_visible()
    expect(page.get_by_test_id("lang-zh")).to_be_visible()
    expect(page.get_by_test_id("org-tree")).not_to_contain_text("徐汇区总工会")
    _shot(page, artifacts, "03-org-tree-en")

    # Export the enterprises in scope; the job page polls until the file is ready.
    page.goto("/work/enterprises/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enterprises")
    table = page.get_by_test_id("enterprise-table")
    expect(table).to_contain_text("上海浦江精密机械有限公司")
    expect(table).not_to_contain_text("上海汇城软件有限公司")
    with page.expect_navigation():
        page.get_by_test_id("export-enterprises").click()
    expect(page.get_by_test_id("job-status")).to_be_visible()
    download_link = page.get_by_test_id("download")
    expect(download_link).to_be_visible(timeout=EXPORT_TIMEOUT_MS)
    expect(page.get_by_test_id("job-status")).to_have_attribute("data-status", "done")
    _shot(page, artifacts, "04-export-done")
    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx"), download.suggested_filename
    target = artifacts / download.suggested_filename
    download.save_as(str(target))

    sheet = load_workbook(target, read_only=True).worksheets[0]
    rows = [tuple(cell for cell in row) for row in sheet.iter_rows(values_only=True)]
    assert rows, "the export is empty"
    header = [str(h) for h in rows[0] if h is not None]
    assert header[:2] == ["Name", "Unified social credit code"], header
    assert "District" in header, header
    assert "Grassroots union" in header, header
    names = {row[0] for row in rows[1:]}
    assert "上海浦江精密机械有限公司" in names, sorted(n for n in names if n)[:20]
    assert not any(n and "上海汇城软件有限公司" in str(n) for n in names)
    flat = "\n".join(" ".join(str(c) for c in row if c is not None) for row in rows[1:])
    assert "上海汇城软件有限公司" not in flat
    assert "徐汇区" not in flat

    _assert_no_csp_errors(page)
    _assert_no_failed_requests(page)


def _latest_sms_code(sms_file: Path, mobile: str, sent_after: float, timeout: float = 15.0) -> str:
    """The newest 6-digit code sent to ``mobile`` (lines: iso time, mobile, text), polling the file."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sms_file.exists() and sms_file.stat().st_mtime >= sent_after - 1:
            for line in reversed(sms_file.read_text(encoding="utf-8").splitlines()):
                parts = line.split("\t", 2)
                if len(parts) == 3 and parts[1] == mobile:
                    match = re.search(r"(?<!\d)(\d{6})(?!\d)", parts[2])
                    if match:
                        return match.group(1)
        time.sleep(0.2)
    raise AssertionError(f"no SMS code for {mobile} in {sms_file}")


def test_carol_signs_in_with_an_sms_code_on_her_phone(phone_page, sms_file, artifacts):
    page = phone_page
    page.goto("/accounts/login/")
    sms_form = page.locator("form").filter(has=page.get_by_test_id("send-code"))
    sms_form.locator("input[name=mobile]").fill("13800000003")
    _shot(page, artifacts, "05-phone-login")
    sent_at = time.time()
    with page.expect_navigation():
        page.get_by_test_id("send-code").click()
    code_input = page.locator("input[name=code]")
    expect(code_input).to_be_visible()

    code = _latest_sms_code(sms_file, "13800000003", sent_at)
    code_input.fill(code)
    with page.expect_navigation():
        page.get_by_test_id("verify-code").click()
    expect(page).to_have_url(re.compile(r"^http://127\.0\.0\.1:\d+/(\?.*)?$"))
    expect(page.locator("body")).to_contain_text("陈可乐")
    expect(page.get_by_role("heading", level=1)).to_contain_text("陈可乐")
    _shot(page, artifacts, "06-phone-portal-home")

    _assert_no_csp_errors(page)
    _assert_no_failed_requests(page)
