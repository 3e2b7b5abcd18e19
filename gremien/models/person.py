from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import OParlObject


class Person(OParlObject):
    """A council member, deputy, citizen member or staff member.

    Contact data is private unless its ``*_public`` flag is set: the public
    portal and OParl show only what is marked public.
    """

    class Gender(models.TextChoices):
        FEMALE = "female", _("female")
        MALE = "male", _("male")
        OTHER = "other", _("diverse")
        UNKNOWN = "", _("not specified")

    body = models.ForeignKey(
        "gremien.Body",
        verbose_name=_("body"),
        on_delete=models.PROTECT,
        related_name="persons",
    )
    form_of_address = models.CharField(
        _("form of address"), max_length=50, blank=True, help_text=_("e.g. Frau, Herr")
    )
    title = models.JSONField(
        _("academic titles"), default=list, blank=True, help_text=_('e.g. ["Dr."]')
    )
    given_name = models.CharField(_("given name"), max_length=150)
    affix = models.CharField(
        _("name affix"), max_length=50, blank=True, help_text=_("e.g. von")
    )
    family_name = models.CharField(_("family name"), max_length=150)
    gender = models.CharField(
        _("gender"),
        max_length=10,
        choices=Gender.choices,
        blank=True,
        default=Gender.UNKNOWN,
    )
    phone = models.JSONField(_("phone numbers"), default=list, blank=True)
    email = models.JSONField(_("e-mail addresses"), default=list, blank=True)
    location = models.ForeignKey(
        "gremien.Location",
        verbose_name=_("address"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="persons",
    )
    status = models.JSONField(
        _("status"), default=list, blank=True, help_text=_('e.g. ["Bürgermeisterin"]')
    )
    life = models.TextField(_("curriculum vitae"), blank=True)
    life_source = models.CharField(
        _("source of the curriculum vitae"), max_length=255, blank=True
    )
    phone_public = models.BooleanField(_("phone numbers are public"), default=False)
    email_public = models.BooleanField(_("e-mail addresses are public"), default=False)
    location_public = models.BooleanField(_("address is public"), default=False)
    life_public = models.BooleanField(_("curriculum vitae is public"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["body", "family_name", "given_name"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        parts = [*self.title, self.given_name, self.affix, self.family_name]
        return " ".join(p for p in parts if p)

    @property
    def sort_name(self) -> str:
        return f"{self.family_name}, {self.given_name}"
