"""KYC fixtures: a private storage root per test, a person, compliance staff."""

import pytest

from tests.identity.factories import UserFactory

from .helpers import staff


@pytest.fixture(autouse=True)
def kyc_storage(settings, tmp_path):
    """Each test gets its own storage root (the default storage: FileSystemStorage here)."""
    root = tmp_path / "media"
    settings.MEDIA_ROOT = str(root)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    settings.KYC_PROVIDER = "manual"
    settings.HOKWE_THROTTLING_ENABLED = False
    return root


@pytest.fixture
def person(db):
    return UserFactory()


@pytest.fixture
def compliance(db):
    return staff("compliance")


@pytest.fixture
def compliance2(db):
    return staff("compliance")
