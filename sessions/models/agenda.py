from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField

from documents.models.paper import PAPER_RICHTEXT_FEATURES
from gremien.models import OParlObject
from gremien.models.base import end_not_before_start


class AgendaItem(OParlObject):
    """Tagesordnungspunkt (TOP)."""

    class Result(models.TextChoices):
        NONE = "", _("no result yet")
        ACCEPTED = "accepted", _("accepted")
        ACCEPTED_AMENDED = "accepted_amended", _("accepted with amendments")
        REJECTED = "rejected", _("rejected")
        NOTED = "noted", _("taken note of")
        DEFERRED = "deferred", _("deferred")
        REFERRED_BACK = "referred_back", _("referred back")
        WITHDRAWN = "withdrawn", _("withdrawn")
        RECOMMENDED = "recommended", _("recommended")
        NOT_DEALT_WITH = "not_dealt_with", _("not dealt with")

    # OParl result is free text; the German wording used in minutes.
    OPARL_RESULTS = {
        Result.ACCEPTED: "beschlossen",
        Result.ACCEPTED_AMENDED: "geändert beschlossen",
        Result.REJECTED: "abgelehnt",
        Result.NOTED: "zur Kenntnis genommen",
        Result.DEFERRED: "vertagt",
        Result.REFERRED_BACK: "zurückverwiesen",
        Result.WITHDRAWN: "zurückgezogen",
        Result.RECOMMENDED: "empfohlen",
        Result.NOT_DEALT_WITH: "nicht behandelt",
    }

    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        related_name="agenda_items",
    )
    number = models.CharField(
        _("number"), max_length=20, blank=True, help_text=_("e.g. Ö 1.1")
    )
    order = models.PositiveIntegerField(_("order"))
    name = models.CharField(_("title"), max_length=500)
    public = models.BooleanField(_("public"), default=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("For sub-items such as Ö 3.1."),
    )
    addendum = models.BooleanField(
        _("addendum"),
        default=False,
        help_text=_("Added or changed after the invitation was sent (Nachtrag)."),
    )
    addendum_at = models.DateTimeField(_("addendum at"), null=True, blank=True)
    resolution_text = RichTextField(
        _("resolution text"), blank=True, features=PAPER_RICHTEXT_FEATURES
    )
    result = models.CharField(
        _("result"),
        max_length=20,
        choices=Result.choices,
        blank=True,
        default=Result.NONE,
    )
    result_text = models.CharField(
        _("result as worded"),
        max_length=500,
        blank=True,
        help_text=_(
            "Free-text result where none of the results above fits, e.g. taken "
            "over from another system: 'einstimmig, 0 Enthaltungen'."
        ),
    )
    start = models.DateTimeField(_("start"), null=True, blank=True)
    end = models.DateTimeField(_("end"), null=True, blank=True)

    body_lookup = "meeting__body"

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "order"],
                condition=models.Q(deleted_at__isnull=True),
                name="agendaitem_unique_order",
                violation_error_message=_(
                    "Two agenda items cannot have the same position."
                ),
            ),
            end_not_before_start("start", "end", "agendaitem_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}".strip()

    @property
    def body_id(self) -> int | None:
        return self.meeting.body_id if self.meeting_id else None

    @property
    def result_label(self) -> str:
        return self.OPARL_RESULTS.get(self.result, "")

    @property
    def result_wording(self) -> str:
        """The result as text: the chosen result, else the free wording."""
        return self.result_label or self.result_text


class Consultation(OParlObject):
    """Beratung: one step of a paper's consultation path (Beratungsfolge)."""

    class Role(models.TextChoices):
        PRELIMINARY = "preliminary", _("preliminary consultation (vorberatend)")
        DECIDING = "deciding", _("deciding (beschließend)")
        INFORMATION = "information", _("for information (zur Kenntnis)")
        HEARING = "hearing", _("hearing (Anhörung)")

    OPARL_ROLES = {
        Role.PRELIMINARY: "Vorberatung",
        Role.DECIDING: "Entscheidung",
        Role.INFORMATION: "Kenntnisnahme",
        Role.HEARING: "Anhörung",
    }

    paper = models.ForeignKey(
        "documents.Paper",
        verbose_name=_("paper"),
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    position = models.PositiveIntegerField(
        _("position"), help_text=_("Order of this step in the consultation path.")
    )
    organizations = models.ManyToManyField(
        "gremien.Organization",
        verbose_name=_("organizations"),
        related_name="consultations",
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
    )
    agenda_item = models.OneToOneField(
        "meetings.AgendaItem",
        verbose_name=_("agenda item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultation",
    )
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=Role.choices,
        blank=True,
        help_text=_("Empty when not known, e.g. for consultations taken over."),
    )
    recommendation = models.TextField(
        _("recommendation"),
        blank=True,
        help_text=_(
            "The recommendation of the previous step, including amendments, "
            "carried over when it dealt with the paper."
        ),
    )
    authoritative = models.BooleanField(
        _("authoritative"),
        default=False,
        help_text=_("This consultation takes the final decision."),
    )

    body_lookup = "paper__body"

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["paper", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["paper", "position"],
                condition=models.Q(deleted_at__isnull=True),
                name="consultation_unique_position",
                violation_error_message=_(
                    "The consultation path already has a step at this position."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.paper} – {self.get_role_display()}"

    @property
    def oparl_role(self) -> str:
        return self.OPARL_ROLES.get(self.role, self.role)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        if (
            self.meeting_id
            and self.paper_id
            and self.meeting.body_id != self.paper.body_id
        ):
            errors["meeting"] = [
                _("The meeting belongs to another body than the paper.")
            ]
        if self.agenda_item_id:
            if self.meeting_id and self.agenda_item.meeting_id != self.meeting_id:
                errors["agenda_item"] = [
                    _("The agenda item belongs to another meeting.")
                ]
            elif not self.meeting_id:
                self.meeting = self.agenda_item.meeting
                if self.paper_id and self.meeting.body_id != self.paper.body_id:
                    errors["agenda_item"] = [
                        _("The agenda item belongs to another body than the paper.")
                    ]
        if errors:
            raise ValidationError(errors)
