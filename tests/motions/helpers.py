"""Drafting as the members do it: through the pages, or the services."""

from django.urls import reverse

from motions.models import Motion
from motions.services import motion_create, motion_sign

PROPOSAL = (
    "Die Stadt richtet an der Grundschule Mühlenbach eine sichere Querung ein.\n"
    "\n"
    "Die Verwaltung legt dem Bauausschuss bis März einen Entwurf vor."
)
REASONING = "Viele Kinder queren dort täglich die Hauptstraße."


def draft(member, fraction, **text) -> Motion:
    """A draft of ``fraction`` started by ``member`` (a ``town`` entry)."""
    fields = {
        "paper_type": "Antrag",
        "title": "Sicherer Schulweg am Mühlenbach",
        "proposal": PROPOSAL,
        "reasoning": REASONING,
    } | text
    return motion_create(actor=member.user, fraction=fraction, **fields)


def signed_draft(town, *signers, **text) -> Motion:
    motion = draft(town.hans, town.fraction, **text)
    for signer in signers or (town.hans,):
        motion_sign(actor=signer.user, motion=motion, revision=motion.revision)
    motion.refresh_from_db()
    return motion


def form_data(motion: Motion, **changes) -> dict:
    """What the edit form posts for ``motion`` as its author saw it."""
    data = {
        "paper_type": motion.paper_type,
        "title": motion.title,
        "addressed_to": motion.addressed_to_id or "",
        "proposal": motion.proposal,
        "reasoning": motion.reasoning,
        "revision": motion.revision,
    }
    return data | changes


def url(name: str, motion: Motion | None = None) -> str:
    return reverse(name, args=[motion.pk] if motion else [])
