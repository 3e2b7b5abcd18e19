"""Database calls of the websocket consumers, on a connection that is kept.

Channels' ``database_sync_to_async`` closes the connection after every call
when ``CONN_MAX_AGE`` is 0, which is ours (HTTP under ASGI runs each request
in a thread of its own, where kept connections would pile up). For a
consumer that meant a new PostgreSQL connection, a backend fork, for every
ballot and every connect. Consumer calls run in the process's one
thread-sensitive worker thread, so keeping that thread's connection costs
one connection per server process. It is dropped when it became unusable
after an error or was left outside autocommit, as Django's
``close_if_unusable_or_obsolete`` does (without the age limit).
"""

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


#: Use like ``database_sync_to_async``: ``await db_call(function)(*args)``.
db_call = KeptConnectionSyncToAsync


class KeptConnectionAuthMiddleware(AuthMiddleware):
    """Channels' ``AuthMiddleware``, loading the user through :data:`db_call`
    (its own ``database_sync_to_async`` would close the kept connection at
    every connect)."""

    async def resolve_scope(self, scope):
        scope["user"]._wrapped = await db_call(get_user.func)(scope)


def auth_middleware_stack(inner):
    """``channels.auth.AuthMiddlewareStack`` with the kept connection."""
    return CookieMiddleware(SessionMiddleware(KeptConnectionAuthMiddleware(inner)))
