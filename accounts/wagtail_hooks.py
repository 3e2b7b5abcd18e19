"""The admin's sign-in support screen (``admin_views``) and its menu item."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import SignInSupportView
from .services import SUPPORT_PERMISSION


class SupportMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        user = request.user
        return user.is_superuser or user.has_perm(SUPPORT_PERMISSION)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "anmeldehilfe/",
            SignInSupportView.as_view(),
            name="accounts_sign_in_support",
        )
    ]


@hooks.register("register_settings_menu_item")
def register_support_menu_item():
    return SupportMenuItem(
        _("Sign-in support"),
        reverse("accounts_sign_in_support"),
        icon_name="key",
        order=900,
    )


@hooks.register("register_account_menu_item")
def register_security_account_item(request):
    """Wagtail's own password form is off (``WAGTAIL_PASSWORD_MANAGEMENT_ENABLED``):
    staff change their password and authenticator app on our security page,
    under the same lock-out."""
    return {
        "url": reverse("accounts_security"),
        "label": _("Sign-in and security"),
        "help_text": _(
            "Change your password, set up your authenticator app, sign out on "
            "every device."
        ),
    }
