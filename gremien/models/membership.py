from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import OParlObject, end_not_before_start


class Membership(OParlObject):
    """A person's seat in an organization for a period of time."""

    class Kind(models.TextChoices):
        MEMBER = "member", _("Member")
        DEPUTY = "deputy", _("Deputy")
        CITIZEN_MEMBER = "citizen_member", _("Citizen member (sachkundige/r Bürger/in)")
        ADVISORY = "advisory", _("Advisory member")
        STAFF = "staff", _("Administration")

    person = models.ForeignKey(
        "gremien.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    organization = models.ForeignKey(
        "gremien.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.MEMBER
    )
    role = models.CharField(
        _("role"), max_length=150, blank=True, help_text=_("e.g. Vorsitzende, Mitglied")
    )
    voting_right = models.BooleanField(_("voting right"), default=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    on_behalf_of = models.ForeignKey(
        "gremien.Organization",
        verbose_name=_("on behalf of (fraction)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegated_memberships",
    )
    deputy_of = models.ForeignKey(
        "self",
        verbose_name=_("deputy of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deputies",
        help_text=_("The membership this person stands in for."),
    )

    body_lookup = "organization__body"

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organization", "person__family_name", "start_date"]
        constraints = [
            end_not_before_start(
                "start_date", "end_date", "membership_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.organization}"

    def is_active_on(self, day) -> bool:
        return (self.start_date is None or self.start_date <= day) and (
            self.end_date is None or day <= self.end_date
        )

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        org = self.organization if self.organization_id else None
        if org is not None:
            errors.update(self._lifetime_errors(org))
            if self.person_id and self.person.body_id != org.body_id:
                errors.setdefault("person", []).append(
                    _("The person belongs to another body than the organization.")
                )
        if self.on_behalf_of_id:
            if self.on_behalf_of.kind != self.on_behalf_of.Kind.FRACTION:
                errors.setdefault("on_behalf_of", []).append(
                    _("Only a fraction can delegate a member.")
                )
            elif org is not None and self.on_behalf_of.body_id != org.body_id:
                errors.setdefault("on_behalf_of", []).append(
                    _("The fraction belongs to another body.")
                )
        if self.deputy_of_id:
            if self.deputy_of_id == self.pk:
                errors.setdefault("deputy_of", []).append(
                    _("A membership cannot be its own deputy.")
                )
            elif org is not None and self.deputy_of.organization_id != org.pk:
                errors.setdefault("deputy_of", []).append(
                    _("A deputy must stand in for a member of the same organization.")
                )
        if errors:
            raise ValidationError(errors)

    def _lifetime_errors(self, org) -> dict[str, list]:
        errors: dict[str, list] = {}
        if org.start_date and self.start_date and self.start_date < org.start_date:
            errors["start_date"] = [
                _(
                    "The membership cannot begin before the organization "
                    "exists (%(date)s)."
                )
                % {"date": org.start_date.strftime("%d.%m.%Y")}
            ]
        if org.end_date and (self.end_date is None or self.end_date > org.end_date):
            errors["end_date"] = [
                _(
                    "The membership cannot last beyond the end of the "
                    "organization (%(date)s)."
                )
                % {"date": org.end_date.strftime("%d.%m.%Y")}
            ]
        return errors
