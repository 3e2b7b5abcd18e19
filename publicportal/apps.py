from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicPortalConfig(AppConfig):
    name = "publicportal"
    verbose_name = _("Public portal")

    def ready(self):
        from . import cache, signals

        signals.connect()
        cache.connect_signals()
