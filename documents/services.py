"""State changes of papers and files."""

import datetime
import hashlib
import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from gremien.access import require_body_access
from gremien.models import Body, Organization

from .filecheck import detect_mime_type, validate_upload
from .models import File, Paper, PaperType, ReferenceCounter, SignOff
from .models.file import file_storage_path
from .tasks import file_extract_text
from .workflow import SCHEDULABLE, check_transition, move_to

REFERENCE_PATTERN = re.compile(r"^(?P<prefix>[^/]+)/(?P<year>\d{4})/(?P<number>\d+)$")


def format_reference(*, body: Body, year: int, number: int) -> str:
    return f"{body.paper_reference_prefix}/{year}/{number:04d}"


def _take_reference_number(*, body: Body, year: int, at_least: int = 0) -> int:
    """Next running number of ``body`` in ``year``, under a row lock.

    The counter row is created race-free (insert ignoring conflicts), then
    locked with SELECT ... FOR UPDATE; concurrent transactions queue on the
    lock, so each gets its own number. ``at_least`` lets an import keep its
    original number and moves the counter past it.
    """
    ReferenceCounter.objects.bulk_create(
        [ReferenceCounter(body=body, year=year, last_number=0)], ignore_conflicts=True
    )
    counter = ReferenceCounter.objects.select_for_update().get(body=body, year=year)
    number = at_least or counter.last_number + 1
    if number > counter.last_number:
        counter.last_number = number
        counter.save(update_fields=["last_number"])
    return number


@transaction.atomic
def reference_numbers_for_import(
    *, body: Body, year: int, keep: Iterable[int] = (), count: int = 0
) -> list[int]:
    """Running numbers of ``year`` for papers taken over from another system.

    Who: the OParl importer (a system job; it checks nothing itself). The
    original numbers ``keep`` stay with their papers: the counter moves past
    the highest of them, so papers created here later never collide with an
    imported one. ``count`` new numbers are handed out after the counter, for
    imported papers whose reference is not in our PREFIX/YEAR/NUMBER form.
    One row lock on the body's counter of ``year`` (as ``paper_create``).
    Returns the new numbers, ascending. Emits nothing.
    """
    ReferenceCounter.objects.bulk_create(
        [ReferenceCounter(body=body, year=year, last_number=0)], ignore_conflicts=True
    )
    counter = ReferenceCounter.objects.select_for_update().get(body=body, year=year)
    last = max([counter.last_number, *keep])
    numbers = list(range(last + 1, last + 1 + count))
    if last + count != counter.last_number:
        counter.last_number = last + count
        counter.save(update_fields=["last_number"])
    return numbers


def _reference_parts(*, body: Body, date: datetime.date, reference: str | None):
    if not reference:
        number = _take_reference_number(body=body, year=date.year)
        return (
            format_reference(body=body, year=date.year, number=number),
            date.year,
            number,
        )
    match = REFERENCE_PATTERN.match(reference)
    if match is None:
        raise ValidationError(
            {"reference": _("The reference number must look like VO/2026/0123.")}
        )
    year, number = int(match["year"]), int(match["number"])
    if Paper.objects.filter(body=body, reference=reference).exists():
        raise ValidationError(
            {"reference": _("This reference number is already in use.")}
        )
    _take_reference_number(body=body, year=year, at_least=number)
    return reference, year, number


@transaction.atomic
def paper_create(
    *,
    actor,
    body: Body,
    name: str,
    date: datetime.date,
    paper_type: str = Paper._meta.get_field("paper_type").default,
    public: bool = True,
    reference: str | None = None,
    **fields,
) -> Paper:
    """Create a draft paper with the next reference number of its body and year.

    Who: staff of ``body`` with ``documents.add_paper``; ``actor=None`` only for
    system jobs (seed, import). Locks the body's reference counter row for the
    year. ``reference`` keeps an existing number (import); otherwise one is
    assigned. Emits an audit-log entry ``wagtail.create``.
    """
    if actor is not None:
        require_body_access(actor, body, "documents.add_paper")
    paper = _new_paper(
        body=body,
        name=name,
        date=date,
        paper_type=paper_type,
        public=public,
        reference=reference,
        **fields,
    )
    log(instance=paper, action="wagtail.create", user=actor)
    return paper


def _new_paper(*, body: Body, date: datetime.date, reference: str | None, **fields):
    """A validated, saved draft paper with its reference number (the next one
    of ``body`` and the year of ``date`` unless ``reference`` is given)."""
    reference, year, number = _reference_parts(
        body=body, date=date, reference=reference
    )
    paper = Paper(
        body=body,
        date=date,
        reference=reference,
        reference_year=year,
        reference_number=number,
        **fields,
    )
    paper.full_clean()
    paper.save()
    return paper


def file_checksums(data: bytes) -> dict[str, str]:
    return {
        "sha1": hashlib.sha1(data, usedforsecurity=False).hexdigest(),
        "sha256": hashlib.sha256(data).hexdigest(),
        "sha512": hashlib.sha512(data).hexdigest(),
    }


def file_store_blob(file: File, upload: UploadedFile) -> None:
    """Store the content once per hash; identical uploads share the blob."""
    path = file_storage_path(file, upload.name)
    if file.content.storage.exists(path):
        file.content.name = path
    else:
        file.content.save(upload.name, upload, save=False)


@transaction.atomic
def file_attach(
    *,
    actor,
    owner,
    upload: UploadedFile,
    name: str = "",
    role: str = File.Role.ATTACHMENT,
    mime_type: str = "",
    date: datetime.date | None = None,
    **fields,
) -> File:
    """Store an uploaded file and attach it to a paper, meeting or agenda item.

    Who: staff of the owner's body with ``documents.add_file``; ``actor=None``
    for system jobs. Computes size and checksums; the blob is stored by content
    hash. ``mime_type`` is what the client declared; PDFs are recognised by
    content or name. Refuses empty, damaged, encrypted or mislabelled PDFs. Emits an
    audit-log entry ``wagtail.create`` and, on commit, the text-extraction task.
    """
    body = owner.body if hasattr(owner, "body") else owner.meeting.body
    if actor is not None:
        require_body_access(actor, body, "documents.add_file")
    data = upload.read()
    upload.seek(0)
    mime_type = detect_mime_type(data, upload.name, mime_type)
    try:
        validate_upload(data, mime_type)
    except ValidationError as exc:
        raise ValidationError({"content": exc.messages}) from exc
    owner_field = owner._meta.model_name.replace("agendaitem", "agenda_item")
    file = File(
        body=body,
        name=name or upload.name,
        file_name=upload.name,
        mime_type=mime_type,
        size=len(data),
        role=role,
        date=date,
        **{owner_field: owner},
        **file_checksums(data),
        **fields,
    )
    file.full_clean(exclude=["content"])
    file_store_blob(file, upload)
    file.save()
    log(instance=file, action="wagtail.create", user=actor)
    transaction.on_commit(lambda: file_extract_text.enqueue(file.pk))
    return file


@transaction.atomic
def file_replace(
    *, actor, file: File, upload: UploadedFile, mime_type: str = ""
) -> File:
    """Put a new version of a file's content in place: same File row and id
    (links, consultations and members' notes stay attached), new blob.

    Who: staff of the file's body with ``documents.change_file``;
    ``actor=None`` for system jobs. The upload is checked as in
    :func:`file_attach` (empty, damaged, encrypted or mislabelled PDFs are
    refused) and stored by content hash; size, checksums, type and file name
    follow the upload, the extracted text is emptied and extracted anew. The
    old blob stays in storage (other files may share it). Locks the file's
    row. Emits an audit-log entry ``wagtail.edit`` with the old and new
    SHA-256 and, on commit, the text-extraction task.
    """
    if actor is not None:
        require_body_access(actor, file.body, "documents.change_file")
    data = upload.read()
    upload.seek(0)
    mime_type = detect_mime_type(data, upload.name, mime_type)
    try:
        validate_upload(data, mime_type)
    except ValidationError as exc:
        raise ValidationError({"content": exc.messages}) from exc
    file = File.objects.select_for_update().get(pk=file.pk)
    old_sha256 = file.sha256
    for name, value in file_checksums(data).items():
        setattr(file, name, value)
    file.file_name = upload.name
    file.mime_type = mime_type
    file.size = len(data)
    file.text = ""
    file_store_blob(file, upload)
    file.save()
    log(
        instance=file,
        action="wagtail.edit",
        user=actor,
        data={"replaced": {"old_sha256": old_sha256, "new_sha256": file.sha256}},
    )
    transaction.on_commit(lambda: file_extract_text.enqueue(file.pk))
    return file


# --- Paper workflow -----------------------------------------------------------
#
# draft → sign_off (Mitzeichnung) → released → in_consultation → decided/noted,
# withdrawn from any state that is not final; the table is documents.workflow.
# Every state change locks the paper row first, so two departments signing off
# at the same moment cannot both miss being the last one.

#: Meeting states (sessions.Meeting.State) in which a meeting has not taken place
#: yet; spelled out because documents may not import from sessions.
MEETING_STATES_NOT_HELD = ("planned", "invited", "running")

#: Outcomes of ``paper_conclude`` and the state each leads to.
OUTCOMES = {"decided": Paper.State.DECIDED, "noted": Paper.State.NOTED}


def _lock(paper: Paper) -> None:
    """Lock the paper's row and refresh its state from the database."""
    paper.state = (
        Paper.objects.select_for_update()
        .values_list("state", flat=True)
        .get(pk=paper.pk)
    )


def _log_workflow(*, actor, paper: Paper, transition: str, old: str, **details):
    """Audit-log entry ``wagtail.edit`` on the paper; ``data`` says what happened."""
    log(
        instance=paper,
        action="wagtail.edit",
        user=actor,
        data={
            "transition": transition,
            "old_state": old,
            "new_state": paper.state,
            "comment": "",
            **details,
        },
    )


def _change_state(*, actor, paper: Paper, target: str, transition: str, **details):
    old = move_to(paper, target)
    fields = ["state", "modified"]
    if target == Paper.State.RELEASED and paper.released_at is None:
        paper.released_at = timezone.now()
        fields.append("released_at")
    paper.save(update_fields=fields)
    _log_workflow(actor=actor, paper=paper, transition=transition, old=old, **details)


def _require_paper_access(actor, paper: Paper) -> None:
    if actor is not None:
        require_body_access(actor, paper.body, "documents.change_paper")


def _checked_departments(paper: Paper, departments: list[Organization]):
    if not departments:
        raise ValidationError(
            {
                "departments": ValidationError(
                    _(
                        "Name at least one department that has to sign off. "
                        "A paper that needs no sign-off can be released directly."
                    ),
                    code="no_departments",
                )
            }
        )
    unique = list({department.pk: department for department in departments}.values())
    wrong = [
        department
        for department in unique
        if department.kind != Organization.Kind.DEPARTMENT
        or department.body_id != paper.body_id
        or department.deleted_at is not None
    ]
    if wrong:
        raise ValidationError(
            {
                "departments": ValidationError(
                    _(
                        "These are not departments of the paper's body and cannot "
                        "sign off: %(names)s. Choose its administration departments."
                    ),
                    code="not_a_department",
                    params={"names": ", ".join(str(o) for o in wrong)},
                )
            }
        )
    return unique


@transaction.atomic
def paper_request_sign_off(
    *, actor, paper: Paper, departments: list[Organization]
) -> list[SignOff]:
    """Ask ``departments`` to sign off a draft (Mitzeichnung): draft → sign_off.

    Who: staff of the paper's body with ``documents.change_paper``; ``actor=None``
    only for system jobs. Opens a new round (the highest earlier round + 1) with
    one pending ``SignOff`` per department; departments must be alive
    organizations of kind department of the paper's body, at least one (a paper
    that needs none is released with ``paper_release``). Locks the paper row.
    Emits an audit-log entry ``wagtail.edit``.
    """
    _require_paper_access(actor, paper)
    _lock(paper)
    departments = _checked_departments(paper, departments)
    round_ = (paper.sign_offs.aggregate(last=Max("round"))["last"] or 0) + 1
    _change_state(
        actor=actor,
        paper=paper,
        target=Paper.State.SIGN_OFF,
        transition="request_sign_off",
        round=round_,
        departments=[department.pk for department in departments],
    )
    return SignOff.objects.bulk_create(
        SignOff(paper=paper, organization=department, round=round_, requested_by=actor)
        for department in departments
    )


def _refuse_sign_off(*, actor, sign_off: SignOff, paper: Paper) -> None:
    """End the round: cancel the pending rest and send the paper back to draft."""
    pending = paper.sign_offs.filter(round=sign_off.round, state=SignOff.State.PENDING)
    cancelled = list(pending.values_list("pk", flat=True))
    pending.update(state=SignOff.State.CANCELLED)
    _change_state(
        actor=actor,
        paper=paper,
        target=Paper.State.DRAFT,
        transition="sign_off_refused",
        comment=sign_off.comment,
        sign_off=sign_off.pk,
        department=sign_off.organization_id,
        round=sign_off.round,
        cancelled_sign_offs=cancelled,
    )


@transaction.atomic
def paper_sign_off(
    *, actor, sign_off: SignOff, approve: bool, comment: str = ""
) -> SignOff:
    """Record one department's approval or refusal of a paper in sign-off.

    Who: staff of the paper's body with ``documents.change_paper`` (department
    heads are staff users; there is no separate per-department permission yet).
    ``actor=None`` only for system jobs (import). Locks the paper row, then
    re-reads the sign-off, so a decision is recorded once. The last approval of
    the round releases the paper. A refusal needs a comment; it cancels the
    other pending sign-offs of the round and sends the paper back to draft.
    Emits audit-log entries ``wagtail.edit`` for the decision and any state change.
    """
    paper = sign_off.paper
    _require_paper_access(actor, paper)
    comment = comment.strip()
    if not approve and not comment:
        raise ValidationError(
            {
                "comment": ValidationError(
                    _("Say why the department refuses, so the author can revise."),
                    code="comment_required",
                )
            }
        )
    _lock(paper)
    sign_off.refresh_from_db()
    if sign_off.state != SignOff.State.PENDING:
        raise ValidationError(
            _(
                "This sign-off is already “%(state)s”. If the paper needs another "
                "review, request a new sign-off round."
            ),
            code="sign_off_not_pending",
            params={"state": sign_off.get_state_display()},
        )
    sign_off.state = SignOff.State.APPROVED if approve else SignOff.State.REFUSED
    sign_off.decided_by = actor
    sign_off.decided_at = timezone.now()
    sign_off.comment = comment
    sign_off.save(update_fields=["state", "decided_by", "decided_at", "comment"])
    if not approve:
        _refuse_sign_off(actor=actor, sign_off=sign_off, paper=paper)
        return sign_off
    _log_workflow(
        actor=actor,
        paper=paper,
        transition="sign_off_approved",
        old=paper.state,
        comment=comment,
        sign_off=sign_off.pk,
        department=sign_off.organization_id,
        round=sign_off.round,
    )
    if not paper.sign_offs.filter(state=SignOff.State.PENDING).exists():
        _change_state(
            actor=actor,
            paper=paper,
            target=Paper.State.RELEASED,
            transition="release",
            round=sign_off.round,
        )
    return sign_off


@transaction.atomic
def paper_release(*, actor, paper: Paper) -> Paper:
    """Release a paper: draft → released, or sign_off → released once all approved.

    Who: staff of the paper's body with ``documents.change_paper``; ``actor=None``
    only for system jobs. From draft the sign-off is skipped: for paper types
    that need none (a fraction's Antrag, an Anfrage) or when the staff decide
    so; the audit entry records ``sign_off_skipped``. Refused while a department
    has not signed off yet. Locks the paper row. Emits ``wagtail.edit``.
    """
    _require_paper_access(actor, paper)
    _lock(paper)
    pending = paper.sign_offs.filter(state=SignOff.State.PENDING)
    if paper.state == Paper.State.SIGN_OFF and pending.exists():
        raise ValidationError(
            _(
                "Not every department has signed off yet (%(departments)s). "
                "Wait for their sign-off; a refusal sends the paper back to draft."
            ),
            code="sign_off_pending",
            params={"departments": ", ".join(str(s.organization) for s in pending)},
        )
    _change_state(
        actor=actor,
        paper=paper,
        target=Paper.State.RELEASED,
        transition="release",
        sign_off_skipped=paper.state == Paper.State.DRAFT,
    )
    return paper


def _withdrawal_reason(reason: str) -> str:
    """The reason for a withdrawal, stripped; refused when empty."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("Say why the paper is withdrawn; the reason is recorded."),
                    code="reason_required",
                )
            }
        )
    return reason


@transaction.atomic
def paper_withdraw(*, actor, paper: Paper, reason: str) -> Paper:
    """Withdraw a paper (zurückgezogen) from any state that is not final.

    Who: staff of the paper's body with ``documents.change_paper``; ``actor=None``
    only for system jobs. ``reason`` is required. Pending sign-offs are
    cancelled. Consultations on meetings not yet held are NOT removed from
    their agendas here (documents may not touch sessions, and an invited
    meeting's agenda changes only through the sessions services); their ids are
    recorded as ``open_consultations`` in the audit entry so the Sitzungsdienst
    can take the items off or announce the withdrawal in the session. Locks
    the paper row. Emits ``wagtail.edit`` with the reason as comment.
    """
    _require_paper_access(actor, paper)
    reason = _withdrawal_reason(reason)
    _lock(paper)
    check_transition(paper, Paper.State.WITHDRAWN)
    cancelled = list(
        paper.sign_offs.filter(state=SignOff.State.PENDING).values_list("pk", flat=True)
    )
    SignOff.objects.filter(pk__in=cancelled).update(state=SignOff.State.CANCELLED)
    open_consultations = list(
        paper.consultations.filter(
            deleted_at__isnull=True, meeting__state__in=MEETING_STATES_NOT_HELD
        ).values_list("pk", flat=True)
    )
    _change_state(
        actor=actor,
        paper=paper,
        target=Paper.State.WITHDRAWN,
        transition="withdraw",
        comment=reason,
        cancelled_sign_offs=cancelled,
        open_consultations=open_consultations,
    )
    return paper


@transaction.atomic
def paper_begin_consultation(*, paper: Paper, actor=None) -> Paper:
    """released → in_consultation, when the paper is first put on an agenda.

    Who: the sessions services only, after checking their own permission;
    ``actor`` is recorded in the audit log, not checked here. Idempotent for a
    paper already in consultation (a later step of its consultation path).
    Refuses papers that are not released (code ``paper_not_released``). Locks
    the paper row. Emits ``wagtail.edit`` on the change.
    """
    _lock(paper)
    require_schedulable(paper)
    if paper.state != Paper.State.IN_CONSULTATION:
        _change_state(
            actor=actor,
            paper=paper,
            target=Paper.State.IN_CONSULTATION,
            transition="begin_consultation",
        )
    return paper


@transaction.atomic
def paper_conclude(*, paper: Paper, outcome: str, actor=None) -> Paper:
    """in_consultation → decided or noted (``outcome`` "decided" / "noted").

    Who: the sessions services only, when the resolution of the deciding body
    is recorded; they check the permission, ``actor`` is only recorded. Locks
    the paper row. Emits ``wagtail.edit``.
    """
    if outcome not in OUTCOMES:
        raise ValidationError(
            _("The outcome must be “decided” or “noted”, not “%(outcome)s”."),
            code="invalid_outcome",
            params={"outcome": outcome},
        )
    _lock(paper)
    _change_state(
        actor=actor, paper=paper, target=OUTCOMES[outcome], transition="conclude"
    )
    return paper


def paper_is_schedulable(paper: Paper) -> bool:
    """Whether ``paper`` may be put on an agenda: released or in consultation."""
    return paper.deleted_at is None and paper.state in SCHEDULABLE


def require_schedulable(paper: Paper) -> None:
    """Raise ValidationError (code ``paper_not_released``) unless schedulable."""
    if paper_is_schedulable(paper):
        return
    if paper.deleted_at is not None:
        message = _("The paper was deleted and cannot be put on an agenda.")
    elif paper.state in (Paper.State.DRAFT, Paper.State.SIGN_OFF):
        message = _(
            "Only released papers can be put on an agenda. Release the paper "
            "first (sign-off may be required)."
        )
    else:
        message = _(
            "Only released papers can be put on an agenda. This paper is "
            "“%(state)s”; create a new paper to bring the matter up again."
        )
    raise ValidationError(
        message,
        code="paper_not_released",
        params={"state": Paper.State(paper.state).label},
    )


# --- Papers brought in by council members ---------------------------------------
#
# A fraction's or a member's motion, amendment or inquiry reaches the office from
# outside the administration: the submitter is no staff user, so these services
# check no staff permission; the calling app checks the submitter's right (e.g.
# ``motions.services.motion_submit``: membership in the fraction) and passes the
# submitting user for the audit log.

#: Kinds of paper council members and fractions bring in themselves.
RECEIVABLE_PAPER_TYPES = (PaperType.MOTION, PaperType.AMENDMENT, PaperType.INQUIRY)


@transaction.atomic
def paper_receive(
    *,
    submitted_by,
    body: Body,
    name: str,
    paper_type: str,
    date: datetime.date,
    proposal: str = "",
    facts: str = "",
    originator_organizations: Iterable[Organization] = (),
    originator_persons: Iterable = (),
    public: bool = True,
) -> Paper:
    """Register a paper brought in by council members: a draft with the next
    reference number, for the Sitzungsdienst to check and release in the
    paper workflow.

    Who: the service of the app that decided the submitter may bring it in
    (it checks that, not this function); ``submitted_by`` (a user, not staff)
    is recorded as the audit entry's user. ``paper_type`` must be one of
    ``RECEIVABLE_PAPER_TYPES``; ``proposal`` and ``facts`` are rich text the
    caller has escaped. Locks the body's reference counter row for the year.
    Emits an audit-log entry ``wagtail.create`` with ``data.received``.
    """
    if paper_type not in RECEIVABLE_PAPER_TYPES:
        raise ValidationError(
            {
                "paper_type": ValidationError(
                    _(
                        "Council members can bring in motions, amendments and "
                        "inquiries, not “%(type)s”."
                    ),
                    code="paper_type_not_receivable",
                    params={"type": paper_type},
                )
            }
        )
    paper = _new_paper(
        body=body,
        name=name,
        date=date,
        paper_type=paper_type,
        public=public,
        reference=None,
        proposal=proposal,
        facts=facts,
    )
    organizations = list(originator_organizations)
    persons = list(originator_persons)
    paper.originator_organizations.set(organizations)
    paper.originator_persons.set(persons)
    log(
        instance=paper,
        action="wagtail.create",
        user=submitted_by,
        data={
            "received": True,
            "originator_organizations": [o.pk for o in organizations],
            "originator_persons": [p.pk for p in persons],
        },
    )
    return paper


@transaction.atomic
def paper_recall(*, requested_by, paper: Paper, reason: str) -> Paper:
    """Withdraw a paper on its originators' request before the office released
    it (draft → withdrawn).

    Who: the service of the app that brought the paper in with
    :func:`paper_receive` and checked that ``requested_by`` may speak for its
    originators; after the release only staff withdraw (``paper_withdraw``).
    ``reason`` is required. Locks the paper row. Emits ``wagtail.edit``
    (transition ``recall``) with ``requested_by`` as the entry's user.
    """
    reason = _withdrawal_reason(reason)
    _lock(paper)
    if paper.state != Paper.State.DRAFT:
        raise ValidationError(
            _(
                "The office has already dealt with the paper (“%(state)s”); "
                "ask the office to withdraw it."
            ),
            code="paper_not_draft",
            params={"state": Paper.State(paper.state).label},
        )
    _change_state(
        actor=requested_by,
        paper=paper,
        target=Paper.State.WITHDRAWN,
        transition="recall",
        comment=reason,
    )
    return paper
