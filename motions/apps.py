from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MotionsConfig(AppConfig):
    """Motions (Anträge) that the members of a fraction draft together and
    submit to the council office, where they become papers."""

    name = "motions"
    verbose_name = _("Fraction motions")
