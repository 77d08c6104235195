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
