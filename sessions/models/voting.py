"""Votes (Abstimmungen) taken on an agenda item, and the ballots cast in them.

Secrecy of secret votes is a property of the schema, not of the code that
reads it: for a secret vote the only per-person row is ``VoteParticipation``
(who voted, under a random id, without time or choice); the choices exist only
as the counters on the ``Vote`` row. ``Ballot`` rows (person and choice) are
written for open and named votes only.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Vote(models.Model):
    """One vote on an agenda item: opened, cast into, closed, result computed."""

    class Kind(models.TextChoices):
        OPEN = "open", _("open vote")
        NAMED = "named", _("roll-call vote")
        SECRET = "secret", _("secret vote")

    class State(models.TextChoices):
        OPEN = "open", _("open for ballots")
        CLOSED = "closed", _("closed")

    class Result(models.TextChoices):
        NONE = "", _("no result yet")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    class Choice(models.TextChoices):
        YES = "yes", _("yes")
        NO = "no", _("no")
        ABSTAIN = "abstain", _("abstain")

    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        related_name="votes",
    )
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        verbose_name=_("agenda item"),
        on_delete=models.PROTECT,
        related_name="votes",
    )
    name = models.CharField(_("subject of the vote"), max_length=500, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.OPEN
    )
    manual = models.BooleanField(
        _("entered by hand"),
        default=False,
        help_text=_("Counted in the room (show of hands) and entered by the clerk."),
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    municipal_code = models.CharField(_("municipal code"), max_length=20)
    majority_rule = models.CharField(
        _("majority rule"),
        max_length=20,
        default="simple",
        help_text=_("simple: more yes than no votes; abstentions do not count."),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=100, blank=True)
    votes_yes = models.PositiveSmallIntegerField(_("yes"), default=0)
    votes_no = models.PositiveSmallIntegerField(_("no"), default=0)
    votes_abstain = models.PositiveSmallIntegerField(_("abstentions"), default=0)
    revision = models.PositiveIntegerField(
        _("revision"),
        default=0,
        editable=False,
        help_text=_(
            "Raised when a declaration of bias changes who may vote while the "
            "vote is open; a ballot counts only at the revision it was "
            "checked against."
        ),
    )
    entitled = models.PositiveSmallIntegerField(
        _("members entitled to vote"),
        null=True,
        blank=True,
        help_text=_("Statutory number of voting members, at close."),
    )
    present = models.PositiveSmallIntegerField(
        _("present and entitled to vote"),
        null=True,
        blank=True,
        help_text=_("Present voting members not excluded for bias, at close."),
    )
    result = models.CharField(
        _("result"),
        max_length=10,
        choices=Result.choices,
        blank=True,
        default=Result.NONE,
    )

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["meeting", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting"],
                condition=models.Q(state="open"),
                name="vote_one_open_per_meeting",
                violation_error_message=_("Another vote of this meeting is open."),
            )
        ]

    def __str__(self) -> str:
        return self.name or str(self.agenda_item)

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def cast(self) -> int:
        return self.votes_yes + self.votes_no + self.votes_abstain


class VoteParticipation(models.Model):
    """That a person has voted, and the client id the ballot came with.

    Written for every kind of vote; for a secret vote it is the only trace of a
    person. Random primary key and no timestamp, so neither order nor time of
    the rows says anything; no choice.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(
        Vote,
        verbose_name=_("vote"),
        on_delete=models.PROTECT,
        related_name="participations",
    )
    person = models.ForeignKey(
        "gremien.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    client_id = models.UUIDField(_("client id"))

    class Meta:
        verbose_name = _("participation in a vote")
        verbose_name_plural = _("participations in votes")
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "person"],
                name="vote_one_ballot_per_person",
                violation_error_message=_("You have already voted."),
            ),
            models.UniqueConstraint(
                fields=["vote", "client_id"], name="vote_unique_client_id"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.vote}"


class Ballot(models.Model):
    """A person's choice in an open or named vote (never for a secret vote)."""

    participation = models.OneToOneField(
        VoteParticipation,
        verbose_name=_("participation"),
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="ballot",
    )
    vote = models.ForeignKey(
        Vote, verbose_name=_("vote"), on_delete=models.PROTECT, related_name="ballots"
    )
    person = models.ForeignKey(
        "gremien.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="ballots",
    )
    choice = models.CharField(_("choice"), max_length=10, choices=Vote.Choice.choices)
    cast_at = models.DateTimeField(_("cast at"))

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["vote", "person__family_name", "person__given_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "person"], name="ballot_one_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_choice_display()}"


class VoteCorrection(models.Model):
    """Counts entered or changed by hand, with the reason, kept as a record."""

    vote = models.ForeignKey(
        Vote,
        verbose_name=_("vote"),
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    old_counts = models.JSONField(_("counts before"), null=True, blank=True)
    new_counts = models.JSONField(_("counts after"))
    reason = models.TextField(_("reason"))
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    corrected_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("correction of a vote")
        verbose_name_plural = _("corrections of votes")
        ordering = ["vote", "corrected_at"]

    def __str__(self) -> str:
        return f"{self.vote}: {self.reason[:50]}"
