from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Sign-in of everyone who is not the public: password, second factor,
    lock-out, session time-out, log out everywhere, password reset."""

    name = "accounts"
    verbose_name = _("Accounts and sign-in")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .signin import bind_session

        # Every way into a session (our sign-in, client.force_login) gets the
        # epoch hash, the start time and the absolute expiry.
        user_logged_in.connect(bind_session, dispatch_uid="accounts.bind_session")
