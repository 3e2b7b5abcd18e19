"""Common base of every OParl entity: timestamps, soft deletion, keywords."""

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OParlQuerySet(models.QuerySet):
    def alive(self) -> "OParlQuerySet":
        return self.filter(deleted_at__isnull=True)

    def deleted(self) -> "OParlQuerySet":
        return self.filter(deleted_at__isnull=False)

    def for_bodies(self, bodies) -> "OParlQuerySet":
        """Restrict to objects that belong to one of ``bodies`` (ids or queryset)."""
        return self.filter(**{f"{self.model.body_lookup}__in": bodies})


class OParlObject(models.Model):
    """Fields every OParl object carries.

    Deletion is soft: OParl requires deleted objects to stay retrievable as
    tombstones (``deleted: true``), so rows are marked, not removed. The default
    manager is unfiltered on purpose (admin and import need everything); public
    outputs read through ``publicportal.visibility``.
    """

    created = models.DateTimeField(
        _("created"), default=timezone.now, editable=False, db_index=True
    )
    modified = models.DateTimeField(_("modified"), auto_now=True, db_index=True)
    deleted_at = models.DateTimeField(
        _("deleted at"), null=True, blank=True, editable=False, db_index=True
    )
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    license = models.URLField(_("license"), max_length=500, blank=True)
    external_id = models.CharField(
        _("original OParl id"),
        max_length=500,
        blank=True,
        db_index=True,
        help_text=_("The id of this object in the system it was imported from."),
    )

    objects = OParlQuerySet.as_manager()

    #: Lookup path from this model to its Body, used for per-body scoping.
    body_lookup: ClassVar[str] = "body"

    class Meta:
        abstract = True

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None


def end_not_before_start(start: str, end: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{end}__isnull": True})
        | models.Q(**{f"{start}__isnull": True})
        | models.Q(**{f"{end}__gte": models.F(start)}),
        name=name,
        violation_error_message=_("The end must not be before the start."),
    )
