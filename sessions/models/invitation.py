from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Dispatch(models.Model):
    """One sending of notices for a meeting: invitation, addendum, change, cancellation.

    The text is kept as sent, so what members received stays on record even if
    the meeting changes later.
    """

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        ADDENDUM = "addendum", _("Addendum")
        RESCHEDULE = "reschedule", _("Rescheduling")
        CANCELLATION = "cancellation", _("Cancellation")

    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        related_name="dispatches",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0)
    urgent_reason = models.TextField(_("reason for urgency"), blank=True)
    subject = models.CharField(_("subject"), max_length=500)
    text = models.TextField(_("text"))

    body_lookup = "meeting__body"

    class Meta:
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")
        ordering = ["meeting", "sent_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.meeting}"


class Delivery(models.Model):
    """What happened to one recipient's copy of a dispatch."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        NO_ADDRESS = "no_address", _("no e-mail address")

    dispatch = models.ForeignKey(
        Dispatch,
        verbose_name=_("dispatch"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    person = models.ForeignKey(
        "gremien.Person",
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    error = models.TextField(_("error"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    body_lookup = "dispatch__meeting__body"

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["dispatch", "person__family_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["dispatch", "person"], name="delivery_one_per_recipient"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_status_display()}"
