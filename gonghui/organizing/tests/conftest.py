import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    """Service tests read the services' messages in English (the msgids); pages pick their own language per
    request through the locale middleware, as in production."""
    with translation.override("en"):
        yield
