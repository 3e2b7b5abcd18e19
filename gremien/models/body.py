from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..logo import logo_upload_path, validate_logo
from ..rules import (
    DEFAULT_MUNICIPAL_CODE,
    municipal_code_choices,
    validate_municipal_code,
)
from .base import OParlObject, end_not_before_start


class Body(OParlObject):
    """A municipality or district (Körperschaft): the unit of data and permissions."""

    class Classification(models.TextChoices):
        DISTRICT = "Kreis", _("District (Kreis)")
        CITY = "Stadt", _("City (Stadt)")
        MUNICIPALITY = "Gemeinde", _("Municipality (Gemeinde)")
        ASSOCIATION = "Zweckverband", _("Special-purpose association")
        OTHER = "Sonstige", _("Other")

    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    classification = models.CharField(
        _("classification"),
        max_length=50,
        choices=Classification.choices,
        default=Classification.MUNICIPALITY,
    )
    website = models.URLField(_("website"), blank=True)
    logo = models.FileField(
        _("logo"),
        upload_to=logo_upload_path,
        max_length=255,
        blank=True,
        validators=[validate_logo],
        help_text=_(
            "Printed in the header of invitations, agendas, papers and minutes. "
            "PNG, JPEG or SVG, at most 1 MB; a wide logo about 1 cm high prints "
            "best."
        ),
    )
    ags = models.CharField(
        _("AGS (official municipality key)"),
        max_length=8,
        blank=True,
        validators=[
            RegexValidator(r"^\d{8}$", _("The AGS consists of exactly 8 digits."))
        ],
    )
    rgs = models.CharField(
        _("RGS (regional key)"),
        max_length=12,
        blank=True,
        validators=[
            RegexValidator(r"^\d{12}$", _("The RGS consists of exactly 12 digits."))
        ],
    )
    equivalent = models.JSONField(
        _("equivalent URLs"),
        default=list,
        blank=True,
        help_text=_("URLs of the same body elsewhere, e.g. Wikidata."),
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_name = models.CharField(_("contact name"), max_length=255, blank=True)
    location = models.ForeignKey(
        "gremien.Location",
        verbose_name=_("location"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    license_valid_since = models.DateTimeField(
        _("license valid since"), null=True, blank=True
    )
    oparl_since = models.DateTimeField(_("OParl since"), null=True, blank=True)
    paper_reference_prefix = models.CharField(
        _("paper reference prefix"),
        max_length=20,
        default="VO",
        help_text=_("Reference numbers of papers look like PREFIX/2026/0123."),
    )
    municipal_code = models.CharField(
        _("municipal code"),
        max_length=30,
        default=DEFAULT_MUNICIPAL_CODE,
        choices=municipal_code_choices,
        validators=[validate_municipal_code],
        help_text=_(
            "The Land's municipal code whose rules apply: quorum, majorities, "
            "secret votes, invitation deadline."
        ),
    )
    invitation_period_days = models.PositiveSmallIntegerField(
        _("invitation period (days)"),
        null=True,
        blank=True,
        help_text=_(
            "Days between receipt of the invitation and the meeting day, as the "
            "standing orders require. Empty: the municipal code's default."
        ),
    )
    agenda_public_prefix = models.CharField(
        _("prefix of public agenda items"), max_length=10, blank=True, default="Ö"
    )
    agenda_nonpublic_prefix = models.CharField(
        _("prefix of non-public agenda items"), max_length=10, blank=True, default="N"
    )
    agenda_nonpublic_continues = models.BooleanField(
        _("non-public numbering continues the public one"),
        default=False,
        help_text=_("Off: Ö 1 … Ö 8, N 1 … N 3. On: Ö 1 … Ö 8, N 9 … N 11."),
    )
    invitation_template = models.TextField(
        _("invitation letter"),
        blank=True,
        help_text=_(
            "Text of the invitation letter. Placeholders: {{ meeting }}, "
            "{{ organization }}, {{ start }}, {{ location }}, {{ recipient }}, "
            "{{ signatory }}. Empty: the standard text."
        ),
    )
    require_two_factor = models.BooleanField(
        _("require a second factor at sign-in"),
        default=False,
        help_text=_(
            "Council members of this body and staff working on it sign in with "
            "their password and a code from an authenticator app. Whoever has "
            "no app set up yet is guided through setting it up at the next "
            "sign-in."
        ),
    )
    superordinate_body = models.ForeignKey(
        "self",
        verbose_name=_("superordinate body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subordinate_bodies",
        help_text=_("The district (Kreis) a town belongs to."),
    )

    body_lookup = "pk"

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LegislativeTerm(OParlObject):
    """Wahlperiode."""

    body = models.ForeignKey(
        Body,
        verbose_name=_("body"),
        on_delete=models.PROTECT,
        related_name="legislative_terms",
    )
    name = models.CharField(_("name"), max_length=255)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        verbose_name = _("legislative term")
        verbose_name_plural = _("legislative terms")
        ordering = ["body", "-start_date"]
        constraints = [
            end_not_before_start(
                "start_date", "end_date", "legislativeterm_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name
