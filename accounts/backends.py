"""The authentication backend: Django's ``ModelBackend`` handing out
``SessionUser``, whose session hash covers the user's session epoch.

Both ``django.contrib.auth.get_user`` (HTTP) and ``channels.auth.get_user``
(websockets) load the user through ``get_user`` here and compare the hash
stored in the session with ``get_session_auth_hash()``: "log out everywhere"
raises the epoch and every older session fails that comparison, with no
extra query (the epoch comes in the same query as the user).
"""

from django.contrib.auth.backends import ModelBackend

from .models import SessionUser


def session_users():
    return SessionUser._default_manager.select_related("account_security")


def as_session_user(user) -> SessionUser:
    """``user`` as ``SessionUser`` with its current epoch (one query unless it
    already is one)."""
    if isinstance(user, SessionUser):
        return user
    return session_users().get(pk=user.pk)


class SessionEpochBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(
            request, username=username, password=password, **kwargs
        )
        return None if user is None else as_session_user(user)

    def get_user(self, user_id):
        try:
            user = session_users().get(pk=user_id)
        except SessionUser.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
