"""Development keys generated into var/ on first use, so a local run never needs secrets typed in.

Production never reaches this module: settings refuse to start without real keys when DEBUG is off.
"""

import base64
import json
import os
import secrets
from pathlib import Path


def load_or_create(path: Path) -> dict[str, str]:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        return json.loads(path.read_text())
    keys = {
        "GONGHUI_SECRET_KEY": secrets.token_urlsafe(50),
        "GONGHUI_FIELD_KEYS": "k1:" + base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "GONGHUI_BLIND_INDEX_KEY": secrets.token_urlsafe(32),
        "GONGHUI_AUDIT_KEY": secrets.token_urlsafe(32),
    }
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(keys, handle, indent=2)
    return keys
