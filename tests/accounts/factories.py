"""Users of the sign-in tests: members and staff of a body, authenticator
apps set up as a user does it (``services``), codes computed like an app."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from gremien.models import Body
from tests.gremien.factories import (
    BodyFactory,
    PersonFactory,
    StaffAccessFactory,
    UserFactory,
)

PASSWORD = "geheim-passwort-123"  # noqa: S105 - the factories' test password


def member(*, body: Body | None = None, username: str | None = None, **user_fields):
    """A council member's account: a user with a person of ``body``."""
    body = body or BodyFactory()
    user = UserFactory(**({"username": username} if username else {}), **user_fields)
    PersonFactory(body=body, user=user)
    return user


def staff(*, body: Body, **user_fields):
    """An administration user working on ``body`` (``StaffAccess``)."""
    user = UserFactory(**user_fields)
    StaffAccessFactory(user=user, body=body)
    return user


def code_for(device: TOTPDevice, *, offset: int = 0) -> str:
    """The code an app with a correct clock shows now (``offset`` steps of 30
    seconds later or earlier)."""
    value = totp(
        device.bin_key,
        step=device.step,
        t0=device.t0,
        digits=device.digits,
        drift=offset,
    )
    return f"{value:0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """A code no window of the device accepts now."""
    accepted = {code_for(device, offset=o) for o in range(-2, 3)}
    candidate = 123456
    while f"{candidate:06d}" in accepted:
        candidate += 1
    return f"{candidate:06d}"


def with_app(user) -> TOTPDevice:
    """Set up and confirm an authenticator app for ``user``, with the code the
    app showed a moment ago (so that the current one is still unused for the
    sign-in that follows in the test)."""
    device = services.totp_device_prepare(actor=user)
    check = services.totp_device_confirm(actor=user, token=code_for(device, offset=-1))
    assert check.ok, check
    device.refresh_from_db()
    return device


def post_password(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post(
        reverse("accounts_login"),
        {"username": username, "password": password, **extra},
    )


def post_code(client: Client, code: str):
    return client.post(reverse("accounts_login_code"), {"code": code})


def sign_in(client: Client, user, *, device: TOTPDevice | None = None) -> Client:
    """Sign in through the pages, as the user would."""
    response = post_password(client, user.username)
    assert response.status_code == 302, response.content.decode()[:2000]
    if device is not None:
        device.refresh_from_db()
        response = post_code(client, code_for(device))
        assert response.status_code == 302, response.content.decode()[:2000]
    return client


def page_text(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []
