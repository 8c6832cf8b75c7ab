import pytest
from django.conf import settings


def pytest_configure(config: pytest.Config) -> None:
    # For speed: password hashing is the slowest thing in the suite otherwise.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.HITS_FLUSH_SECONDS = 0
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
