import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


def pack_storage_path(instance: "SessionPack", filename: str) -> str:
    """A new random name per build: the previous file stays readable until
    the new one has replaced it, and nobody can guess where a pack lies.
    Media are never served as plain files; packs go out only through views
    that check access."""
    return f"packs/built/{secrets.token_hex(16)}.pdf"


class SessionPack(models.Model):
    """Sitzungsmappe of one meeting for one audience, and the state of its
    build.

    The member pack is built once per meeting without watermark (the "member
    base") and is never handed out as such: every member download is a copy
    watermarked for the requesting person on ``nonpublic_pages``. The public
    pack holds only what the public may see and exists only while the
    meeting's agenda is public.
    """

    class Audience(models.TextChoices):
        MEMBER = "member", _("members")
        PUBLIC = "public", _("public")

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        BUILDING = "building", _("building")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="packs",
    )
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.QUEUED
    )
    parts_done = models.PositiveIntegerField(_("parts done"), default=0)
    parts_total = models.PositiveIntegerField(_("parts in total"), default=0)
    requested_at = models.DateTimeField(_("requested at"), null=True, blank=True)
    started_at = models.DateTimeField(_("build started at"), null=True, blank=True)
    #: Raised by every request for a build; a build that finds it raised
    #: again when it ends leaves the pack queued for the next one.
    generation = models.PositiveIntegerField(default=0, editable=False)
    error = models.TextField(_("error"), blank=True)

    # The latest successful build: kept while the next one runs.
    file = models.FileField(
        _("file"), upload_to=pack_storage_path, max_length=255, blank=True
    )
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    built_at = models.DateTimeField(_("built at"), null=True, blank=True)
    built_generation = models.PositiveIntegerField(default=0, editable=False)
    #: Fingerprint of everything the build read (``sessions.packs.service``):
    #: an unchanged selection is not built again.
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True)
    #: 0-based pages of non-public parts: watermarked in every member copy.
    nonpublic_pages = models.JSONField(_("non-public pages"), default=list, blank=True)
    #: Ids of the public objects in the public pack, by kind: it is handed
    #: out only while all of them are still public.
    contents = models.JSONField(_("contents"), default=dict, blank=True)
    #: Keys of the cached parts the pack was assembled from (kept when old
    #: parts are pruned).
    part_keys = models.JSONField(default=list, blank=True, editable=False)

    body_lookup = "meeting__body"

    class Meta:
        verbose_name = _("session pack")
        verbose_name_plural = _("session packs")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "audience"], name="sessionpack_unique_audience"
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting} – {self.get_audience_display()}"

    @property
    def available(self) -> bool:
        """A built file exists (possibly older than the current data)."""
        return bool(self.file) and self.built_at is not None

    @property
    def underway(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.BUILDING)
