"""Which bodies an administration user may work on: the one place that decides.

Superusers work on every body; other staff on the bodies granted to them by
``StaffAccess`` rows. What they may do there (add, change, delete) is governed
by Django/Wagtail model permissions on their groups.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from .models import Body


def staff_bodies(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Body]:
    """Bodies whose data ``user`` may see in the admin."""
    if not user.is_authenticated or not user.is_active:
        return Body.objects.none()
    if user.is_superuser:
        return Body.objects.all()
    return Body.objects.filter(staff_access__user=user)


def scope_to_user(queryset: QuerySet, user) -> QuerySet:
    """Restrict a queryset of any body-owned model to the user's bodies."""
    if user.is_authenticated and user.is_active and user.is_superuser:
        return queryset
    return queryset.filter(
        **{f"{queryset.model.body_lookup}__in": staff_bodies(user).values("pk")}
    )


def body_of(obj: Model) -> Body | None:
    """The body an object belongs to, following the model's ``body_lookup``."""
    if isinstance(obj, Body):
        return obj
    current = obj
    for part in obj.body_lookup.split("__"):
        current = getattr(current, part, None)
        if current is None:
            return None
    return current


def require_body_access(user, body: Body | None, permission: str | None = None) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may act on ``body``.

    ``permission`` is a Django permission codename such as
    ``"documents.add_paper"``; it is checked in addition to the body scope.
    """
    if body is None or not staff_bodies(user).filter(pk=body.pk).exists():
        raise PermissionDenied(_("You have no access to this body's data."))
    if permission and not user.has_perm(permission):
        raise PermissionDenied(_("You are not allowed to do this."))
