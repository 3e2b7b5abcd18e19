"""A public portal (Wagtail site) per demo body: the district on ``localhost``,
each town on ``<slug>.localhost`` (browsers resolve every ``*.localhost`` name
to this machine, so no DNS set-up is needed)."""

from gremien.models import Body
from publicportal.setup import portal_create


def create_demo_portals(bodies: list[Body], *, port: int) -> list[tuple[str, str]]:
    """Create the portals; returns (address, body name) for the summary."""
    addresses = []
    for body in bodies:
        default = body.classification == Body.Classification.DISTRICT
        hostname = "localhost" if default else f"{body.slug}.localhost"
        portal_create(body=body, hostname=hostname, port=port, is_default=default)
        addresses.append((f"http://{hostname}:{port}/", body.name))
    return addresses
