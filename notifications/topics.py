"""What a member can be notified of, and which channels they may choose.

A *topic* is what the member chooses on the settings page; a notification's
*kind* says what happened (rescheduling and cancellation share one topic).

The e-mail of the three notice topics is the Sitzungsdienst's formal notice
(Ladung, ``sessions.tasks.dispatch_send``, logged per recipient in
``Delivery``): the municipal code obliges the council office to send it, so
it is not the member's to switch off here, and this app never mails it a
second time. Members choose the portal channel of every topic and the
e-mail of the topics the Sitzungsdienst does not mail (minutes, documents).
See ``docs/decisions.md`` (2026-11-22, notifications).
"""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    INVITATION = "invitation", _("Invitations")
    ADDENDUM = "addendum", _("Addenda to the agenda")
    CHANGE = "change", _("Rescheduling and cancellation")
    MINUTES = "minutes", _("Published minutes")
    DOCUMENTS = "documents", _("New documents for my meetings")


class Kind(models.TextChoices):
    INVITATION = "invitation", _("Invitation")
    ADDENDUM = "addendum", _("Addendum")
    RESCHEDULE = "reschedule", _("Rescheduling")
    CANCELLATION = "cancellation", _("Cancellation")
    MINUTES = "minutes", _("Minutes")
    DOCUMENTS = "documents", _("New documents")


@dataclass(frozen=True)
class TopicRule:
    topic: Topic
    help: Promise
    in_app: bool
    email: bool
    #: The e-mail is the formal notice sent by the Sitzungsdienst: always on.
    formal_email: bool = False


RULES: dict[str, TopicRule] = {
    rule.topic: rule
    for rule in (
        TopicRule(
            Topic.INVITATION,
            _("When the Sitzungsdienst invites you to a meeting of your bodies."),
            in_app=True,
            email=True,
            formal_email=True,
        ),
        TopicRule(
            Topic.ADDENDUM,
            _("When items are added to or changed on the agenda after the invitation."),
            in_app=True,
            email=True,
            formal_email=True,
        ),
        TopicRule(
            Topic.CHANGE,
            _("When a meeting you were invited to moves or is called off."),
            in_app=True,
            email=True,
            formal_email=True,
        ),
        TopicRule(
            Topic.MINUTES,
            _("When the signed minutes of a meeting of your bodies are published."),
            in_app=True,
            email=True,
        ),
        TopicRule(
            Topic.DOCUMENTS,
            _(
                "When documents are added to a meeting after its invitation, "
                "until the meeting ends."
            ),
            in_app=True,
            email=False,
        ),
    )
}

TOPIC_OF_KIND: dict[str, str] = {
    Kind.INVITATION: Topic.INVITATION,
    Kind.ADDENDUM: Topic.ADDENDUM,
    Kind.RESCHEDULE: Topic.CHANGE,
    Kind.CANCELLATION: Topic.CHANGE,
    Kind.MINUTES: Topic.MINUTES,
    Kind.DOCUMENTS: Topic.DOCUMENTS,
}

#: Notification kind per ``sessions.models.Dispatch.Kind`` value.
KIND_OF_DISPATCH: dict[str, str] = {
    "invitation": Kind.INVITATION,
    "addendum": Kind.ADDENDUM,
    "reschedule": Kind.RESCHEDULE,
    "cancellation": Kind.CANCELLATION,
}


@dataclass(frozen=True)
class Choice:
    """One member's channels for one topic."""

    in_app: bool
    email: bool


def default_choice(topic: str) -> Choice:
    rule = RULES[topic]
    return Choice(in_app=rule.in_app, email=rule.email)
