"""The e-mails about a fraction's motion: to the council office when one
arrives or is withdrawn, and the receipt to its signers. Built in German
(the installation's language), plain text, with absolute links based on
``WAGTAILADMIN_BASE_URL`` (the address the admin's own e-mails use)."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from gremien.models import Body
from sessions.recipients import email_address

from .models import Motion, user_name

#: The office is whoever may change papers of the body: this permission.
OFFICE_PERMISSION = "documents.change_paper"


@dataclass(frozen=True)
class Mail:
    to: list[str]
    subject: str
    body: str


def absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def office_addresses(body: Body) -> list[str]:
    """The body's contact address, or else the addresses of the staff users
    working on the body who may change papers."""
    if body.contact_email:
        return [body.contact_email]
    users = (
        get_user_model()
        .objects.filter(is_active=True, staff_access__body=body)
        .exclude(email="")
        .order_by("pk")
    )
    return sorted({u.email for u in users if u.has_perm(OFFICE_PERMISSION)})


def signer_addresses(motion: Motion) -> list[str]:
    """Addresses of the signers on the paper and of the submitting member."""
    persons = list(motion.paper.originator_persons.select_related("user"))
    submitter = motion.submitted_by
    addresses = []
    for person in persons:
        addresses.append(email_address(person) or getattr(person.user, "email", ""))
    if submitter is not None:
        person = getattr(submitter, "person", None)
        addresses.append((person and email_address(person)) or submitter.email)
    return list(dict.fromkeys(a for a in addresses if a))


def _subject_arrived(motion: Motion) -> str:
    subjects = {
        "Antrag": _("New motion of %(fraction)s received"),
        "Änderungsantrag": _("New amendment of %(fraction)s received"),
        "Anfrage": _("New inquiry of %(fraction)s received"),
    }
    return subjects[motion.paper_type] % {"fraction": motion.fraction.name}


def _context(motion: Motion) -> dict:
    paper = motion.paper
    return {
        "motion": motion,
        "paper": paper,
        "signers": list(paper.originator_persons.order_by("family_name")),
        "submitter": user_name(motion.submitted_by),
        "workflow_url": absolute(reverse("papers_workflow", args=[paper.pk])),
        "motion_url": absolute(reverse("motions_detail", args=[motion.pk])),
    }


def arrival_mails(motion: Motion) -> list[Mail]:
    """The office's notice and the signers' receipt of a submitted motion."""
    context = _context(motion)
    mails = []
    office = office_addresses(motion.fraction.body)
    if office:
        mails.append(
            Mail(
                office,
                _subject_arrived(motion),
                render_to_string("motions/mail/office_arrived.txt", context),
            )
        )
    signers = signer_addresses(motion)
    if signers:
        mails.append(
            Mail(
                signers,
                _("Receipt: %(reference)s %(title)s")
                % {"reference": motion.paper.reference, "title": motion.title},
                render_to_string("motions/mail/receipt.txt", context),
            )
        )
    return mails


def withdrawal_mails(motion: Motion) -> list[Mail]:
    """The office's notice that a submitted motion was withdrawn."""
    office = office_addresses(motion.fraction.body)
    if not office:
        return []
    context = _context(motion) | {"withdrawn_by": user_name(motion.withdrawn_by)}
    return [
        Mail(
            office,
            _("%(fraction)s withdraws %(reference)s")
            % {"fraction": motion.fraction.name, "reference": motion.paper.reference},
            render_to_string("motions/mail/office_withdrawn.txt", context),
        )
    ]
