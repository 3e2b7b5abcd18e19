"""``notifications_unread`` for the member portal's navigation badge.

Add ``"notifications.context_processors.unread"`` to the template engine's
``context_processors``; the count is read only when a template uses it.
"""

from django.utils.functional import SimpleLazyObject

from .selectors import unread_count


def unread(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"notifications_unread": 0}
    return {"notifications_unread": SimpleLazyObject(lambda: unread_count(user=user))}
