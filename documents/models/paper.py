from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField

from gremien.models import OParlObject

PAPER_RICHTEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "hr"]


class PaperType(models.TextChoices):
    """Kinds of Vorlage; the value is the German term OParl's paperType uses."""

    RESOLUTION_PROPOSAL = (
        "Beschlussvorlage",
        _("Resolution proposal (Beschlussvorlage)"),
    )
    MOTION = "Antrag", _("Motion (Antrag)")
    INQUIRY = "Anfrage", _("Inquiry (Anfrage)")
    ANSWER = "Beantwortung", _("Answer to an inquiry")
    COMMUNICATION = "Mitteilung", _("Communication (Mitteilung)")
    STATEMENT = "Stellungnahme", _("Statement (Stellungnahme)")
    REPORT = "Bericht", _("Report (Bericht)")
    URGENT_PROPOSAL = "Dringlichkeitsvorlage", _("Urgent proposal")
    AMENDMENT = "Änderungsantrag", _("Amendment (Änderungsantrag)")


class Paper(OParlObject):
    """Vorlage: the document a council deals with."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGN_OFF = "sign_off", _("In sign-off")
        RELEASED = "released", _("Released")
        IN_CONSULTATION = "in_consultation", _("In consultation")
        DECIDED = "decided", _("Decided")
        NOTED = "noted", _("Taken note of")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    body = models.ForeignKey(
        "gremien.Body",
        verbose_name=_("body"),
        on_delete=models.PROTECT,
        related_name="papers",
    )
    reference = models.CharField(
        _("reference number"),
        max_length=50,
        editable=False,
        help_text=_("e.g. VO/2026/0123"),
    )
    reference_year = models.PositiveIntegerField(_("reference year"), editable=False)
    reference_number = models.PositiveIntegerField(_("running number"), editable=False)
    name = models.CharField(_("title"), max_length=500)
    date = models.DateField(_("date"))
    paper_type = models.CharField(
        _("paper type"),
        max_length=50,
        choices=PaperType.choices,
        default=PaperType.RESOLUTION_PROPOSAL,
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=State.choices,
        default=State.DRAFT,
        editable=False,
    )
    public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_("Non-public papers are shown only to entitled members and staff."),
    )
    released_at = models.DateTimeField(
        _("released at"),
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text=_(
            "When the paper was released; only released papers can become public."
        ),
    )
    facts = RichTextField(
        _("facts (Sachverhalt)"), blank=True, features=PAPER_RICHTEXT_FEATURES
    )
    proposal = RichTextField(
        _("proposed resolution (Beschlussvorschlag)"),
        blank=True,
        features=PAPER_RICHTEXT_FEATURES,
    )
    financial_impact = RichTextField(
        _("financial impact"), blank=True, features=PAPER_RICHTEXT_FEATURES
    )
    originator_organizations = models.ManyToManyField(
        "gremien.Organization",
        verbose_name=_("originating organizations"),
        blank=True,
        related_name="originated_papers",
    )
    originator_persons = models.ManyToManyField(
        "gremien.Person",
        verbose_name=_("originating persons"),
        blank=True,
        related_name="originated_papers",
    )
    under_direction_of = models.ManyToManyField(
        "gremien.Organization",
        verbose_name=_("lead department"),
        blank=True,
        related_name="directed_papers",
    )
    related_papers = models.ManyToManyField(
        "self", verbose_name=_("related papers"), blank=True, symmetrical=True
    )
    superordinated_papers = models.ManyToManyField(
        "self",
        verbose_name=_("superordinated papers"),
        blank=True,
        symmetrical=False,
        related_name="subordinated_papers",
    )
    locations = models.ManyToManyField(
        "gremien.Location",
        verbose_name=_("locations"),
        blank=True,
        related_name="papers",
    )

    class Meta:
        verbose_name = _("paper")
        verbose_name_plural = _("papers")
        ordering = ["-date", "-reference_year", "-reference_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "reference"],
                name="paper_unique_reference_per_body",
                violation_error_message=_("This reference number is already in use."),
            ),
            models.UniqueConstraint(
                fields=["body", "reference_year", "reference_number"],
                name="paper_unique_number_per_body_year",
                violation_error_message=_("This running number is already in use."),
            ),
        ]
        indexes = [models.Index(fields=["body", "-date"], name="paper_body_date")]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}" if self.reference else self.name


class ReferenceCounter(models.Model):
    """Last running number handed out per body and year.

    Numbers are taken under a row lock (see ``documents.services``), so
    concurrent creation never produces gaps from collisions or duplicates.
    """

    body = models.ForeignKey("gremien.Body", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["body", "year"], name="referencecounter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.body_id}/{self.year}: {self.last_number}"
