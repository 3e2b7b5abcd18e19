"""Reads of the notifications app, for the signed-in user (``user``).

A notification is listed only while its meeting is one the user holds a
seat for (``sessions.access.meetings_entitled``): one created for a seat
that was later deleted as entered in error, or for a meeting since deleted,
disappears with the access.

For the member portal (``members``, the lead): :func:`unread_count` for the
navigation badge, :func:`latest` for the dashboard.
"""

from django.db.models import QuerySet

from gremien.models import Person
from sessions.access import meetings_entitled
from sessions.recipients import email_address

from .models import Notification, NotificationPreference
from .topics import RULES, Choice, default_choice


def notifications_for(*, user) -> QuerySet[Notification]:
    """The user's notifications shown in the portal, newest first."""
    if user is None or not user.is_authenticated:
        return Notification.objects.none()
    return (
        Notification.objects.filter(user=user, in_app=True)
        .filter(meeting__in=meetings_entitled(user).values("pk"))
        .order_by("-created", "-pk")
    )


def unread_count(*, user) -> int:
    """How many of the user's notifications are unread (the nav badge)."""
    return notifications_for(user=user).filter(read_at__isnull=True).count()


def latest(*, user, limit: int = 5) -> list[Notification]:
    """The user's newest ``limit`` notifications, read or not (each has
    ``unread``, ``title``, ``text``, ``created`` and ``url``; link to
    ``notifications_open`` with its pk to mark it read on the way)."""
    return list(notifications_for(user=user).select_related("meeting")[:limit])


def notification_of(*, user, pk: int) -> Notification | None:
    """The user's own notification ``pk``, or ``None`` (also for anybody
    else's)."""
    return notifications_for(user=user).filter(pk=pk).first()


def preferences(*, user) -> dict[str, Choice]:
    """The user's channels per topic, in the order of the settings page."""
    return preferences_of_users([user.pk])[user.pk]


def preferences_of_users(user_ids: list[int]) -> dict[int, dict[str, Choice]]:
    """Channels per topic of each user (defaults where they chose nothing).
    The e-mail of the formal notices is always on (``formal_email``)."""
    chosen: dict[int, dict[str, Choice]] = {
        pk: {topic: default_choice(topic) for topic in RULES} for pk in user_ids
    }
    for row in NotificationPreference.objects.filter(
        user_id__in=user_ids, topic__in=list(RULES)
    ):
        rule = RULES[row.topic]
        chosen[row.user_id][row.topic] = Choice(
            in_app=row.in_app, email=True if rule.formal_email else row.email
        )
    return chosen


def email_address_for(*, user) -> str:
    """Where the user's notification e-mails go: the address the
    Sitzungsdienst has for their person, else their account's; ``""`` if
    none."""
    person = Person.objects.alive().filter(user=user).first()
    address = email_address(person) if person is not None else ""
    return address or (user.email or "").strip()


def has_seat_person(*, user) -> bool:
    """Whether the user is a person of a body (only persons with a seat are
    notified)."""
    return Person.objects.alive().filter(user=user).exists()
