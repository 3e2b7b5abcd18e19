"""Keys of the lock-out counters and the client's address."""

import ipaddress

from django.http import HttpRequest
from django.utils.crypto import salted_hmac

KEY_SALT = "accounts.SignInThrottle.key"


def normalize_username(username: str) -> str:
    """User names count the same however they are capitalised: "Anna" and
    "anna" share one counter, so case variants give no extra attempts."""
    return username.strip().casefold()


def throttle_key(scope: str, value: str) -> str:
    """A keyed hash of ``value``: counters of mistyped user names (sometimes
    a password typed into the wrong field) are not stored in clear text."""
    return salted_hmac(KEY_SALT, f"{scope}\x1f{value}", algorithm="sha256").hexdigest()


def client_address(request: HttpRequest) -> str:
    """The client's IP address. Behind the reverse proxy, uvicorn
    (``--proxy-headers --forwarded-allow-ips``) has already put the
    forwarded address into ``REMOTE_ADDR``; headers are not read here, as a
    client could set them. IPv6 clients count per /64 network, the block a
    single connection usually gets."""
    raw = request.META.get("REMOTE_ADDR", "") or ""
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw[:45] or "unknown"
    if address.version == 6 and address.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    if address.version == 6:
        return str(address.ipv4_mapped)
    return str(address)
