"""A fraction's motion (Antrag), amendment or inquiry from the first draft to
its submission, when it becomes a paper of the council office.

The text is plain text, written together by the fraction's members; every
save is a numbered version (``MotionVersion``), and a save must name the
revision it was based on, so a colleague's text is never overwritten unseen
(``motions.services.motion_update``). A signature (Mitzeichnung) is given to
one revision: after a change it counts again only once renewed.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.models import Paper, PaperType
from documents.services import RECEIVABLE_PAPER_TYPES

#: The kinds of paper a fraction drafts here, labelled as ``PaperType``.
MOTION_TYPES = [(value, PaperType(value).label) for value in RECEIVABLE_PAPER_TYPES]

#: The fields that make up a motion's text; a version keeps each of them.
TEXT_FIELDS = ("paper_type", "title", "addressed_to_id", "proposal", "reasoning")

TITLE_MAX_LENGTH = Paper._meta.get_field("name").max_length

#: How the pages name the text fields (history, conflicts).
FIELD_LABELS = {
    "paper_type": _("Kind"),
    "title": _("Title"),
    "addressed_to_id": _("To be consulted first in"),
    "proposal": _("Proposed resolution"),
    "reasoning": _("Reasoning"),
}


def user_name(user) -> str:
    """How the pages name a user: their person's name, else the login."""
    if user is None:
        return str(_("someone"))
    person = getattr(user, "person", None)
    return person.name if person is not None else user.get_username()


class Motion(models.Model):
    """Antrag, Änderungsantrag or Anfrage of a fraction (``paper_type``).

    Drafts belong to the fraction: only its members read and change them
    (``gremien.fractions``). Submitting creates the paper (``paper``), after
    which the motion is read-only; the paper's own state says how far the
    council office and the bodies have got with it.
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    fraction = models.ForeignKey(
        "gremien.Organization",
        verbose_name=_("fraction"),
        on_delete=models.PROTECT,
        related_name="motions",
        limit_choices_to={"kind": "fraction"},
    )
    paper_type = models.CharField(
        _("kind"), max_length=50, choices=MOTION_TYPES, default=PaperType.MOTION
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    addressed_to = models.ForeignKey(
        "gremien.Organization",
        verbose_name=_("to be consulted first in"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    proposal = models.TextField(_("proposed resolution"), blank=True)
    reasoning = models.TextField(_("reasoning"), blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT
    )
    #: Raised by every saved change; a save names the revision it was based on.
    revision = models.PositiveIntegerField(_("revision"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    modified = models.DateTimeField(_("modified"), auto_now=True, db_index=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    paper = models.OneToOneField(
        "documents.Paper",
        verbose_name=_("paper"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fraction_motion",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawal_reason = models.TextField(_("reason for the withdrawal"), blank=True)

    class Meta:
        verbose_name = _("fraction motion")
        verbose_name_plural = _("fraction motions")
        ordering = ["-modified", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="submitted") | models.Q(paper__isnull=False),
                name="motion_submitted_has_paper",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT

    @property
    def status_label(self) -> str:
        """The state as the fraction sees it: for a submitted motion, how far
        the office and the bodies have got with its paper."""
        if self.state == self.State.DRAFT:
            return str(_("Draft of the fraction"))
        if self.state == self.State.WITHDRAWN:
            if self.paper_id is None:
                return str(_("Draft discarded"))
            return str(_("Withdrawn"))
        if self.paper.state in (Paper.State.DRAFT, Paper.State.SIGN_OFF):
            return str(_("Submitted, being checked by the office"))
        return self.paper.get_state_display()

    @property
    def status_badge(self) -> str:
        """A modifier of ``mp-badge`` for the state."""
        if self.state == self.State.DRAFT:
            return "new"
        if self.state == self.State.WITHDRAWN or (
            self.paper_id and self.paper.state == Paper.State.WITHDRAWN
        ):
            return "nonpublic"
        return "ok"


class MotionVersion(models.Model):
    """The text of a motion as saved at one revision, by whom and when.

    Written once per saved change (revision 1 at creation) and never changed:
    the history of who wrote what, and the base of a three-way merge when two
    colleagues saved at the same time.
    """

    motion = models.ForeignKey(
        Motion,
        verbose_name=_("motion"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    revision = models.PositiveIntegerField(_("revision"))
    paper_type = models.CharField(_("kind"), max_length=50, choices=MOTION_TYPES)
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    addressed_to = models.ForeignKey(
        "gremien.Organization",
        verbose_name=_("to be consulted first in"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    proposal = models.TextField(_("proposed resolution"), blank=True)
    reasoning = models.TextField(_("reasoning"), blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    saved_at = models.DateTimeField(_("saved at"), default=timezone.now)
    #: Set when the save was merged with a colleague's newer revision.
    merged_from = models.PositiveIntegerField(
        _("merged with revision"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("version of a motion")
        verbose_name_plural = _("versions of motions")
        ordering = ["motion", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["motion", "revision"], name="motion_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.motion_id} v{self.revision}"

    def text(self) -> dict:
        return {name: getattr(self, name) for name in TEXT_FIELDS}

    @property
    def author(self) -> str:
        return user_name(self.saved_by)


class MotionSignature(models.Model):
    """A fraction member's signature (Mitzeichnung) under one revision.

    It counts for the submission only while the text is still that revision;
    after a change the member signs again (the row is updated).
    """

    motion = models.ForeignKey(
        Motion,
        verbose_name=_("motion"),
        on_delete=models.CASCADE,
        related_name="signatures",
    )
    person = models.ForeignKey(
        "gremien.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="motion_signatures",
    )
    revision = models.PositiveIntegerField(_("signed revision"))
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by (user)"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("signature of a motion")
        verbose_name_plural = _("signatures of motions")
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["motion", "person"], name="motion_signature_once_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.motion_id} v{self.revision}"

    @property
    def is_current(self) -> bool:
        return self.revision == self.motion.revision


class MotionComment(models.Model):
    """A colleague's remark on a motion, for the fraction only."""

    motion = models.ForeignKey(
        Motion,
        verbose_name=_("motion"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    #: The author's name when writing (the user may lose their person later).
    author_name = models.CharField(_("author's name"), max_length=255)
    revision = models.PositiveIntegerField(_("on revision"))
    text = models.TextField(_("comment"))
    created = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("comment on a motion")
        verbose_name_plural = _("comments on motions")
        ordering = ["created", "pk"]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.text[:40]}"
