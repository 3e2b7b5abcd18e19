from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import OParlObject


class Location(OParlObject):
    """A place: meeting room, town hall, or an address a paper refers to."""

    body = models.ForeignKey(
        "gremien.Body",
        verbose_name=_("body"),
        on_delete=models.PROTECT,
        related_name="locations",
    )
    description = models.CharField(_("description"), max_length=500, blank=True)
    street_address = models.CharField(_("street address"), max_length=255, blank=True)
    room = models.CharField(_("room"), max_length=255, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    sub_locality = models.CharField(
        _("district / part of town"), max_length=255, blank=True
    )
    locality = models.CharField(_("locality"), max_length=255, blank=True)
    geojson = models.JSONField(_("GeoJSON"), null=True, blank=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["body", "description", "street_address"]

    def __str__(self) -> str:
        parts = [self.description, self.room, self.street_address, self.locality]
        return ", ".join(p for p in parts if p) or str(self.pk)
