"""Database calls of the websocket consumers, on a connection that is kept.

Channels' ``database_sync_to_async`` closes the connection after every call
when ``CONN_MAX_AGE`` is 0, which is ours (HTTP under ASGI runs each request
in a thread of its own, where kept connections would pile up). For a
consumer that meant a new PostgreSQL connection, a backend fork, for every
ballot and every connect. Consumer calls run in a small pool of worker
threads of their own (four on PostgreSQL, one on SQLite), each keeping its
connection: four connections per server process. A connection is dropped
when it became unusable after an error or was left outside autocommit, as
Django's ``close_if_unusable_or_obsolete`` does (without the age limit).
"""

import threading
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import SyncToAsync
from channels.auth import AuthMiddleware, get_user
from channels.sessions import CookieMiddleware, SessionMiddleware
from django.db import connections


def _tidy() -> None:
    for connection in connections.all(initialized_only=True):
        if connection.connection is None or connection.in_atomic_block:
            continue
        if connection.get_autocommit() != connection.settings_dict["AUTOCOMMIT"]:
            connection.close()
        elif connection.errors_occurred:
            if connection.is_usable():
                connection.errors_occurred = False
            else:
                connection.close()


class KeptConnectionSyncToAsync(SyncToAsync):
    """``database_sync_to_async`` without closing a healthy connection."""

    def thread_handler(self, loop, *args, **kwargs):
        _tidy()
        try:
            return super().thread_handler(loop, *args, **kwargs)
        finally:
            _tidy()


def _threads() -> int:
    """Worker threads for the consumers' database calls: several on
    PostgreSQL, where ballots of different members run side by side (the
    waits for the database overlap); one on SQLite, which has one writer
    at a time anyway."""
    vendor = connections["default"].vendor
    return 4 if vendor == "postgresql" else 1


_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


def _pool() -> ThreadPoolExecutor:
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(
                max_workers=_threads(), thread_name_prefix="live-db"
            )
        return _executor


def db_call(function):
    """Like ``database_sync_to_async``: ``await db_call(function)(*args)``,
    in one of the live workers, each keeping its connection."""
    return KeptConnectionSyncToAsync(function, thread_sensitive=False, executor=_pool())


def close_connections() -> None:
    """Close the kept connection of every live worker (tests, before the
    test database is dropped). A barrier makes each close run in another
    worker thread."""
    pool = _pool()
    workers = pool._max_workers
    barrier = threading.Barrier(workers)

    def close() -> None:
        barrier.wait(timeout=10)
        connections.close_all()

    for future in [pool.submit(close) for _ in range(workers)]:
        future.result()


class KeptConnectionAuthMiddleware(AuthMiddleware):
    """Channels' ``AuthMiddleware``, loading the user through :data:`db_call`
    (its own ``database_sync_to_async`` would close the kept connection at
    every connect)."""

    async def resolve_scope(self, scope):
        scope["user"]._wrapped = await db_call(get_user.func)(scope)


def auth_middleware_stack(inner):
    """``channels.auth.AuthMiddlewareStack`` with the kept connection."""
    return CookieMiddleware(SessionMiddleware(KeptConnectionAuthMiddleware(inner)))
