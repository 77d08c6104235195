"""A pytest plugin loaded with ``-p`` before Django reads its settings: testing mode, memory SMS."""

import os

os.environ.setdefault("GONGHUI_TESTING", "1")
os.environ.setdefault("GONGHUI_SMS_BACKEND", "gonghui.core.notifications.MemorySmsBackend")
