import os

import pytest
from hypothesis import settings as hypothesis_settings

from gonghui.core.notifications import MemorySmsBackend
from gonghui.core.testing.personas import build_world

# CI runs the suite twice on 2 cores: property tests get a bounded budget there.
hypothesis_settings.register_profile("ci", max_examples=40, deadline=None)
hypothesis_settings.register_profile("dev", max_examples=100, deadline=None)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture(autouse=True)
def _clean_sms_outbox():
    MemorySmsBackend.outbox.clear()
    yield
    MemorySmsBackend.outbox.clear()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Remove WAL side files a killed run may have left next to the SQLite test database: Django
    deletes the database file itself, and a stale -shm then breaks the new one."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        for suffix in ("", "-wal", "-shm", "-journal"):
            path = f"{db['TEST']['NAME']}{suffix}"
            if os.path.exists(path):
                os.remove(path)
