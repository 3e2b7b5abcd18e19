from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GremienConfig(AppConfig):
    name = "gremien"
    verbose_name = _("Bodies and organizations")
