"""What the member portal remembers per user: when they were last here (for
"new since your last visit") and when they last opened each meeting (for
"invitations not opened yet" and the marks of new items and documents)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PortalVisit(models.Model):
    """The user's visits of the member portal.

    ``new_since`` is the end of the previous visit: what changed after it is
    "new". It moves on only when a new visit starts (after a pause, see
    ``members.services.VISIT_PAUSE``), so the marks stay while the member
    works through them.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="portal_visit",
    )
    last_seen_at = models.DateTimeField(_("last seen at"))
    new_since = models.DateTimeField(_("new since"))

    class Meta:
        verbose_name = _("visit of the member portal")
        verbose_name_plural = _("visits of the member portal")

    def __str__(self) -> str:
        return f"{self.user}: {self.last_seen_at:%Y-%m-%d %H:%M}"


class MeetingOpened(models.Model):
    """When a user opened a meeting in the member portal."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="meetings_opened",
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    first_opened_at = models.DateTimeField(_("first opened at"))
    last_opened_at = models.DateTimeField(_("last opened at"))
    #: the opening before the last one: what changed after it is marked new
    previous_opened_at = models.DateTimeField(
        _("previously opened at"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("opened meeting")
        verbose_name_plural = _("opened meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "meeting"], name="meeting_opened_once_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.meeting_id}"
