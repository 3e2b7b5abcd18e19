"""State of OParl imports: sources, runs, list positions and staged objects.

Everything an interrupted import needs to continue lives here, so that the
next run starts where the last one stopped: which page of which list comes
next (:class:`ImportListProgress`, written after every page) and the objects
read so far (:class:`ImportRecord`, written with the page). Staged objects of
a completed run are deleted; the run itself stays as the import's history.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportSource(models.Model):
    """A body of another OParl system and the body it is imported into."""

    body = models.ForeignKey(
        "gremien.Body",
        verbose_name=_("body"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    body_url = models.CharField(_("original body id"), max_length=1000)
    system_url = models.CharField(_("original system id"), max_length=1000, blank=True)
    entry_url = models.CharField(_("entry address"), max_length=1000, blank=True)
    oparl_version = models.CharField(_("OParl version"), max_length=10, blank=True)
    watermark = models.DateTimeField(
        _("changes since"),
        null=True,
        blank=True,
        help_text=_(
            "The next incremental run asks the source for objects changed since "
            "then (start of the last completed run, minus a safety margin)."
        ),
    )
    created = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("OParl import source")
        verbose_name_plural = _("OParl import sources")
        constraints = [
            models.UniqueConstraint(
                fields=["body_url", "body"], name="importsource_unique_body"
            )
        ]

    def __str__(self) -> str:
        return f"{self.body_url} → {self.body_id}"


class ImportRun(models.Model):
    """One run of the importer over a source, possibly continued several times."""

    class Status(models.TextChoices):
        RUNNING = "running", _("running or interrupted")
        COMPLETED = "completed", _("completed")

    class Phase(models.TextChoices):
        CRAWL = "crawl", _("reading the source")
        WRITE = "write", _("writing")
        DONE = "done", _("done")

    source = models.ForeignKey(
        ImportSource,
        verbose_name=_("source"),
        on_delete=models.CASCADE,
        related_name="runs",
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RUNNING
    )
    phase = models.CharField(
        _("phase"), max_length=20, choices=Phase.choices, default=Phase.CRAWL
    )
    modified_since = models.DateTimeField(
        _("changes since"),
        null=True,
        blank=True,
        help_text=_("Empty: a full run over all objects."),
    )
    body_created = models.BooleanField(_("body created"), default=False)
    pages = models.PositiveIntegerField(_("pages read"), default=0)
    reasons = models.JSONField(
        _("skip reasons"),
        default=dict,
        blank=True,
        help_text=_("Skipped references and the like, counted per reason."),
    )
    summary = models.JSONField(_("summary"), default=dict, blank=True)

    class Meta:
        verbose_name = _("OParl import run")
        verbose_name_plural = _("OParl import runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.source} {self.started_at:%Y-%m-%d %H:%M} ({self.status})"


class ImportListProgress(models.Model):
    """How far a run has read one list of the source."""

    run = models.ForeignKey(
        ImportRun, on_delete=models.CASCADE, related_name="list_progress"
    )
    name = models.CharField(_("list"), max_length=40)
    url = models.CharField(_("first page"), max_length=2000)
    next_url = models.CharField(
        _("next page"), max_length=2000, blank=True, help_text=_("Empty: finished.")
    )
    pages = models.PositiveIntegerField(_("pages read"), default=0)
    total_pages = models.PositiveIntegerField(_("pages in all"), null=True, blank=True)
    done = models.BooleanField(_("finished"), default=False)

    class Meta:
        verbose_name = _("OParl list progress")
        verbose_name_plural = _("OParl list progress")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "name"], name="importlistprogress_unique_list"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.pages}"


class ImportRecord(models.Model):
    """One object read from the source, waiting to be written (staging).

    ``data`` is the object as the source sent it, with embedded objects
    replaced by their ids; ``context`` says where it was embedded (the
    person of a membership, the owner and role of a file, positions).
    ``missing``: a referenced object the source does not deliver (404).
    ``outcome``: what writing it did (empty: not written yet).
    """

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="records")
    type = models.CharField(_("type"), max_length=30)
    external_id = models.CharField(_("original OParl id"), max_length=1000)
    data = models.JSONField(_("data"), default=dict)
    context = models.JSONField(_("context"), default=dict, blank=True)
    missing = models.BooleanField(_("missing at the source"), default=False)
    outcome = models.CharField(_("outcome"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("staged OParl object")
        verbose_name_plural = _("staged OParl objects")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "type", "external_id"],
                name="importrecord_unique_object",
            )
        ]
        indexes = [models.Index(fields=["run", "type", "outcome"])]

    def __str__(self) -> str:
        return f"{self.type} {self.external_id}"
