"""In-app notifications and SMS through a pluggable backend (console or file by default)."""

import logging
import sys
from datetime import datetime

from django.conf import settings
from django.utils.module_loading import import_string

from gonghui.core.models import Notification

logger = logging.getLogger(__name__)


class ConsoleSmsBackend:
    """Prints each message to standard output (local runs: the sign-in code appears in the console)."""

    def send(self, mobile: str, text: str) -> None:
        sys.stdout.write(f"[SMS to {mobile}] {text}\n")
        sys.stdout.flush()


class FileSmsBackend:
    """Appends each message to a file (tests and e2e read the codes from it)."""

    def send(self, mobile: str, text: str) -> None:
        path = settings.SMS_FILE_PATH
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"{datetime.now().isoformat()}\t{mobile}\t{text}\n")


class MemorySmsBackend:
    """Keeps messages in a list (unit tests)."""

    outbox: list[tuple[str, str]] = []

    def send(self, mobile: str, text: str) -> None:
        self.outbox.append((mobile, text))


def send_sms(mobile: str, text: str) -> None:
    import_string(settings.SMS_BACKEND)().send(mobile, text)


def notify(user, title: str, body: str = "", url: str = "") -> Notification:
    return Notification.objects.create(user=user, title=title[:200], body=body, url=url[:300])
