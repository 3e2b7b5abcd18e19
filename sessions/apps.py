from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """The folder is ``sessions``; the label ``sessions`` is Django's own."""

    name = "sessions"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from .packs import signals as pack_signals

        pack_signals.connect()
