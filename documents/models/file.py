from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from gremien.models import OParlObject


def file_storage_path(instance: "File", filename: str) -> str:
    """Content-addressed: identical uploads share one blob, names are unguessable."""
    digest = instance.sha256
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"files/{instance.body_id}/{digest[:2]}/{digest}.{suffix}"


class File(OParlObject):
    """Anlage/Datei: a document attached to exactly one paper, meeting or agenda item.

    A file is public only if what it is attached to is public (decided in
    ``publicportal.visibility``); it has no public flag of its own that could
    contradict its owner, only ``restricted`` to hide a single attachment of a
    public owner (e.g. a contract annex with personal data).
    """

    class Role(models.TextChoices):
        MAIN = "main", _("Main file")
        ATTACHMENT = "attachment", _("Attachment")
        INVITATION = "invitation", _("Invitation")
        RESULTS_PROTOCOL = "results_protocol", _("Minutes (results)")
        VERBATIM_PROTOCOL = "verbatim_protocol", _("Verbatim minutes")
        RESOLUTION = "resolution", _("Resolution")

    #: Roles of which an owner has at most one.
    SINGLE_ROLES = (
        Role.MAIN,
        Role.INVITATION,
        Role.RESULTS_PROTOCOL,
        Role.VERBATIM_PROTOCOL,
        Role.RESOLUTION,
    )

    body = models.ForeignKey(
        "gremien.Body",
        verbose_name=_("body"),
        on_delete=models.PROTECT,
        related_name="files",
    )
    name = models.CharField(_("name"), max_length=500)
    file_name = models.CharField(_("file name"), max_length=255)
    mime_type = models.CharField(
        _("MIME type"), max_length=100, default="application/pdf"
    )
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    sha1 = models.CharField(_("SHA-1"), max_length=40, blank=True, editable=False)
    sha256 = models.CharField(
        _("SHA-256"), max_length=64, blank=True, editable=False, db_index=True
    )
    sha512 = models.CharField(_("SHA-512"), max_length=128, blank=True, editable=False)
    content = models.FileField(
        _("file"), upload_to=file_storage_path, max_length=255, blank=True
    )
    text = models.TextField(_("extracted text"), blank=True, editable=False)
    date = models.DateField(_("date"), null=True, blank=True)
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.ATTACHMENT
    )
    restricted = models.BooleanField(
        _("restricted"),
        default=False,
        help_text=_("Never public, even when what it is attached to is public."),
    )
    paper = models.ForeignKey(
        "documents.Paper",
        verbose_name=_("paper"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="files",
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="files",
    )
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        verbose_name=_("agenda item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="files",
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    master_file = models.ForeignKey(
        "self",
        verbose_name=_("master file"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="derivative_files",
        help_text=_("The file this one was derived from, e.g. a PDF from an ODT."),
    )
    external_service_url = models.URLField(
        _("external service URL"), max_length=500, blank=True
    )
    file_license = models.URLField(_("file license"), max_length=500, blank=True)
    source_url = models.URLField(
        _("original address"),
        max_length=1000,
        blank=True,
        editable=False,
        help_text=_(
            "Where an imported file came from; downloads are sent there while "
            "its content has not been taken over."
        ),
    )

    class Meta:
        verbose_name = _("file")
        verbose_name_plural = _("files")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        paper__isnull=False,
                        meeting__isnull=True,
                        agenda_item__isnull=True,
                    )
                    | models.Q(
                        paper__isnull=True,
                        meeting__isnull=False,
                        agenda_item__isnull=True,
                    )
                    | models.Q(
                        paper__isnull=True,
                        meeting__isnull=True,
                        agenda_item__isnull=False,
                    )
                ),
                name="file_exactly_one_owner",
                violation_error_message=_(
                    "A file belongs to exactly one paper, meeting or agenda item."
                ),
            ),
            models.UniqueConstraint(
                fields=["paper", "role"],
                condition=models.Q(role="main", deleted_at__isnull=True),
                name="file_one_main_file_per_paper",
                violation_error_message=_("The paper already has a main file."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "role"],
                condition=models.Q(
                    role__in=["invitation", "results_protocol", "verbatim_protocol"],
                    deleted_at__isnull=True,
                ),
                name="file_one_protocol_per_meeting",
                violation_error_message=_(
                    "The meeting already has a file in this role."
                ),
            ),
            models.UniqueConstraint(
                fields=["agenda_item", "role"],
                condition=models.Q(role="resolution", deleted_at__isnull=True),
                name="file_one_resolution_per_item",
                violation_error_message=_(
                    "The agenda item already has a resolution file."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def owner(self):
        return self.paper or self.meeting or self.agenda_item

    def clean(self) -> None:
        super().clean()
        owner = self.owner
        if owner is not None and self.body_id and owner.body_id != self.body_id:
            raise ValidationError(
                _("The file and what it is attached to belong to different bodies.")
            )
