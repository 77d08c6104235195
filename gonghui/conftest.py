import pytest

from gonghui.core.notifications import MemorySmsBackend
from gonghui.core.testing.personas import build_world


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
    import os

    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        for suffix in ("", "-wal", "-shm", "-journal"):
            path = f"{db['TEST']['NAME']}{suffix}"
            if os.path.exists(path):
                os.remove(path)
