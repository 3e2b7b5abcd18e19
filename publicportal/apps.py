from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicPortalConfig(AppConfig):
    name = "publicportal"
    verbose_name = _("Public portal")

    def ready(self):
        from sessions.pdf.selection import register_public_rules

        from . import cache, live, packs, signals

        signals.connect()
        cache.connect_signals()
        register_public_rules(packs.VisibilityRules())
        # The public audience of live sessions, built through visibility.
        live.register()
