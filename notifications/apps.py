from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Notifications of members (in the portal and by e-mail) on invitations,
    addenda, cancellations and minutes, as each member chooses."""

    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from . import subscriptions

        subscriptions.connect()
