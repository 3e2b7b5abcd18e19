"""Sign-in pages (``/konto/…``); included by ``config/urls.py``."""

from django.urls import path
from django.views.decorators.cache import never_cache

from .views import password_reset, security, signin

urlpatterns = [
    path("anmelden/", signin.SignInView.as_view(), name="accounts_login"),
    path("anmelden/code/", signin.CodeView.as_view(), name="accounts_login_code"),
    path(
        "anmelden/einrichten/",
        signin.SignInSetupView.as_view(),
        name="accounts_login_setup",
    ),
    path("abmelden/", signin.sign_out, name="accounts_logout"),
    path("sicherheit/", security.security, name="accounts_security"),
    path(
        "sicherheit/zwei-faktor/",
        security.totp_manage,
        name="accounts_totp_manage",
    ),
    path(
        "sicherheit/zwei-faktor/einrichten/",
        security.TotpSetupView.as_view(),
        name="accounts_totp_setup",
    ),
    path(
        "sicherheit/ueberall-abmelden/",
        security.sign_out_everywhere,
        name="accounts_logout_everywhere",
    ),
    path(
        "sicherheit/passwort/",
        never_cache(security.PasswordChangeView.as_view()),
        name="accounts_password_change",
    ),
    path(
        "passwort-vergessen/",
        never_cache(password_reset.PasswordResetView.as_view()),
        name="accounts_password_reset",
    ),
    path(
        "passwort-vergessen/gesendet/",
        never_cache(password_reset.PasswordResetDoneView.as_view()),
        name="accounts_password_reset_done",
    ),
    path(
        "passwort-vergessen/<uidb64>/<token>/",
        password_reset.PasswordResetConfirmView.as_view(),
        name="accounts_password_reset_confirm",
    ),
    path(
        "passwort-vergessen/fertig/",
        never_cache(password_reset.PasswordResetCompleteView.as_view()),
        name="accounts_password_reset_complete",
    ),
]
