"""State changes of papers and files."""

import datetime
import hashlib
import re

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from gremien.access import require_body_access
from gremien.models import Body

from .filecheck import detect_mime_type, validate_upload
from .models import File, Paper, ReferenceCounter
from .models.file import file_storage_path
from .tasks import file_extract_text

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
    reference, year, number = _reference_parts(
        body=body, date=date, reference=reference
    )
    paper = Paper(
        body=body,
        name=name,
        date=date,
        paper_type=paper_type,
        public=public,
        reference=reference,
        reference_year=year,
        reference_number=number,
        **fields,
    )
    paper.full_clean()
    paper.save()
    log(instance=paper, action="wagtail.create", user=actor)
    return paper


def file_checksums(data: bytes) -> dict[str, str]:
    return {
        "sha1": hashlib.sha1(data, usedforsecurity=False).hexdigest(),
        "sha256": hashlib.sha256(data).hexdigest(),
        "sha512": hashlib.sha512(data).hexdigest(),
    }


def _store_blob(file: File, upload: UploadedFile) -> None:
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
    _store_blob(file, upload)
    file.save()
    log(instance=file, action="wagtail.create", user=actor)
    transaction.on_commit(lambda: file_extract_text.enqueue(file.pk))
    return file
