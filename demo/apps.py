from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data (``manage.py seed_demo``); at the far right of the layering."""

    name = "demo"
    verbose_name = _("Demo data")
