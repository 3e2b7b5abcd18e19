"""State changes of bodies, organizations, persons and memberships."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .access import body_of, require_body_access
from .models import Body, Organization


def _deletion_blockers(obj: Model) -> list[str]:
    """Reasons why ``obj`` must not disappear, in German for the admin."""
    if isinstance(obj, Organization):
        if obj.meetings.alive().exists():
            return [
                _(
                    "The organization still has meetings. Set an end date instead "
                    "of deleting it, so that its history stays complete."
                )
            ]
    if isinstance(obj, Body):
        if obj.organizations.alive().exists() or obj.papers.alive().exists():
            return [_("The body still has organizations or papers.")]
    return []


@transaction.atomic
def object_soft_delete(*, actor, obj: Model) -> Model:
    """Mark ``obj`` deleted (OParl tombstone) instead of removing the row.

    Who: staff with the model's delete permission on the object's body.
    Refuses objects that others still depend on (see ``_deletion_blockers``).
    Emits an audit-log entry ``wagtail.delete``.
    """
    opts = obj._meta
    require_body_access(
        actor, body_of(obj), f"{opts.app_label}.delete_{opts.model_name}"
    )
    blockers = _deletion_blockers(obj)
    if blockers:
        raise ValidationError(blockers)
    if obj.deleted_at is None:
        obj.deleted_at = timezone.now()
        obj.save(update_fields=["deleted_at", "modified"])
        log(instance=obj, action="wagtail.delete", user=actor)
    return obj
