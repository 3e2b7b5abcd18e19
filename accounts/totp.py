"""Authenticator apps (TOTP, RFC 6238) as the pages show them: the QR code,
the secret for typing it in, and telling a reused code from a wrong one."""

import re
import time
from base64 import b32encode

import segno
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

TOKEN_PATTERN = re.compile(r"^[0-9]{6}$")


def clean_token(raw: str) -> str:
    """A code as typed: apps show "123 456", some users type "123-456"."""
    return re.sub(r"[\s\-]", "", raw or "")


def grouped_secret(device: TOTPDevice) -> str:
    """The secret in Base32, in groups of four for typing it into an app."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice, *, label: str) -> SafeString:
    """The ``otpauth://`` address of ``device`` as an inline SVG QR code,
    made on the server (no third-party request). ``label`` is its text
    alternative; the page also shows the secret as text."""
    code = segno.make(device.config_url, error="m", micro=False)
    svg = code.svg_inline(
        scale=5,
        border=4,
        dark="#000000",
        light="#ffffff",
        title=label,
        svgclass="mp-qr__image",
        omitsize=False,
    )
    # The <title> names the image; role="img" and aria-label make screen
    # readers announce it as one picture rather than a group of paths.
    return mark_safe(  # noqa: S308 - segno's SVG, the label escaped here
        svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    )


def token_was_used(device: TOTPDevice, token: str) -> bool:
    """Whether ``token`` is a code the device accepted before (its time step
    is at or below ``last_t``) and would otherwise still be current."""
    try:
        value = int(token)
    except ValueError:
        return False
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits)
    generator.time = time.time()
    for offset in range(-device.tolerance, device.tolerance + 1):
        generator.drift = device.drift + offset
        if generator.t() <= device.last_t and generator.token() == value:
            return True
    return False
