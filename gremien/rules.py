"""The rules of the municipal codes (Gemeindeordnungen), one profile per Land.

Every rule that depends on the Land's municipal code lives here and nowhere else:
quorum, majority, secret votes, the invitation deadline and items added to the
agenda after the invitation. Each rule is one method of :class:`MunicipalCode`
whose docstring cites the paragraphs it implements.

Pure logic: no models, no database, nothing but Django's translation and
validation helpers, so every app (``gremien`` is the leftmost) may import it.
Callers pass plain numbers taken from their models, e.g.
``get_code(body.municipal_code).quorum(statutory_members=..., present_voting=...)``.

Adding a Land means adding one :class:`MunicipalCode` instance to
:data:`MUNICIPAL_CODES` (a subclass only if a rule cannot be expressed by the
fields); the model field's choices and validator read the registry.

The municipal codes apply these rules to committees as well (§ 58 Abs. 2 GO NRW,
§ 62 Abs. 5 HGO); ``statutory_members`` is then the committee's statutory size.
"""

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, TypeAlias
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

DEFAULT_MUNICIPAL_CODE = "nrw"

#: Deadlines are counted in calendar days where the municipalities are.
LOCAL_TIME = ZoneInfo("Europe/Berlin")

StrOrPromise: TypeAlias = str | Promise


def _interpolate(message: StrOrPromise, params: Mapping[str, Any]) -> Promise:
    """``message % params``, translated when rendered, not when computed.

    A result is often computed where no language is active (a websocket service)
    and shown later in the chair's language.
    """
    return lazy(lambda: str(message) % params, str)()


def _require_non_negative(**counts: int) -> None:
    for name, value in counts.items():
        if value < 0:
            raise ValueError(f"{name} must not be negative, got {value}")


def _require_statutory(statutory_members: int) -> None:
    if statutory_members < 1:
        raise ValueError(
            f"statutory_members must be at least 1, got {statutory_members}"
        )


def _local_day(moment: dt.datetime) -> dt.date:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("an aware datetime is required")
    return moment.astimezone(LOCAL_TIME).date()


def more_than_half(total: int) -> int:
    """The smallest whole number that is more than half of ``total``."""
    return total // 2 + 1


def at_least_share(share: Fraction, total: int) -> int:
    """The smallest whole number that is at least ``share`` of ``total``."""
    return math.ceil(share * total)


@dataclass(frozen=True, kw_only=True)
class QuorumResult:
    reached: bool
    required: int
    counted: int
    explanation: StrOrPromise
    legal_basis: str
    #: Hessen § 53 Abs. 3 HGO: resolutions then need the supervisory authority.
    needs_supervisory_approval: bool = False


@dataclass(frozen=True, kw_only=True)
class MajorityResult:
    accepted: bool
    explanation: StrOrPromise
    legal_basis: str


@dataclass(frozen=True, kw_only=True)
class MunicipalCode:
    """The rules of one Land's municipal code.

    The fields hold what differs between the Länder; the methods hold the rules.
    ``*_basis`` fields are the citations shown next to a result (German legal
    citations, not translated).
    """

    key: str
    label: StrOrPromise
    #: Full days between receipt of the invitation and the meeting day, used
    #: when neither the organization nor the body sets its own period.
    invitation_period_days: int
    #: Share of the statutory members whose request makes a vote on a matter
    #: secret; ``None``: votes on matters are always open.
    secret_vote_share: Fraction | None
    #: Share of the statutory members who must agree to a late agenda item;
    #: ``None``: a simple majority of the votes cast decides.
    late_item_share: Fraction | None
    late_item_requires_urgency: bool
    #: Quorate regardless of attendance when more than half of the statutory
    #: members are excluded for bias (and resolutions need supervisory approval).
    quorate_if_majority_biased: bool
    quorum_basis: str
    majority_basis: str
    voting_mode_basis: str
    election_basis: str
    invitation_basis: str
    late_item_basis: str

    def __str__(self) -> str:
        return str(self.label)

    # Quorum (Beschlussfähigkeit)

    def quorum(
        self,
        *,
        statutory_members: int,
        present_voting: int,
        biased_present: int = 0,
        second_invitation: bool = False,
    ) -> QuorumResult:
        """Whether the body may pass resolutions on the current item.

        Quorate when more than half of the statutory members are present
        (§ 49 Abs. 1 S. 1 GO NRW; § 53 Abs. 1 S. 1 HGO): 21 or 20 members
        need 11. ``present_voting`` counts every present member with a vote,
        the chair included where the chair votes; ``biased_present`` are those
        of them excluded from this item for bias (§ 31 GO NRW, § 25 HGO). They
        have to leave their seat, so they do not count as present.

        ``second_invitation``: the item was deferred for lack of quorum and the
        body was invited again for the same matter, pointing to this rule: it is
        quorate regardless of attendance (§ 49 Abs. 2 GO NRW, § 53 Abs. 2 HGO).

        With ``quorate_if_majority_biased`` (Hessen, § 53 Abs. 3 HGO), more than
        half of the statutory members excluded for bias makes the body quorate
        regardless of attendance; the resolution needs the supervisory
        authority's approval. Only the biased members present are known here.

        Note: both codes deem the body quorate until its lack of quorum is
        established (§ 49 Abs. 1 S. 2 GO NRW; § 53 Abs. 1 S. 2 HGO). This method
        computes the arithmetic rule; when to establish it is the chair's call.
        """
        _require_statutory(statutory_members)
        _require_non_negative(
            present_voting=present_voting, biased_present=biased_present
        )
        if biased_present > present_voting:
            raise ValueError("biased_present cannot exceed present_voting")
        required = more_than_half(statutory_members)
        counted = present_voting - biased_present
        params = {
            "counted": counted,
            "statutory": statutory_members,
            "required": required,
        }
        if second_invitation:
            return QuorumResult(
                reached=True,
                required=required,
                counted=counted,
                explanation=_interpolate(
                    _(
                        "Second invitation for the same matter: quorate regardless "
                        "of attendance (%(counted)s of %(statutory)s statutory "
                        "members present)."
                    ),
                    params,
                ),
                legal_basis=self.quorum_basis,
            )
        if self.quorate_if_majority_biased and 2 * biased_present > statutory_members:
            return QuorumResult(
                reached=True,
                required=required,
                counted=counted,
                explanation=_interpolate(
                    _(
                        "More than half of the %(statutory)s statutory members are "
                        "excluded for bias: quorate regardless of attendance; the "
                        "resolution needs the approval of the supervisory authority."
                    ),
                    params,
                ),
                legal_basis=self.quorum_basis,
                needs_supervisory_approval=True,
            )
        reached = counted >= required
        if reached:
            message = _(
                "Quorate: %(counted)s of %(statutory)s statutory members present "
                "and entitled to vote; %(required)s required."
            )
        else:
            message = _(
                "Not quorate: %(counted)s of %(statutory)s statutory members present "
                "and entitled to vote; %(required)s required."
            )
        return QuorumResult(
            reached=reached,
            required=required,
            counted=counted,
            explanation=_interpolate(message, params),
            legal_basis=self.quorum_basis,
        )

    # Majority (Stimmenmehrheit)

    def majority(
        self, *, yes: int, no: int, abstain: int = 0, invalid: int = 0
    ) -> MajorityResult:
        """Whether a motion is carried by a simple majority of the votes cast.

        More yes than no votes carries it; a tie rejects it; abstentions and
        invalid votes are not counted (§ 50 Abs. 1 GO NRW, abstentions § 50
        Abs. 5 GO NRW; § 54 Abs. 1 HGO). Qualified majorities that a statute
        prescribes for particular matters are not covered here.
        """
        _require_non_negative(yes=yes, no=no, abstain=abstain, invalid=invalid)
        params = {"yes": yes, "no": no, "abstain": abstain}
        if yes > no:
            message = _(
                "Accepted: %(yes)s yes, %(no)s no; %(abstain)s abstentions are "
                "not counted."
            )
        elif yes == no:
            message = _(
                "Rejected: %(yes)s yes, %(no)s no; a tie rejects the motion; "
                "%(abstain)s abstentions are not counted."
            )
        else:
            message = _(
                "Rejected: %(yes)s yes, %(no)s no; %(abstain)s abstentions are "
                "not counted."
            )
        return MajorityResult(
            accepted=yes > no,
            explanation=_interpolate(message, params),
            legal_basis=self.majority_basis,
        )

    # Secret votes (geheime Abstimmung)

    def required_for_secret_vote(self, statutory_members: int) -> int | None:
        """How many members must request a secret vote on a matter.

        NRW: at least one fifth of the statutory members (§ 50 Abs. 1 S. 5
        GO NRW), rounded up: 41 members need 9. ``None`` where votes on matters
        are always open (Hessen, § 54 HGO).
        """
        _require_statutory(statutory_members)
        if self.secret_vote_share is None:
            return None
        return at_least_share(self.secret_vote_share, statutory_members)

    def secret_vote_allowed(
        self, *, is_election: bool, requested_by: int, statutory_members: int
    ) -> bool:
        """Whether this vote may be (and, so requested, must be) taken in secret.

        Elections: True in both codes. NRW § 50 Abs. 2 GO NRW: by ballot papers
        as soon as anyone objects to an open vote; Hessen § 55 HGO: by secret
        ballot unless nobody objects to an open vote.

        Matters: NRW § 50 Abs. 1 S. 5 GO NRW: secret when at least one fifth of
        the statutory members request it (that request takes precedence over a
        request for a roll-call vote). Hessen § 54 HGO: votes on matters are
        open, never secret.
        """
        _require_non_negative(requested_by=requested_by)
        if is_election:
            return True
        required = self.required_for_secret_vote(statutory_members)
        return required is not None and requested_by >= required

    # Invitation deadline (Ladungsfrist)

    def effective_invitation_period_days(
        self, *, organization_days: int | None = None, body_days: int | None = None
    ) -> int:
        """The period that applies: the organization's, else the body's, else
        the code's default (the Geschäftsordnung may differ per committee)."""
        for days in (organization_days, body_days):
            if days is not None:
                return days
        return self.invitation_period_days

    def invitation_deadline(
        self, *, meeting_start: dt.datetime, period_days: int | None = None
    ) -> dt.datetime:
        """The last moment (Europe/Berlin) at which the invitation may arrive.

        The period counts full calendar days strictly between the day of
        receipt and the meeting day, neither of them included: § 58 Abs. 1
        S. 2 HGO ("zwischen dem Zugang der Ladung und dem Sitzungstag müssen
        mindestens drei Tage liegen"); NRW leaves the period to the
        Geschäftsordnung (§ 47 Abs. 2 GO NRW), which commonly uses the same
        wording. So with 3 days, a Thursday meeting must be reached by the end
        of the Sunday before (Monday, Tuesday, Wednesday lie in between).

        Receipt is taken to be dispatch, as for invitations sent electronically
        through the portal; for letters pass the expected day of receipt.
        ``period_days=0`` is Hessen's shortened period in urgent cases: receipt
        on the day before the meeting at the latest (§ 58 Abs. 1 S. 3 HGO).
        """
        period = self.invitation_period_days if period_days is None else period_days
        _require_non_negative(period_days=period)
        latest_day = _local_day(meeting_start) - dt.timedelta(days=period + 1)
        return dt.datetime.combine(latest_day, dt.time.max, tzinfo=LOCAL_TIME)

    def invitation_in_time(
        self,
        *,
        sent: dt.datetime,
        meeting_start: dt.datetime,
        period_days: int | None = None,
    ) -> bool:
        """Whether an invitation sent (received) at ``sent`` keeps the period;
        see :meth:`invitation_deadline`."""
        deadline = self.invitation_deadline(
            meeting_start=meeting_start, period_days=period_days
        )
        return _local_day(sent) <= deadline.date()

    # Items added after the invitation (Erweiterung der Tagesordnung)

    def required_for_late_item(self, statutory_members: int) -> int | None:
        """How many members must agree to add an item after the invitation.

        Hessen § 58 Abs. 2 HGO: two thirds of the statutory members, rounded
        up: 31 members need 21. ``None`` in NRW, where a simple majority of the
        votes cast decides (§ 48 Abs. 1 S. 5 GO NRW), so no fixed number exists.
        """
        _require_statutory(statutory_members)
        if self.late_item_share is None:
            return None
        return at_least_share(self.late_item_share, statutory_members)

    def late_item_allowed(
        self,
        *,
        urgent: bool,
        votes_for: int,
        votes_against: int,
        statutory_members: int,
    ) -> bool:
        """Whether an item not on the invitation's agenda may be dealt with.

        NRW § 48 Abs. 1 S. 5 GO NRW: the council extends the agenda by
        resolution (simple majority of the votes cast, tie rejects) and only for
        matters that brook no delay or are of utmost urgency, so ``urgent`` is
        required. Hessen § 58 Abs. 2 HGO: two thirds of the statutory members
        must agree; the statute asks no urgency (a Geschäftsordnung may), so
        ``urgent`` is ignored and ``votes_against`` does not matter.
        """
        _require_non_negative(votes_for=votes_for, votes_against=votes_against)
        if self.late_item_requires_urgency and not urgent:
            return False
        required = self.required_for_late_item(statutory_members)
        if required is None:
            return votes_for > votes_against
        return votes_for >= required


NRW = MunicipalCode(
    key="nrw",
    label=_("North Rhine-Westphalia (GO NRW)"),
    # § 47 Abs. 2 GO NRW leaves the period to the Geschäftsordnung; seven full
    # days is the common choice, bodies set their own on Body/Organization.
    invitation_period_days=7,
    secret_vote_share=Fraction(1, 5),
    late_item_share=None,
    late_item_requires_urgency=True,
    quorate_if_majority_biased=False,
    quorum_basis="§ 49 GO NRW",
    majority_basis="§ 50 Abs. 1 GO NRW",
    voting_mode_basis="§ 50 Abs. 1 GO NRW",
    election_basis="§ 50 Abs. 2 GO NRW",
    invitation_basis="§ 47 Abs. 2 GO NRW",
    late_item_basis="§ 48 Abs. 1 GO NRW",
)

HESSEN = MunicipalCode(
    key="hessen",
    label=_("Hesse (HGO)"),
    # § 58 Abs. 1 HGO: at least three days, the statutory minimum; many
    # Geschäftsordnungen set more, bodies set theirs on Body/Organization.
    invitation_period_days=3,
    secret_vote_share=None,
    late_item_share=Fraction(2, 3),
    late_item_requires_urgency=False,
    quorate_if_majority_biased=True,
    quorum_basis="§ 53 HGO",
    majority_basis="§ 54 Abs. 1 HGO",
    voting_mode_basis="§ 54 HGO",
    election_basis="§ 55 HGO",
    invitation_basis="§ 58 Abs. 1 HGO",
    late_item_basis="§ 58 Abs. 2 HGO",
)

MUNICIPAL_CODES: dict[str, MunicipalCode] = {code.key: code for code in (NRW, HESSEN)}


class UnknownMunicipalCodeError(ValueError):
    def __init__(self, key: object) -> None:
        self.key = key
        super().__init__(
            gettext("Unknown municipal code profile: %(key)s") % {"key": key}
        )


def get_code(key: str) -> MunicipalCode:
    """The profile registered under ``key``; raises UnknownMunicipalCodeError."""
    try:
        return MUNICIPAL_CODES[key]
    except KeyError:
        raise UnknownMunicipalCodeError(key) from None


def municipal_code_choices() -> list[tuple[str, StrOrPromise]]:
    """Choices for forms and the model field (pass the function: Django calls it,
    so a Land registered later appears without a migration)."""
    return [(code.key, code.label) for code in MUNICIPAL_CODES.values()]


def validate_municipal_code(value: str) -> None:
    """Model field validator: ``value`` must name a registered profile."""
    if value not in MUNICIPAL_CODES:
        raise ValidationError(
            _("Unknown municipal code profile."),
            code="unknown_municipal_code",
            params={"value": value},
        )
