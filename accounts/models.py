"""State of the sign-in: per-user security counters, lock-out counters and the
record of recent sign-ins. Second-factor devices are django-otp's
``TOTPDevice`` rows."""

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

SESSION_HASH_SALT = "accounts.SessionUser.get_session_auth_hash"


class AccountSecurity(models.Model):
    """Per-user security state that lives beside the user row.

    ``session_epoch`` enters the hash that every session of the user carries
    (see ``SessionUser``): raising it ends all of the user's sessions, on
    every device and for websockets too, at their next request or connect.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="account_security",
    )
    session_epoch = models.PositiveIntegerField(_("session epoch"), default=0)
    sessions_ended_at = models.DateTimeField(
        _("all sessions ended at"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("account security")
        verbose_name_plural = _("account security")

    def __str__(self) -> str:
        return str(self.user)


class SessionUser(User):
    """The user as sessions know it: Django's user whose session hash also
    covers ``AccountSecurity.session_epoch``.

    ``accounts.backends.SessionEpochBackend`` hands out this proxy, and
    Django's ``get_user`` as well as ``channels.auth.get_user`` compare the
    session's stored hash with ``get_session_auth_hash()``: a raised epoch
    makes every older session fail that check. With epoch 0 the hash is
    Django's own, so sessions created by ``client.force_login`` or before this
    app existed keep working.
    """

    class Meta:
        proxy = True
        default_permissions = ()
        verbose_name = _("signed-in user")
        verbose_name_plural = _("signed-in users")

    @property
    def session_epoch(self) -> int:
        try:
            return self.account_security.session_epoch
        except AccountSecurity.DoesNotExist:
            return 0

    def _get_session_auth_hash(self, secret=None) -> str:
        epoch = self.session_epoch
        if not epoch:
            return super()._get_session_auth_hash(secret=secret)
        return salted_hmac(
            SESSION_HASH_SALT,
            f"{self.password}\x1f{epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class SignInThrottle(models.Model):
    """A counter of failures (or requests) for one account, one client address
    or one e-mail address, and the lock that follows too many of them.

    Kept in the database so that every worker process sees the same count.
    ``key`` is a keyed hash of what is counted (a user name as typed, an
    address), so that mistyped user names are not stored in clear text;
    ``label`` says for staff what the row is about (the account's user name
    if the account exists, the IP address).
    """

    class Scope(models.TextChoices):
        ACCOUNT = "account", _("account")
        ADDRESS = "address", _("IP address")
        RESET_ADDRESS = "reset-address", _("password reset from IP address")
        RESET_EMAIL = "reset-email", _("password reset for e-mail address")

    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices)
    key = models.CharField(_("key"), max_length=64)
    label = models.CharField(_("label"), max_length=255, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    count = models.PositiveIntegerField(_("count in the current window"), default=0)
    window_start = models.DateTimeField(_("window start"), null=True, blank=True)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    updated = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("sign-in lock-out")
        verbose_name_plural = _("sign-in lock-outs")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "key"], name="signinthrottle_unique_scope_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()}: {self.label or self.key[:12]}"


class SignInRecord(models.Model):
    """One completed sign-in, shown to the user on the security page so that
    a sign-in they did not make stands out. No IP address is kept; the
    device is a short description of the browser, not the full header."""

    class Method(models.TextChoices):
        PASSWORD = "password", _("password")
        TOTP = "totp", _("password and authenticator app")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="sign_in_records",
    )
    at = models.DateTimeField(_("signed in at"))
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    device = models.CharField(_("device"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("sign-in")
        verbose_name_plural = _("sign-ins")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "-at"], name="signinrecord_user_at")]

    def __str__(self) -> str:
        return f"{self.user} {self.at:%Y-%m-%d %H:%M}"
