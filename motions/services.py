"""State changes of fraction motions: drafting together, signing, submitting
to the council office, withdrawing.

Who: members of the motion's fraction today (``gremien.fractions``), for
every service; nobody else, staff included (a draft is the fraction's
internal work; after the submission the office works on the paper).
Refusals are ``PermissionDenied`` (not a member) or ``ValidationError`` with
a stable ``code`` and a German message for the member.

Each service locks the motion's row first, so two colleagues' saves,
signatures and a submission happen one after the other; a save or signature
names the revision its author saw, and a change in between is never
overwritten unseen.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.services import paper_recall, paper_receive
from gremien.fractions import belongs_to_fraction
from gremien.models import Organization, Person

from . import tasks
from .models import (
    MOTION_TYPES,
    TEXT_FIELDS,
    TITLE_MAX_LENGTH,
    Motion,
    MotionComment,
    MotionSignature,
    MotionVersion,
    user_name,
)
from .text import tidy, tidy_line, to_rich_text

#: Longest proposal or reasoning (characters): pages of text, not a book.
TEXT_MAX_LENGTH = 50_000
COMMENT_MAX_LENGTH = 5_000


class MotionConflict(ValidationError):
    """A save based on an old revision that changes what a colleague changed
    since (code ``stale_revision``). ``current`` is the motion as saved now,
    ``fields`` the fields both changed, ``newer`` the versions saved after
    the base revision (oldest first), ``merged`` the text with every other
    field merged (the author's change, or the colleague's where the author
    changed nothing): what the form should hold besides the conflicting
    fields, so that saving again loses no colleague's change."""

    def __init__(self, *, current: Motion, fields: list[str], newer, merged: dict):
        self.current = current
        self.fields = fields
        self.newer = list(newer)
        self.merged = merged
        names = sorted({version.author for version in self.newer})
        super().__init__(
            _(
                "While you were writing, %(names)s saved a newer version "
                "(version %(revision)s). Nothing was saved yet: your text is "
                "still in the form, and the newer text is shown next to it. "
                "Take over what you want to keep and save again."
            ),
            code="stale_revision",
            params={"names": ", ".join(names), "revision": current.revision},
        )


# Checks ----------------------------------------------------------------------


def _require_member(actor, fraction: Organization) -> None:
    if not belongs_to_fraction(actor, fraction):
        raise PermissionDenied(
            _("Only members of %(fraction)s may work on its motions.")
            % {"fraction": fraction}
        )


def _lock(motion: Motion) -> Motion:
    """Lock the motion's row and refresh ``motion`` (the caller's instance)
    from it: what is in the database now."""
    motion.refresh_from_db(from_queryset=Motion.objects.select_for_update())
    return motion


def _require_draft(motion: Motion) -> None:
    if motion.state == Motion.State.SUBMITTED:
        raise ValidationError(
            _(
                "This motion was submitted on %(date)s (%(reference)s) and can "
                "no longer be changed."
            ),
            code="motion_submitted",
            params={
                "date": timezone.localtime(motion.submitted_at).strftime("%d.%m.%Y"),
                "reference": motion.paper.reference,
            },
        )
    if motion.state != Motion.State.DRAFT:
        raise ValidationError(
            _("This motion was withdrawn and can no longer be changed."),
            code="motion_withdrawn",
        )


def _require_revision(motion: Motion, revision: int) -> None:
    if revision != motion.revision:
        raise ValidationError(
            _(
                "The text has changed since you read it (now version "
                "%(revision)s). Read the new version first."
            ),
            code="text_changed",
            params={"revision": motion.revision},
        )


def _clean_text(
    fraction: Organization,
    *,
    paper_type: str,
    title: str,
    addressed_to: Organization | None,
    proposal: str,
    reasoning: str,
) -> dict:
    """The text, tidied and checked: the values of ``TEXT_FIELDS``."""
    text = {
        "paper_type": paper_type,
        "title": tidy_line(title),
        "addressed_to_id": addressed_to.pk if addressed_to else None,
        "proposal": tidy(proposal),
        "reasoning": tidy(reasoning),
    }
    errors: dict[str, list] = {}
    if paper_type not in {value for value, _label in MOTION_TYPES}:
        errors["paper_type"] = [
            ValidationError(
                _("Choose whether it is a motion, an amendment or an inquiry."),
                code="invalid_kind",
            )
        ]
    if not text["title"]:
        errors["title"] = [
            ValidationError(_("Please enter a title."), code="title_missing")
        ]
    elif len(text["title"]) > TITLE_MAX_LENGTH:
        errors["title"] = [
            ValidationError(
                _("The title is too long (at most %(max)s characters)."),
                code="title_too_long",
                params={"max": TITLE_MAX_LENGTH},
            )
        ]
    for name in ("proposal", "reasoning"):
        if len(text[name]) > TEXT_MAX_LENGTH:
            errors[name] = [
                ValidationError(
                    _("The text is too long (at most %(max)s characters)."),
                    code="text_too_long",
                    params={"max": TEXT_MAX_LENGTH},
                )
            ]
    if addressed_to is not None and not _addressable(addressed_to, fraction):
        errors["addressed_to"] = [
            ValidationError(
                _("Choose a council or committee of %(body)s."),
                code="not_addressable",
                params={"body": fraction.body},
            )
        ]
    if errors:
        raise ValidationError(errors)
    return text


def _addressable(organization: Organization, fraction: Organization) -> bool:
    return (
        organization.is_deliberative
        and organization.body_id == fraction.body_id
        and organization.deleted_at is None
        and (
            organization.end_date is None
            or organization.end_date >= timezone.localdate()
        )
    )


def _text_of(motion: Motion) -> dict:
    return {name: getattr(motion, name) for name in TEXT_FIELDS}


def _save_version(
    motion: Motion, actor, text: dict, merged_from: int | None = None
) -> None:
    """Apply ``text`` as the next revision and keep it as a version."""
    for name, value in text.items():
        setattr(motion, name, value)
    motion.revision += 1
    motion.save()
    MotionVersion.objects.create(
        motion=motion,
        revision=motion.revision,
        saved_by=actor,
        merged_from=merged_from,
        **text,
    )


# Drafting --------------------------------------------------------------------


@transaction.atomic
def motion_create(
    *,
    actor,
    fraction: Organization,
    paper_type: str,
    title: str,
    addressed_to: Organization | None = None,
    proposal: str = "",
    reasoning: str = "",
) -> Motion:
    """Start a draft of ``fraction``: revision 1, kept as the first version.

    Who: a member of ``fraction`` today. A title is required; the rest may
    follow. Locks nothing (a new row). Emits nothing.
    """
    _require_member(actor, fraction)
    if fraction.kind != Organization.Kind.FRACTION:
        raise PermissionDenied(_("Only fractions draft motions here."))
    text = _clean_text(
        fraction,
        paper_type=paper_type,
        title=title,
        addressed_to=addressed_to,
        proposal=proposal,
        reasoning=reasoning,
    )
    motion = Motion(fraction=fraction, created_by=actor, revision=0)
    _save_version(motion, actor, text)
    return motion


def _merge(base: dict, mine: dict, theirs: dict) -> tuple[dict, list[str]]:
    """Three-way merge per field: a field only one side changed takes that
    side's value; a field both changed differently is a conflict."""
    merged, conflicts = {}, []
    for name in TEXT_FIELDS:
        if mine[name] == theirs[name] or mine[name] == base[name]:
            merged[name] = theirs[name]
        elif theirs[name] == base[name]:
            merged[name] = mine[name]
        else:
            conflicts.append(name)
    return merged, conflicts


@transaction.atomic
def motion_update(
    *,
    actor,
    motion: Motion,
    base_revision: int,
    paper_type: str,
    title: str,
    addressed_to: Organization | None = None,
    proposal: str = "",
    reasoning: str = "",
) -> Motion:
    """Save a changed text of a draft as its next revision.

    Who: a member of the motion's fraction today. ``base_revision`` is the
    revision the author started from. If a colleague saved in between, the
    two are merged field by field when they changed different fields (the
    version records ``merged_from``); when both changed the same field,
    nothing is saved and :class:`MotionConflict` carries the newer text, so
    the author can merge by hand. An unchanged text saves nothing. Locks the
    motion row. Emits nothing. Returns the motion as saved now: a
    ``revision`` above ``base_revision + 1`` means a colleague's text was
    merged in.
    """
    _require_member(actor, motion.fraction)
    current = _lock(motion)
    _require_draft(current)
    mine = _clean_text(
        current.fraction,
        paper_type=paper_type,
        title=title,
        addressed_to=addressed_to,
        proposal=proposal,
        reasoning=reasoning,
    )
    theirs = _text_of(current)
    if base_revision == current.revision:
        if mine != theirs:
            _save_version(current, actor, mine)
        return current
    base = current.versions.filter(revision=base_revision).first()
    if base is None or base_revision > current.revision:
        raise ValidationError(
            _("This form belongs to an unknown version. Open the motion again."),
            code="unknown_revision",
        )
    merged, conflicts = _merge(base.text(), mine, theirs)
    if conflicts:
        newer = (
            current.versions.filter(revision__gt=base_revision)
            .select_related("saved_by__person")
            .order_by("revision")
        )
        raise MotionConflict(
            current=current, fields=conflicts, newer=newer, merged=merged
        )
    if merged != theirs:
        _save_version(current, actor, merged, merged_from=current.revision)
    return current


# Signatures and comments ---------------------------------------------------------


def _person_of(actor, fraction: Organization) -> Person:
    person = Person.objects.alive().filter(user=actor, body=fraction.body).first()
    if person is None:
        raise PermissionDenied(_("Your account is not linked to a person."))
    return person


@transaction.atomic
def motion_sign(*, actor, motion: Motion, revision: int) -> MotionSignature:
    """Sign (mitzeichnen) the draft as ``actor``'s person, for the text of
    ``revision``, the one they read; renews an earlier signature.

    Who: a member of the motion's fraction today, for themselves. Refused
    when the text changed since (code ``text_changed``). Locks the motion
    row. Emits nothing.
    """
    _require_member(actor, motion.fraction)
    current = _lock(motion)
    _require_draft(current)
    _require_revision(current, revision)
    person = _person_of(actor, current.fraction)
    signature, _created = MotionSignature.objects.update_or_create(
        motion=current,
        person=person,
        defaults={
            "revision": current.revision,
            "signed_at": timezone.now(),
            "signed_by": actor,
        },
    )
    return signature


@transaction.atomic
def motion_unsign(*, actor, motion: Motion) -> None:
    """Take back ``actor``'s own signature of a draft.

    Who: a member of the motion's fraction today. Locks the motion row.
    Emits nothing.
    """
    _require_member(actor, motion.fraction)
    current = _lock(motion)
    _require_draft(current)
    person = _person_of(actor, current.fraction)
    current.signatures.filter(person=person).delete()


@transaction.atomic
def motion_comment(*, actor, motion: Motion, text: str) -> MotionComment:
    """Add a remark for the colleagues (also after the submission).

    Who: a member of the motion's fraction today. Emits nothing.
    """
    _require_member(actor, motion.fraction)
    text = tidy(text)
    if not text:
        raise ValidationError(
            {"text": ValidationError(_("Please write a comment."), code="empty")}
        )
    if len(text) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {
                "text": ValidationError(
                    _("The comment is too long (at most %(max)s characters)."),
                    code="too_long",
                    params={"max": COMMENT_MAX_LENGTH},
                )
            }
        )
    return MotionComment.objects.create(
        motion=motion,
        author=actor,
        author_name=user_name(actor),
        revision=motion.revision,
        text=text,
    )


# Submission ------------------------------------------------------------------


def current_signatures(motion: Motion) -> list[MotionSignature]:
    """The signatures given to the motion's current text, in signing order."""
    return list(
        motion.signatures.filter(revision=motion.revision, person__deleted_at=None)
        .select_related("person")
        .order_by("signed_at", "pk")
    )


def submission_problems(motion: Motion) -> list[ValidationError]:
    """What keeps the draft from being submitted, for the confirmation page
    and :func:`motion_submit`."""
    problems = []
    if not motion.title.strip():
        problems.append(
            ValidationError(_("The motion needs a title."), code="title_missing")
        )
    if not motion.proposal.strip():
        problems.append(
            ValidationError(
                _(
                    "The proposed resolution is empty (for an inquiry: the "
                    "questions). Write it before submitting."
                ),
                code="proposal_missing",
            )
        )
    if not current_signatures(motion):
        problems.append(
            ValidationError(
                _(
                    "Nobody has signed the current text yet. At least one "
                    "member of the fraction must sign it."
                ),
                code="no_signature",
            )
        )
    return problems


@transaction.atomic
def motion_submit(*, actor, motion: Motion, revision: int) -> Motion:
    """Submit the draft to the council office: it becomes a paper.

    Who: a member of the motion's fraction today, who confirmed the text of
    ``revision`` (refused with code ``text_changed`` if it changed since).
    Requires a title, a proposed resolution and at least one signature of
    the current text. Creates the paper through
    ``documents.services.paper_receive`` (a public draft with the next
    reference number, the fraction and the signers as originators, the text
    escaped into paragraphs); the motion becomes read-only. Locks the motion
    row and the body's reference counter. Emits, on commit, the e-mail to
    the council office and the receipts to the signers
    (``tasks.motion_submitted_mail``).
    """
    _require_member(actor, motion.fraction)
    current = _lock(motion)
    _require_draft(current)
    _require_revision(current, revision)
    problems = submission_problems(current)
    if problems:
        raise ValidationError(problems)
    signers = [signature.person for signature in current_signatures(current)]
    now = timezone.now()
    current.paper = paper_receive(
        submitted_by=actor,
        body=current.fraction.body,
        name=current.title,
        paper_type=current.paper_type,
        date=timezone.localdate(now),
        proposal=to_rich_text(current.proposal),
        facts=to_rich_text(current.reasoning),
        originator_organizations=[current.fraction],
        originator_persons=signers,
        public=True,
    )
    current.state = Motion.State.SUBMITTED
    current.submitted_at = now
    current.submitted_by = actor
    current.save()
    pk = current.pk
    transaction.on_commit(lambda: tasks.motion_submitted_mail.enqueue(pk))
    return current


@transaction.atomic
def motion_withdraw(*, actor, motion: Motion, reason: str = "") -> Motion:
    """Discard a draft, or withdraw a submitted motion as long as the office
    has not released its paper yet (``documents.services.paper_recall``).

    Who: a member of the motion's fraction today. A submitted motion needs a
    ``reason`` (recorded on the paper). Locks the motion row and then the
    paper's. Emits, on commit for a submitted motion, an e-mail to the
    council office (``tasks.motion_withdrawn_mail``).
    """
    _require_member(actor, motion.fraction)
    current = _lock(motion)
    if current.state == Motion.State.WITHDRAWN:
        raise ValidationError(
            _("This motion has already been withdrawn."), code="motion_withdrawn"
        )
    reason = tidy(reason)
    if current.state == Motion.State.SUBMITTED:
        paper_recall(requested_by=actor, paper=current.paper, reason=reason)
        pk = current.pk
        transaction.on_commit(lambda: tasks.motion_withdrawn_mail.enqueue(pk))
    current.state = Motion.State.WITHDRAWN
    current.withdrawn_at = timezone.now()
    current.withdrawn_by = actor
    current.withdrawal_reason = reason
    current.save()
    return current
