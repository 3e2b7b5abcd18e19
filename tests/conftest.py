import shutil

import pytest
from django.conf import settings


@pytest.fixture(autouse=True, scope="session")
def _clean_test_media():
    yield
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture(autouse=True)
def _german(settings):
    """The UI language is German; tests read what a German user reads."""
    from django.utils import translation

    with translation.override("de"):
        yield
