"""Production settings: refuse to start with unsafe defaults."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CHANNEL_LAYERS

if not os.environ.get("DJANGO_SECRET_KEY"):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")

_workers = int(os.environ.get("WEB_CONCURRENCY", "1"))
if _workers > 1 and CHANNEL_LAYERS["default"]["BACKEND"].endswith(
    "InMemoryChannelLayer"
):
    raise ImproperlyConfigured(
        "Several workers need a shared channel layer: set REDIS_URL."
    )

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "SAMEORIGIN"
