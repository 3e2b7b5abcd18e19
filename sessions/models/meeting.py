import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from gremien.models import OParlObject
from gremien.models.base import end_not_before_start


class Meeting(OParlObject):
    """Sitzung of one organization, or a joint meeting of several."""

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        INVITED = "invited", _("Invited")
        RUNNING = "running", _("Running")
        HELD = "held", _("Held")
        MINUTES_DRAFTED = "minutes_drafted", _("Minutes drafted")
        MINUTES_SIGNED = "minutes_signed", _("Minutes signed")
        PUBLISHED = "published", _("Minutes published")
        CANCELLED = "cancelled", _("Cancelled")

    #: States of a meeting that has taken place.
    HELD_STATES = (
        State.HELD,
        State.MINUTES_DRAFTED,
        State.MINUTES_SIGNED,
        State.PUBLISHED,
    )

    # OParl meetingState is free text; these are the German terms shown to clients.
    OPARL_STATES = {
        State.PLANNED: "terminiert",
        State.INVITED: "eingeladen",
        State.RUNNING: "läuft",
        State.HELD: "durchgeführt",
        State.MINUTES_DRAFTED: "durchgeführt, Niederschrift in Arbeit",
        State.MINUTES_SIGNED: "durchgeführt, Niederschrift unterzeichnet",
        State.PUBLISHED: "durchgeführt, Niederschrift veröffentlicht",
        State.CANCELLED: "abgesagt",
    }

    body = models.ForeignKey(
        "gremien.Body",
        verbose_name=_("body"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    name = models.CharField(_("name"), max_length=500)
    organizations = models.ManyToManyField(
        "gremien.Organization",
        verbose_name=_("organizations"),
        related_name="meetings",
        help_text=_("Several organizations for a joint meeting."),
    )
    start = models.DateTimeField(_("start"), db_index=True)
    end = models.DateTimeField(_("end"), null=True, blank=True)
    location = models.ForeignKey(
        "gremien.Location",
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=State.choices,
        default=State.PLANNED,
        editable=False,
    )
    public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_(
            "A non-public meeting (e.g. of a fraction) is hidden "
            "from the public entirely."
        ),
    )
    slug = models.SlugField(
        _("address"),
        max_length=120,
        blank=True,
        editable=False,
        allow_unicode=False,
        help_text=_("Part of the public address, e.g. 2026-03-12-bauausschuss."),
    )
    uid = models.UUIDField(
        _("calendar UID"),
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("Stable identity of the meeting in calendar invitations."),
    )
    sequence = models.PositiveIntegerField(
        _("calendar sequence"),
        default=0,
        editable=False,
        help_text=_("Raised on every rescheduling, so calendars update the entry."),
    )
    invitation_sent_at = models.DateTimeField(
        _("invitation sent at"), null=True, blank=True, editable=False
    )
    urgent_reason = models.TextField(
        _("reason for urgency"),
        blank=True,
        editable=False,
        help_text=_("Why the invitation was sent after the invitation deadline."),
    )
    cancellation_reason = models.TextField(
        _("reason for cancellation"), blank=True, editable=False
    )
    participants = models.ManyToManyField(
        "gremien.Person",
        verbose_name=_("participants"),
        blank=True,
        related_name="meetings",
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-start"]
        constraints = [
            end_not_before_start("start", "end", "meeting_end_after_start"),
            models.UniqueConstraint(
                fields=["body", "slug"],
                condition=~models.Q(slug=""),
                name="meeting_unique_slug_per_body",
            ),
        ]
        indexes = [models.Index(fields=["body", "start"], name="meeting_body_start")]

    def __str__(self) -> str:
        return f"{self.name} ({self.start:%d.%m.%Y})" if self.start else self.name

    @property
    def was_held(self) -> bool:
        return self.state in self.HELD_STATES

    @property
    def cancelled(self) -> bool:
        return self.state == self.State.CANCELLED

    @property
    def meeting_state(self) -> str:
        return self.OPARL_STATES.get(self.state, self.state)
