from django.conf import settings


def test_tests_run_with_testing_settings():
    assert settings.TESTING is True
    assert settings.DATABASES["default"]["TEST"]["NAME"] != ":memory:"
