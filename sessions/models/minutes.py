from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField

from documents.models.paper import PAPER_RICHTEXT_FEATURES


class Minutes(models.Model):
    """Niederschrift of a meeting: who presided and recorded, and the signatures.

    Content per agenda item lives in ``ItemMinutes``. Once both signatures are
    there, the minutes are immutable; changes go through ``MinutesCorrection``.
    """

    meeting = models.OneToOneField(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        related_name="minutes",
    )
    chair = models.ForeignKey(
        "gremien.Person",
        verbose_name=_("chair"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    clerk = models.ForeignKey(
        "gremien.Person",
        verbose_name=_("clerk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    remarks = RichTextField(
        _("general remarks"), blank=True, features=PAPER_RICHTEXT_FEATURES
    )
    chair_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by (chair)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    chair_signed_at = models.DateTimeField(
        _("signed at (chair)"), null=True, blank=True
    )
    clerk_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by (clerk)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    clerk_signed_at = models.DateTimeField(
        _("signed at (clerk)"), null=True, blank=True
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    body_lookup = "meeting__body"

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return str(self.meeting)

    @property
    def signed(self) -> bool:
        return self.chair_signed_at is not None and self.clerk_signed_at is not None


class Attendance(models.Model):
    """Who was at a meeting, in which capacity, and from when to when."""

    class Status(models.TextChoices):
        PRESENT = "present", _("present")
        EXCUSED = "excused", _("excused")
        ABSENT = "absent", _("absent without excuse")

    class Capacity(models.TextChoices):
        MEMBER = "member", _("member")
        DEPUTY = "deputy", _("deputy")
        CHAIR = "chair", _("chair")
        CLERK = "clerk", _("clerk")
        ADMINISTRATION = "administration", _("administration")
        GUEST = "guest", _("guest")

    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        related_name="attendances",
    )
    person = models.ForeignKey(
        "gremien.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="attendances",
    )
    membership = models.ForeignKey(
        "gremien.Membership",
        verbose_name=_("membership"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendances",
        help_text=_("The seat in which the person attends."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PRESENT
    )
    capacity = models.CharField(
        _("capacity"), max_length=20, choices=Capacity.choices, default=Capacity.MEMBER
    )
    substitute_for = models.ForeignKey(
        "gremien.Person",
        verbose_name=_("stands in for"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    arrived_before = models.ForeignKey(
        "meetings.AgendaItem",
        verbose_name=_("arrived before item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    left_after = models.ForeignKey(
        "meetings.AgendaItem",
        verbose_name=_("left after item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    body_lookup = "meeting__body"

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "person__family_name", "person__given_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                name="attendance_once_per_meeting",
                violation_error_message=_(
                    "This person is already on the attendance list."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_status_display()}"


class ItemMinutes(models.Model):
    """What the minutes say about one agenda item."""

    agenda_item = models.OneToOneField(
        "meetings.AgendaItem",
        verbose_name=_("agenda item"),
        on_delete=models.PROTECT,
        related_name="item_minutes",
    )
    discussion = RichTextField(
        _("summary of the discussion"), blank=True, features=PAPER_RICHTEXT_FEATURES
    )
    motions = RichTextField(
        _("motions made"), blank=True, features=PAPER_RICHTEXT_FEATURES
    )
    statements = RichTextField(
        _("statements for the record"), blank=True, features=PAPER_RICHTEXT_FEATURES
    )
    votes_yes = models.PositiveSmallIntegerField(_("yes"), null=True, blank=True)
    votes_no = models.PositiveSmallIntegerField(_("no"), null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField(
        _("abstentions"), null=True, blank=True
    )
    unanimous = models.BooleanField(_("unanimous"), default=False)
    roll_call = models.JSONField(
        _("roll-call vote"),
        default=list,
        blank=True,
        help_text=_(
            'Named votes: [{"person": id, "name": "…", "vote": "yes|no|abstain"}].'
        ),
    )
    biased = models.ManyToManyField(
        "gremien.Person",
        verbose_name=_("declared bias, did not take part"),
        blank=True,
        related_name="+",
    )
    done = models.BooleanField(
        _("finished"),
        default=False,
        help_text=_("The clerk has finished the minutes of this item."),
    )
    modified = models.DateTimeField(_("modified"), auto_now=True)

    body_lookup = "agenda_item__meeting__body"

    class Meta:
        verbose_name = _("minutes of an agenda item")
        verbose_name_plural = _("minutes of agenda items")

    def __str__(self) -> str:
        return str(self.agenda_item)


class MinutesCorrection(models.Model):
    """A recorded correction of signed minutes (Berichtigung), with its reason."""

    minutes = models.ForeignKey(
        Minutes,
        verbose_name=_("minutes"),
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        verbose_name=_("agenda item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    field = models.CharField(_("field"), max_length=100)
    old_value = models.TextField(_("old value"), blank=True)
    new_value = models.TextField(_("new value"), blank=True)
    reason = models.TextField(_("reason"))
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("corrected by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    corrected_at = models.DateTimeField(_("corrected at"), auto_now_add=True)

    body_lookup = "minutes__meeting__body"

    class Meta:
        verbose_name = _("correction of the minutes")
        verbose_name_plural = _("corrections of the minutes")
        ordering = ["minutes", "corrected_at"]

    def __str__(self) -> str:
        return f"{self.minutes}: {self.field}"
