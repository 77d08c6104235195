"""Monitoring end to end, as issue 5 tells it: a feed served from localhost and a pushed batch are ingested, a
scheme built in the workbench matches, a burst of collective wage-arrears posts about one demo enterprise raises a
red alert that opens a warning case for its union, district_a works it through the four stages (四早), and the
daily brief PDF lists it."""

import io
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from e2e.test_hall_journey import _staff_sign_in
from e2e.test_journey import _assert_no_csp_errors, _shot

pytestmark = pytest.mark.e2e

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>区域新闻</title>
<item><guid>e2e-1</guid><title>迅达物流快递员反映社保断缴</title><link>http://news.example/e2e-1</link>
<description>上海迅达物流有限公司部分快递员反映公司连续两个月没有缴纳社保。</description></item>
<item><guid>e2e-2</guid><title>街道举办职工运动会</title><link>http://news.example/e2e-2</link>
<description>周末街道举办职工趣味运动会，气氛热烈。</description></item>
</channel></rss>"""
BURST = [
    "迅达物流拖欠快递员三个月工资，今天上午一百多名快递员在仓库门口聚集讨薪。",
    "上海迅达物流有限公司的快递员集体停工了，老板欠薪不给，大家堵在仓库门口要说法。",
    "迅达物流又拖欠工资了，几十个快递员今天一起去区政府上访讨薪。",
    "听说迅达物流的快递员罢工了，工资拖了好几个月，仓库门口好多人聚集。",
    "迅达物流仓库门口围了很多人，集体讨薪，说是老板欠了半年工资。",
    "迅达物流快递员第二天继续停工聚集，要求公司立即支付拖欠的工资。",
]


class _Feed(BaseHTTPRequestHandler):
    def do_GET(self):
        body = FEED.encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def feed_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Feed)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/rss.xml"
    server.shutdown()
    server.server_close()


def _add_source(page, name, code, kind, url=""):
    page.goto("/work/monitoring/sources/")
    form = page.locator("form").filter(has=page.get_by_test_id("add-source"))
    form.locator("input[name=name]").fill(name)
    form.locator("input[name=code]").fill(code)
    form.locator("select[name=kind]").select_option(kind)
    form.locator("input[name=url]").fill(url)
    form.locator("select[name=organization]").select_option(label="浦东新区总工会")
    with page.expect_navigation():
        page.get_by_test_id("add-source").click()


def _push(page, items):
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post("/api/v1/monitoring/push", data=json.dumps({"source": "pudong-partner",
                                                                              "items": items}),
                                 headers={"Content-Type": "application/json", "X-CSRFToken": token,
                                          "Referer": page.url})
    assert response.status == 200, response.text()
    return response.json()


def _step(page, name, note):
    page.locator("textarea[name=note]").fill(note)
    with page.expect_navigation():
        page.get_by_test_id(f"staff-action-{name}").click()


def test_feed_push_scheme_burst_warning_four_stages_and_brief(page, feed_url, artifacts):
    _staff_sign_in(page, "district_a")

    # A feed served from localhost: added in the workbench and pulled.
    _add_source(page, "区域新闻 RSS", "area-news", "feed", feed_url)
    with page.expect_navigation():
        page.get_by_test_id("pull-area-news").click()
    expect(page.locator(".messages")).to_contain_text("2")
    _shot(page, artifacts, "50-monitoring-sources")

    # A pushed batch from a partner system: the burst about 迅达物流 (union_a2's enterprise), pushed twice.
    _add_source(page, "浦东 12345 热线推送", "pudong-partner", "push")
    items = [{"external_id": f"e2e-burst-{i}", "text": t} for i, t in enumerate(BURST)]
    first = _push(page, items)
    assert first["created"] == 6
    assert _push(page, items)["already"] == 6

    # A scheme built without programming: preview, then save.
    page.goto("/work/monitoring/schemes/new/")
    page.locator("input[name=name]").fill("迅达物流欠薪与社保")
    page.locator("select[name=organization]").select_option(label="浦东新区总工会")
    page.locator("textarea[name=subject_terms]").fill("迅达物流")
    page.locator("textarea[name=event_terms]").fill("拖欠工资、讨薪、社保")
    with page.expect_navigation():
        page.get_by_test_id("preview-scheme").click()
    matched = page.get_by_test_id("scheme-matched").inner_text()
    assert int(re.search(r"\d+", matched).group(0)) >= 4
    _shot(page, artifacts, "51-monitoring-scheme-preview")
    page.locator("input[name=confirm_warnings]").check()
    with page.expect_navigation():
        page.get_by_test_id("save-scheme").click()
    expect(page.get_by_test_id("scheme-matched")).to_be_visible()

    # The burst raised a red alert that opened a warning case for 迅达物流's union.
    page.goto("/work/monitoring/alerts/")
    row = page.get_by_test_id("alerts").locator("tr").filter(has_text="上海迅达物流有限公司").filter(
        has=page.get_by_test_id("warning-link")).first
    expect(row.get_by_test_id("alert-severity")).to_have_text(re.compile("红|Red"))
    _shot(page, artifacts, "52-monitoring-alerts")
    with page.expect_navigation():
        row.get_by_test_id("warning-link").click()
    reference = re.search(r"GH\d{8}-\d{5}", page.url).group(0)
    expect(page.locator("body")).to_contain_text("上海迅达物流有限公司工会")
    expect(page.get_by_test_id("warning-panel")).to_be_visible()

    # district_a works it through 早参与 → 早处置 → 早化解 → closed, logging an action and the outcome.
    _step(page, "engage", "区总工会与街道工会当天到场，了解诉求。")
    _step(page, "dispose", "约谈企业负责人，督促制定工资支付计划。")
    panel = page.get_by_test_id("warning-panel")
    panel.locator("textarea[name=text]").fill("协调劳动监察大队联合约谈。")
    with page.expect_navigation():
        page.get_by_test_id("log-action").click()
    _step(page, "resolve", "企业承诺本周内分两批补发工资。")
    page.get_by_test_id("warning-panel").locator("select[name=outcome]").select_option("resolved")
    with page.expect_navigation():
        page.get_by_test_id("set-outcome").click()
    _step(page, "close", "工资已全部补发，快递员复工。")
    expect(page.get_by_test_id("warning-outcome")).not_to_have_text("—")
    _shot(page, artifacts, "53-monitoring-warning-closed")

    # The daily brief (generated on demand, period ending tomorrow so today is in it) lists the case.
    page.goto("/work/monitoring/briefs/")
    form = page.locator("form").filter(has=page.get_by_test_id("generate-brief"))
    form.locator("select[name=kind]").select_option("daily")
    form.locator("select[name=organization]").select_option(label="浦东新区总工会")
    tomorrow = page.evaluate("() => { const d = new Date(Date.now() + 86400000); "
                             "return d.toISOString().slice(0, 10); }")
    form.locator("input[name=day]").fill(tomorrow)
    with page.expect_navigation():
        page.get_by_test_id("generate-brief").click()
    expect(page.get_by_test_id("brief-new-warnings")).to_contain_text(reference)
    _shot(page, artifacts, "54-monitoring-brief")
    with page.expect_download() as download:
        page.get_by_test_id("brief-pdf").click()
    from pypdf import PdfReader

    with open(download.value.path(), "rb") as handle:
        data = handle.read()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert reference in text and "上海迅达物流有限公司" in text
    _assert_no_csp_errors(page)
