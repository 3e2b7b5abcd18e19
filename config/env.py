"""Environment handling: every external service is switched in by one variable.

With no variables at all the project runs on the embedded defaults (SQLite in
``var/``, in-memory channel layer, database search backend, local media, console
e-mail).
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("GREMIEN_VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def database_config() -> dict:
    url = os.environ.get("DATABASE_URL")
    if url:
        # No persistent connections: under ASGI every request may run in another
        # thread, and kept connections pile up until PostgreSQL refuses more.
        # (Websocket consumers keep theirs: sessions/live/consumers.py.)
        config = dj_database_url.parse(url, conn_max_age=0)
        if "postgresql" in config["ENGINE"]:
            # JIT compilation costs more than it saves on the short queries of
            # web requests (the OParl meeting list: 127 → 88 ms of SQL).
            config.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
        return config
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "gremienportal.sqlite3",
        "OPTIONS": {
            # WAL lets the web server read while the task worker writes.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


def channel_layers_config() -> dict:
    url = os.environ.get("REDIS_URL")
    if url:
        return {
            "default": {
                "BACKEND": "channels_redis.core.RedisChannelLayer",
                "CONFIG": {
                    "hosts": [
                        {
                            "address": url,
                            # channels-redis waits for messages with BZPOPMIN
                            # for 5 s; redis-py's default socket timeout is
                            # also 5 s, so idle consumers died of read
                            # timeouts (channels_redis#422).
                            "socket_timeout": 30,
                            "socket_connect_timeout": 5,
                            # Connect and disconnect storms of a full room
                            # (hundreds of screens) need more than 100.
                            "max_connections": 1000,
                        }
                    ],
                    "prefix": "gremienportal",
                    # The capacity applies per Redis list, and all channels of
                    # one server process share one list: with the default of
                    # 100, a broadcast to a room of 600 screens dropped the
                    # messages of a whole process.
                    "capacity": 10_000,
                },
            }
        }
    return {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


def cache_config() -> dict:
    url = os.environ.get("REDIS_URL")
    if url:
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
                "KEY_PREFIX": "gremienportal",
            }
        }
    return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def search_config() -> dict:
    """Wagtail search backend: the database by default, Elasticsearch/OpenSearch
    when ``SEARCH_URL`` or ``ELASTICSEARCH_URL`` is set.

    The URL scheme picks the backend: ``elasticsearch8://``, ``elasticsearch9://``,
    ``opensearch2://``, ``opensearch3://``; plain ``http(s)://`` means
    Elasticsearch 9. ``?index=name`` sets the index prefix.
    """
    url = os.environ.get("SEARCH_URL") or os.environ.get("ELASTICSEARCH_URL")
    if not url:
        # PostgreSQL stems German words with the ``german`` text search
        # configuration; SQLite uses FTS5 without stemming.
        return {
            "default": {
                "BACKEND": "wagtail.search.backends.database",
                "SEARCH_CONFIG": "german",
            }
        }
    parts = urlsplit(url)
    backends = {
        "elasticsearch8": "modelsearch.backends.elasticsearch8",
        "elasticsearch9": "modelsearch.backends.elasticsearch9",
        "opensearch2": "modelsearch.backends.opensearch2",
        "opensearch3": "modelsearch.backends.opensearch3",
    }
    scheme = parts.scheme
    backend = backends.get(scheme, "modelsearch.backends.elasticsearch9")
    transport = "https" if scheme == "https" else "http"
    netloc = parts.netloc
    index = parse_qs(parts.query).get("index", ["gremienportal"])[0]
    return {
        "default": {
            "BACKEND": backend,
            "URLS": [f"{transport}://{netloc}"],
            "INDEX": index,
            "TIMEOUT": 10,
        }
    }


def email_config() -> dict:
    """``EMAIL_URL`` like ``smtp://user:pass@host:587?tls=1``; console otherwise."""
    url = os.environ.get("EMAIL_URL")
    if not url:
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or 25,
        "EMAIL_HOST_USER": parts.username or "",
        "EMAIL_HOST_PASSWORD": parts.password or "",
        "EMAIL_USE_TLS": query.get("tls", ["0"])[0] in {"1", "true"},
        "EMAIL_USE_SSL": parts.scheme == "smtps",
    }
