from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffAccess(models.Model):
    """Grants an administration user access to one body's data in the admin.

    What the user may do there is governed by Wagtail group permissions; which
    body's data they see is governed by these rows. Superusers see every body.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="staff_access",
    )
    body = models.ForeignKey(
        "gremien.Body",
        verbose_name=_("body"),
        on_delete=models.CASCADE,
        related_name="staff_access",
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("staff access")
        verbose_name_plural = _("staff access")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "body"], name="staffaccess_unique_user_body"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.body}"
