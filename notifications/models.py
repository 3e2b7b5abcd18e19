"""Members' notification preferences and the notifications themselves."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .topics import Kind, Topic


class NotificationPreference(models.Model):
    """One user's channels for one topic. Without a row the topic's defaults
    apply (:data:`notifications.topics.RULES`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    in_app = models.BooleanField(_("in the member portal"), default=True)
    email = models.BooleanField(_("by e-mail"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "topic"], name="notification_preference_one_per_topic"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_topic_display()}"


class Notification(models.Model):
    """Something a member was told about a meeting of theirs.

    ``key`` names the event (the notice, the publication, the batch of new
    files); one user gets one notification per event, so a task that runs
    twice notifies nobody twice. ``in_app`` is false for a notification the
    member only wanted by e-mail: it stays as the record of that e-mail but
    is not listed. The ``email_*`` fields record this app's own e-mail; the
    formal notices' e-mails are the Sitzungsdienst's and logged in
    ``sessions.Delivery`` (``email_status`` is then ``none``).
    """

    class EmailStatus(models.TextChoices):
        NONE = "none", _("no e-mail from the portal")
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        NO_ADDRESS = "no_address", _("no e-mail address")
        SKIPPED = "skipped", _("not sent: no longer entitled")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    dispatch = models.ForeignKey(
        "meetings.Dispatch",
        verbose_name=_("notice"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )
    key = models.CharField(_("event"), max_length=100)
    title = models.CharField(_("title"), max_length=500)
    text = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    in_app = models.BooleanField(_("shown in the member portal"), default=True)
    email_status = models.CharField(
        _("e-mail"),
        max_length=20,
        choices=EmailStatus.choices,
        default=EmailStatus.NONE,
    )
    email_address = models.EmailField(_("e-mail address"), blank=True)
    email_error = models.TextField(_("e-mail error"), blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], name="notification_one_per_event"
            )
        ]
        indexes = [
            models.Index(
                fields=["user", "in_app", "read_at"], name="notification_unread"
            ),
            models.Index(fields=["user", "-created"], name="notification_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.title}"

    @property
    def unread(self) -> bool:
        return self.read_at is None
