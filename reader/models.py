"""What the reader stores: a member's private annotations of documents, and
the fingerprint of each document version's pages (to tell, after a new
version, which notes sit on a page that changed or is gone)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: Longest note text; a longer one is refused whole (nothing stored half).
NOTE_MAX_CHARS = 10_000
#: Longest quoted (selected) text of a highlight.
QUOTE_MAX_CHARS = 10_000
#: Most rectangles of one highlight (a selection over a whole page has ~60).
RECTS_MAX = 400
#: Highest page number accepted (a typo guard, not a document limit).
PAGE_MAX = 100_000


class Annotation(models.Model):
    """A highlight or a note of one user on one page of a document (File).

    Private: only the owner sees it; a note shared with a fraction the owner
    belongs to is also visible, read-only, to that fraction's current members
    (``reader.access``). Staff see none of it, not even superusers: the model
    is not registered in any admin.

    The client makes the ``uuid`` (offline notes are created with it and sent
    later: a repeated create is idempotent). ``revision`` grows with every
    change; an update based on an older revision does not overwrite, it is
    kept as a conflict copy (``conflict_of``). A deletion leaves a tombstone
    (``deleted_at`` set, contents emptied), so that a create sent again after
    it does not bring the note back.

    ``file_sha256`` and ``page_text_hash`` identify the document version and
    the page's text the note was made on; after a new version of the file the
    reader compares them with the current version (``reader.selectors``).
    """

    class Kind(models.TextChoices):
        HIGHLIGHT = "highlight", _("Highlight")
        NOTE = "note", _("Note")

    class Color(models.TextChoices):
        YELLOW = "yellow", _("yellow")
        GREEN = "green", _("green")
        BLUE = "blue", _("blue")
        PINK = "pink", _("pink")

    uuid = models.UUIDField(_("client id"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="annotations",
    )
    # A file is deleted softly; should a row ever be removed, its notes stay
    # the owner's (with the document's name kept below).
    file = models.ForeignKey(
        "documents.File",
        verbose_name=_("file"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    #: the meeting through which the document was read (for the export)
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    document_name = models.CharField(_("document name"), max_length=500, blank=True)
    page = models.PositiveIntegerField(_("page"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    #: [[x, y, width, height], …] relative to the page (0..1), for highlights
    rects = models.JSONField(_("rectangles"), default=list, blank=True)
    quote = models.TextField(_("quoted text"), blank=True)
    text = models.TextField(_("note"), blank=True)
    color = models.CharField(
        _("colour"), max_length=10, choices=Color.choices, default=Color.YELLOW
    )
    shared_with = models.ForeignKey(
        "gremien.Organization",
        verbose_name=_("shared with"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    file_sha256 = models.CharField(_("SHA-256 of the version"), max_length=64)
    #: "" when the page had no text or the version's pages were not known
    page_text_hash = models.CharField(
        _("hash of the page text"), max_length=64, blank=True
    )
    conflict_of = models.ForeignKey(
        "self",
        verbose_name=_("conflict copy of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conflict_copies",
    )
    revision = models.PositiveIntegerField(_("revision"), default=1)
    created = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    modified = models.DateTimeField(_("modified"), default=timezone.now)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("annotation")
        verbose_name_plural = _("annotations")
        ordering = ["page", "created", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "uuid"], name="annotation_uuid_once_per_owner"
            ),
            models.CheckConstraint(
                condition=models.Q(page__gte=1), name="annotation_page_from_one"
            ),
        ]
        indexes = [
            models.Index(fields=["file", "owner"], name="annotation_file_owner"),
            models.Index(fields=["file", "shared_with"], name="annotation_file_shared"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.uuid}"

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None


class DocumentPages(models.Model):
    """The pages of one document version (by its SHA-256): how many, and a
    hash of each page's text. Content-addressed, so never stale; computed
    once, when the reader first needs it (``reader.pages``)."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    page_count = models.PositiveIntegerField(_("number of pages"))
    #: one hash per page, in page order ("" for a page without text)
    page_hashes = models.JSONField(_("page text hashes"), default=list)
    created = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("pages of a document version")
        verbose_name_plural = _("pages of document versions")

    def __str__(self) -> str:
        return f"{self.sha256[:12]}: {self.page_count}"

    def page_hash(self, page: int) -> str | None:
        """The text hash of ``page`` (1-based); ``None`` if there is no such
        page."""
        if 1 <= page <= self.page_count and page <= len(self.page_hashes):
            return self.page_hashes[page - 1]
        return None
