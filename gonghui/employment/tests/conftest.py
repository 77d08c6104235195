import pytest
from django.utils import translation

from gonghui.employment import matching


@pytest.fixture(autouse=True)
def _fresh_indexes():
    """Each test has its own database: forget the per-process matching indexes built for another."""
    matching.reset()
    yield
    matching.reset()


@pytest.fixture(autouse=True)
def _english_messages():
    """Service messages are asserted in English (the msgids); pages still render in the request's language."""
    with translation.override("en"):
        yield
