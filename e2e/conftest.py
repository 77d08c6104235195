"""Browser tests: a real server and task worker on a throw-away SQLite database, driven by Chromium.

Run with ``make e2e``. The server and worker run as subprocesses with an explicit environment, so they
never inherit the pytest process's testing mode (``GONGHUI_TESTING``) or its in-memory SMS backend.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERVER_START_TIMEOUT = 60


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.e2e_failed = report.failed
    return report


def _python() -> str:
    venv_python = ROOT / ".venv" / "bin" / "python"
    return str(venv_python) if venv_python.exists() else sys.executable


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONGHUI_")}
    env.update({
        "GONGHUI_DEBUG": "1",
        "GONGHUI_VAR_DIR": str(tmp),
        # Always a private SQLite file: e2e never touches a shared or outer database.
        "GONGHUI_DATABASE_URL": f"sqlite:///{tmp}/e2e.sqlite3",
        "GONGHUI_SMS_BACKEND": "gonghui.core.notifications.FileSmsBackend",
        "GONGHUI_SMS_FILE": str(tmp / "sms.log"),
        # Journeys sign the same personas in again within a minute; the per-hour limit still applies.
        "GONGHUI_SMS_MIN_INTERVAL_SECONDS": "1",
        "PYTHONUNBUFFERED": "1",
    })
    env.pop("GONGHUI_TESTING", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def _manage(env: dict[str, str], *args: str, log: Path) -> None:
    with log.open("ab") as out:
        result = subprocess.run([_python(), "manage.py", *args], cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT, timeout=600, check=False)
    if result.returncode != 0:
        pytest.fail(f"manage.py {' '.join(args)} failed ({result.returncode}):\n{_tail(log)}")


def _tail(log: Path, chars: int = 4000) -> str:
    try:
        return log.read_text(encoding="utf-8", errors="replace")[-chars:]
    except OSError:
        return ""


def _wait_until_up(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"runserver exited with {proc.returncode}:\n{_tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status < 500:
                    return
        except urllib.error.HTTPError as exc:
            if exc.code < 500:
                return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    pytest.fail(f"runserver did not answer {url} within {SERVER_START_TIMEOUT}s:\n{_tail(log)}")


def _stop(proc: subprocess.Popen) -> None:
    """Stop a server process and anything it started (each runs in its own process group)."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    # A child left behind in the group (e.g. an autoreloader's worker) goes too.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def e2e_tmp():
    tmp = Path(tempfile.mkdtemp(prefix="gonghui-e2e-"))
    yield tmp
    if os.environ.get("GONGHUI_E2E_KEEP_TMP") != "1":
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def server_env(e2e_tmp):
    return _server_env(e2e_tmp)


@pytest.fixture(scope="session")
def sms_file(e2e_tmp) -> Path:
    return e2e_tmp / "sms.log"


@pytest.fixture(scope="session")
def base_url(e2e_tmp, server_env):
    """Migrate and seed a fresh database, then run the web server and the task worker on it."""
    log = e2e_tmp / "server.log"
    _manage(server_env, "migrate", "--no-input", "-v0", log=log)
    _manage(server_env, "seed", "--demo", log=log)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    procs: list[subprocess.Popen] = []
    with log.open("ab") as out:
        try:
            procs.append(subprocess.Popen(
                [_python(), "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                cwd=ROOT, env=server_env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True))
            # --no-reload: with DEBUG on the worker would otherwise restart whenever a source file changes.
            procs.append(subprocess.Popen(
                [_python(), "manage.py", "db_worker", "--queue-name", "*", "--no-reload", "--no-startup-delay"],
                cwd=ROOT, env=server_env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True))
            _wait_until_up(url + "/", procs[0], log)
            yield url
        finally:
            for proc in procs:
                _stop(proc)
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            (ARTIFACTS / "server.log").write_text(_tail(log, 200_000), encoding="utf-8")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class ConsoleLog:
    """Console messages and page errors seen by one page, to assert the strict CSP never fired."""

    def __init__(self):
        self.messages: list[tuple[str, str, str]] = []
        self.bad_responses: list[tuple[int, str]] = []

    def response(self, status: int, url: str) -> None:
        if status >= 400:
            self.bad_responses.append((status, url))

    def record(self, kind: str, text: str, url: str) -> None:
        self.messages.append((kind, text, url))

    def errors(self) -> list[tuple[str, str, str]]:
        return [m for m in self.messages if m[0] in ("error", "pageerror")]

    def csp_errors(self) -> list[tuple[str, str, str]]:
        words = ("content security policy", "content-security-policy", "refused to")
        return [m for m in self.errors() if any(w in m[1].lower() for w in words)]


def _new_page(browser, base_url, viewport):
    context = browser.new_context(accept_downloads=True, locale="zh-CN", viewport=viewport, base_url=base_url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    console = ConsoleLog()
    page.on("console", lambda msg: console.record(msg.type, msg.text, page.url))
    page.on("pageerror", lambda exc: console.record("pageerror", str(exc), page.url))
    page.on("response", lambda response: console.response(response.status, response.url))
    page.console_log = console
    return context, page


def _close(request, context, page) -> None:
    """Close the context, keeping a screenshot of the page a failed test left behind."""
    try:
        if getattr(request.node, "e2e_failed", False):
            page.screenshot(path=str(ARTIFACTS / f"FAILED-{request.node.name}.png"), full_page=True)
    finally:
        context.close()


@pytest.fixture
def page(request, browser, base_url):
    """A desktop-sized page (1280x800) in a fresh context, Chinese locale, downloads allowed."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context, page = _new_page(browser, base_url, {"width": 1280, "height": 800})
    yield page
    _close(request, context, page)


@pytest.fixture
def phone_page(request, browser, base_url):
    """A phone-sized page (390x844), otherwise like ``page``."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context, page = _new_page(browser, base_url, {"width": 390, "height": 844})
    yield page
    _close(request, context, page)


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
