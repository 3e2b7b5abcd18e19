from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import OParlObject, end_not_before_start


class Organization(OParlObject):
    """Gremium, Fraktion, Verwaltungseinheit: anything people are members of."""

    class Kind(models.TextChoices):
        COUNCIL = "council", _("Council")
        COMMITTEE = "committee", _("Committee")
        SUBCOMMITTEE = "subcommittee", _("Sub-committee")
        DISTRICT_COUNCIL = "district_council", _("District council")
        ADVISORY_BOARD = "advisory_board", _("Advisory board")
        FRACTION = "fraction", _("Fraction / group")
        PARTY = "party", _("Party")
        DEPARTMENT = "department", _("Administration department")
        EXTERNAL = "external", _("External body")
        OTHER = "other", _("Other")

    # OParl 1.1 organizationType values, derived from the kind.
    OPARL_TYPES = {
        Kind.COUNCIL: "Gremium",
        Kind.COMMITTEE: "Gremium",
        Kind.SUBCOMMITTEE: "Gremium",
        Kind.DISTRICT_COUNCIL: "Gremium",
        Kind.ADVISORY_BOARD: "Gremium",
        Kind.FRACTION: "Fraktion",
        Kind.PARTY: "Partei",
        Kind.DEPARTMENT: "Verwaltungsbereich",
        Kind.EXTERNAL: "externes Gremium",
        Kind.OTHER: "Sonstiges",
    }
    DEFAULT_CLASSIFICATIONS = {
        Kind.COUNCIL: "Hauptorgan",
        Kind.COMMITTEE: "Ausschuss",
        Kind.SUBCOMMITTEE: "Unterausschuss",
        Kind.DISTRICT_COUNCIL: "Bezirksvertretung",
        Kind.ADVISORY_BOARD: "Beirat",
        Kind.FRACTION: "Fraktion",
        Kind.PARTY: "Partei",
        Kind.DEPARTMENT: "Fachbereich",
        Kind.EXTERNAL: "Externes Gremium",
        Kind.OTHER: "Sonstiges",
    }
    #: Kinds that hold meetings with agendas and votes.
    DELIBERATIVE_KINDS = (
        Kind.COUNCIL,
        Kind.COMMITTEE,
        Kind.SUBCOMMITTEE,
        Kind.DISTRICT_COUNCIL,
        Kind.ADVISORY_BOARD,
    )

    body = models.ForeignKey(
        "gremien.Body",
        verbose_name=_("body"),
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    classification = models.CharField(
        _("classification"),
        max_length=100,
        blank=True,
        help_text=_(
            "Free text, e.g. 'Ausschuss' or 'Fraktion'. Derived from the kind if empty."
        ),
    )
    sub_organization_of = models.ForeignKey(
        "self",
        verbose_name=_("parent organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_organizations",
    )
    posts = models.JSONField(
        _("posts"),
        default=list,
        blank=True,
        help_text=_("Positions in this organization, e.g. Vorsitz, stellv. Vorsitz."),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    location = models.ForeignKey(
        "gremien.Location",
        verbose_name=_("location"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organizations",
    )
    statutory_members = models.PositiveSmallIntegerField(
        _("statutory number of members"),
        null=True,
        blank=True,
        help_text=_(
            "Gesetzliche Mitgliederzahl, the basis of quorum and qualified "
            "majorities. Empty: the number of current voting members."
        ),
    )
    invitation_period_days = models.PositiveSmallIntegerField(
        _("invitation period (days)"),
        null=True,
        blank=True,
        help_text=_("Empty: the body's invitation period."),
    )
    standard_agenda = models.JSONField(
        _("standard agenda items"),
        default=list,
        blank=True,
        help_text=_(
            'Items every agenda starts or ends with, e.g. [{"name": "Eröffnung '
            'der Sitzung", "public": true, "position": "start"}].'
        ),
    )
    external_body = models.URLField(
        _("external body"),
        max_length=500,
        blank=True,
        help_text=_("OParl body URL of an external organization."),
    )

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["body", "name"]
        constraints = [
            end_not_before_start(
                "start_date", "end_date", "organization_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def organization_type(self) -> str:
        return self.OPARL_TYPES.get(self.kind, "Sonstiges")

    @property
    def classification_label(self) -> str:
        return self.classification or self.DEFAULT_CLASSIFICATIONS.get(self.kind, "")

    @property
    def is_deliberative(self) -> bool:
        return self.kind in self.DELIBERATIVE_KINDS

    @property
    def holds_meetings(self) -> bool:
        """Councils, committees, boards, and fractions (internal meetings)."""
        return self.is_deliberative or self.kind == self.Kind.FRACTION

    def is_active_on(self, day) -> bool:
        return (self.start_date is None or self.start_date <= day) and (
            self.end_date is None or day <= self.end_date
        )
