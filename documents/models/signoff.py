from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SignOff(models.Model):
    """Mitzeichnung: one department's approval of a paper before its release.

    Each request is a row; a refusal ends the round and sends the paper back
    to draft, a new round creates new rows, so the history stays complete.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")
        CANCELLED = "cancelled", _("cancelled")

    paper = models.ForeignKey(
        "documents.Paper",
        verbose_name=_("paper"),
        on_delete=models.CASCADE,
        related_name="sign_offs",
    )
    organization = models.ForeignKey(
        "gremien.Organization",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="sign_offs",
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    body_lookup = "paper__body"

    class Meta:
        verbose_name = _("sign-off")
        verbose_name_plural = _("sign-offs")
        ordering = ["paper", "round", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["paper", "round", "organization"],
                name="signoff_one_per_department_and_round",
            )
        ]

    def __str__(self) -> str:
        return f"{self.paper} – {self.organization}: {self.get_state_display()}"
