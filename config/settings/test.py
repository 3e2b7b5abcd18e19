"""Test settings: the embedded defaults, or PostgreSQL/Redis when the
environment names them (CI runs the suite both ways)."""

import os

from .base import *  # noqa: F403
from .base import TASK_QUEUES, VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = VAR_DIR / "test-media" / str(os.getpid())
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run in-process when enqueued (on commit), so tests see their effect.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": TASK_QUEUES,
    }
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests share one cache across many databases' worth of data; the page cache
# is switched on only by the tests of the cache itself.
GREMIEN_PAGE_CACHE_SECONDS = 0
# Session packs are built only by the tests that need them (a build renders
# a few PDFs: seconds per test world).
GREMIEN_PACK_AUTO_BUILD = False
