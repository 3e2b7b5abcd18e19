"""The live session of a running meeting: the item on the screens, and the
list of speakers (Redeliste) per agenda item.

Everything the screens show is read from the database; these rows hold only
what exists nowhere else. ``LiveSession.version`` rises with every change of
the live state, so a screen can drop a snapshot older than the one it has.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LiveSession(models.Model):
    """One per meeting conducted live; created by ``live_start``."""

    meeting = models.OneToOneField(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="live",
    )
    current_item = models.ForeignKey(
        "meetings.AgendaItem",
        verbose_name=_("current agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started at"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    version = models.PositiveIntegerField(
        _("version"),
        default=0,
        help_text=_("Raised by every change of the live state."),
    )

    body_lookup = "meeting__body"

    class Meta:
        verbose_name = _("live session")
        verbose_name_plural = _("live sessions")

    def __str__(self) -> str:
        return str(self.meeting)

    @property
    def ended(self) -> bool:
        return self.ended_at is not None


class SpeakerRequest(models.Model):
    """A request to speak (Wortmeldung) on one agenda item."""

    class State(models.TextChoices):
        WAITING = "waiting", _("waiting")
        SPEAKING = "speaking", _("speaking")
        DONE = "done", _("has spoken")
        WITHDRAWN = "withdrawn", _("withdrawn")

    #: States of a request that is still on the list.
    OPEN_STATES = (State.WAITING, State.SPEAKING)

    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="speaker_requests",
    )
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        verbose_name=_("agenda item"),
        on_delete=models.CASCADE,
        related_name="speaker_requests",
    )
    person = models.ForeignKey(
        "gremien.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="speaker_requests",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.WAITING
    )
    position = models.PositiveIntegerField(
        _("position"), default=0, help_text=_("Order of the waiting requests.")
    )
    requested_at = models.DateTimeField(_("requested at"))
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Set when the chair put the person on the list."),
    )

    body_lookup = "meeting__body"

    class Meta:
        verbose_name = _("request to speak")
        verbose_name_plural = _("requests to speak")
        ordering = ["agenda_item", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agenda_item", "person"],
                condition=models.Q(state__in=["waiting", "speaking"]),
                name="speaker_one_open_request",
                violation_error_message=_(
                    "This person is already on the list of speakers."
                ),
            ),
            models.UniqueConstraint(
                fields=["agenda_item"],
                condition=models.Q(state="speaking"),
                name="speaker_one_speaking",
                violation_error_message=_("Someone else has the floor."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.agenda_item}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES
