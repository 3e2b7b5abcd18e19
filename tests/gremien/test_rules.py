"""The municipal code rules: quorum, majority, secret votes, invitation deadline,
late agenda items, and the registry of Land profiles. Pure logic, no database."""

import ast
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from gremien import rules
from gremien.rules import (
    DEFAULT_MUNICIPAL_CODE,
    HESSEN,
    MUNICIPAL_CODES,
    NRW,
    UnknownMunicipalCodeError,
    get_code,
    municipal_code_choices,
    validate_municipal_code,
)

BERLIN = ZoneInfo("Europe/Berlin")
BOTH = pytest.mark.parametrize("code", [NRW, HESSEN], ids=["nrw", "hessen"])


def berlin(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BERLIN)


def english(text) -> str:
    with translation.override("en"):
        return str(text)


# Quorum


@BOTH
@pytest.mark.parametrize(
    ("statutory", "required"), [(21, 11), (20, 11), (41, 21), (2, 2), (1, 1)]
)
def test_quorum_needs_more_than_half_of_the_statutory_members(
    code, statutory, required
):
    just_enough = code.quorum(statutory_members=statutory, present_voting=required)
    one_short = code.quorum(statutory_members=statutory, present_voting=required - 1)

    assert just_enough.required == required
    assert just_enough.reached is True
    assert one_short.reached is False


@BOTH
def test_members_excluded_for_bias_do_not_count_as_present(code):
    result = code.quorum(statutory_members=21, present_voting=12, biased_present=2)

    assert result.counted == 10
    assert result.reached is False
    assert code.quorum(
        statutory_members=21, present_voting=12, biased_present=1
    ).reached


@BOTH
def test_second_invitation_is_quorate_regardless_of_attendance(code):
    result = code.quorum(statutory_members=21, present_voting=3, second_invitation=True)

    assert result.reached is True
    assert result.counted == 3
    assert "Second invitation" in english(result.explanation)


def test_hessen_quorate_when_more_than_half_are_biased_but_needs_approval():
    result = HESSEN.quorum(statutory_members=21, present_voting=15, biased_present=11)

    assert result.reached is True
    assert result.needs_supervisory_approval is True
    assert result.legal_basis == "§ 53 HGO"


def test_hessen_exactly_half_biased_is_the_ordinary_rule():
    result = HESSEN.quorum(statutory_members=20, present_voting=15, biased_present=10)

    assert result.reached is False
    assert result.needs_supervisory_approval is False


def test_nrw_has_no_quorum_exception_for_a_biased_majority():
    result = NRW.quorum(statutory_members=21, present_voting=15, biased_present=11)

    assert result.counted == 4
    assert result.reached is False
    assert result.needs_supervisory_approval is False


def test_quorum_explanation_names_the_numbers():
    result = NRW.quorum(statutory_members=21, present_voting=10)

    assert english(result.explanation) == (
        "Not quorate: 10 of 21 statutory members present and entitled to vote; "
        "11 required."
    )
    assert result.legal_basis == "§ 49 GO NRW"


@pytest.mark.parametrize(
    "counts",
    [
        {"statutory_members": 0, "present_voting": 0},
        {"statutory_members": 21, "present_voting": -1},
        {"statutory_members": 21, "present_voting": 5, "biased_present": 6},
    ],
)
def test_quorum_rejects_impossible_counts(counts):
    with pytest.raises(ValueError):
        NRW.quorum(**counts)


# Majority


@BOTH
def test_more_yes_than_no_carries_the_motion(code):
    assert code.majority(yes=6, no=5).accepted is True
    assert code.majority(yes=5, no=6).accepted is False


@BOTH
def test_tie_rejects_the_motion(code):
    result = code.majority(yes=7, no=7, abstain=1)

    assert result.accepted is False
    assert "a tie rejects the motion" in english(result.explanation)


@BOTH
def test_abstentions_and_invalid_votes_do_not_count(code):
    result = code.majority(yes=5, no=4, abstain=30, invalid=3)

    assert result.accepted is True
    assert english(result.explanation) == (
        "Accepted: 5 yes, 4 no; 30 abstentions are not counted."
    )


@BOTH
def test_no_votes_cast_is_not_a_majority(code):
    assert code.majority(yes=0, no=0, abstain=12).accepted is False


def test_majority_rejects_negative_counts():
    with pytest.raises(ValueError):
        HESSEN.majority(yes=3, no=-1)


# Secret votes


@pytest.mark.parametrize(
    ("statutory", "required"), [(41, 9), (40, 8), (21, 5), (5, 1), (1, 1)]
)
def test_nrw_secret_vote_needs_a_fifth_of_the_statutory_members(statutory, required):
    assert NRW.required_for_secret_vote(statutory) == required
    assert NRW.secret_vote_allowed(
        is_election=False, requested_by=required, statutory_members=statutory
    )
    assert not NRW.secret_vote_allowed(
        is_election=False, requested_by=required - 1, statutory_members=statutory
    )


def test_hessen_never_votes_secretly_on_matters():
    assert HESSEN.required_for_secret_vote(41) is None
    assert not HESSEN.secret_vote_allowed(
        is_election=False, requested_by=41, statutory_members=41
    )


@BOTH
def test_elections_may_be_secret_without_any_request(code):
    assert code.secret_vote_allowed(
        is_election=True, requested_by=0, statutory_members=41
    )


# Invitation deadline


def test_hessen_thursday_meeting_needs_the_invitation_by_the_sunday_before():
    meeting = berlin(2026, 3, 12, 18, 0)  # Thursday

    deadline = HESSEN.invitation_deadline(meeting_start=meeting)

    assert deadline.date() == dt.date(2026, 3, 8)  # Sunday: Mon, Tue, Wed between
    assert deadline.astimezone(BERLIN).time() == dt.time.max
    assert HESSEN.invitation_in_time(
        sent=berlin(2026, 3, 8, 23, 30), meeting_start=meeting
    )
    assert not HESSEN.invitation_in_time(
        sent=berlin(2026, 3, 9, 0, 5), meeting_start=meeting
    )


def test_nrw_default_is_seven_full_days():
    meeting = berlin(2026, 3, 12, 17, 0)  # Thursday

    deadline = NRW.invitation_deadline(meeting_start=meeting)

    assert NRW.invitation_period_days == 7
    assert deadline.date() == dt.date(2026, 3, 4)  # 5th to 11th lie between
    assert not NRW.invitation_in_time(
        sent=berlin(2026, 3, 5, 8, 0), meeting_start=meeting
    )


@BOTH
def test_explicit_period_overrides_the_default(code):
    meeting = berlin(2026, 3, 12, 18, 0)

    deadline = code.invitation_deadline(meeting_start=meeting, period_days=10)

    assert deadline.date() == dt.date(2026, 3, 1)


def test_hessen_shortened_period_means_receipt_the_day_before():
    meeting = berlin(2026, 3, 12, 18, 0)

    assert HESSEN.invitation_in_time(
        sent=berlin(2026, 3, 11, 20, 0), meeting_start=meeting, period_days=0
    )
    assert not HESSEN.invitation_in_time(
        sent=berlin(2026, 3, 12, 8, 0), meeting_start=meeting, period_days=0
    )


def test_days_are_counted_in_berlin_not_utc():
    # 00:30 on Thursday in Berlin is still Wednesday in UTC.
    meeting = dt.datetime(2026, 3, 11, 23, 30, tzinfo=dt.UTC)
    # 23:30 UTC on Sunday is already Monday, 00:30, in Berlin: too late.
    late = dt.datetime(2026, 3, 8, 23, 30, tzinfo=dt.UTC)

    assert HESSEN.invitation_deadline(meeting_start=meeting).date() == dt.date(
        2026, 3, 8
    )
    assert not HESSEN.invitation_in_time(sent=late, meeting_start=meeting)


def test_deadline_across_the_change_to_winter_time():
    meeting = berlin(2026, 10, 29, 18, 0)  # Thursday; clocks go back on Sunday 25th

    deadline = HESSEN.invitation_deadline(meeting_start=meeting)

    assert deadline.date() == dt.date(2026, 10, 25)
    assert deadline.utcoffset() == dt.timedelta(hours=1)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        NRW.invitation_deadline(meeting_start=dt.datetime(2026, 3, 12, 18, 0))  # noqa: DTZ001


@pytest.mark.parametrize(
    ("organization_days", "body_days", "expected"),
    [(5, 10, 5), (None, 10, 10), (None, None, 3), (0, 10, 0)],
)
def test_organization_period_beats_body_period_beats_default(
    organization_days, body_days, expected
):
    assert (
        HESSEN.effective_invitation_period_days(
            organization_days=organization_days, body_days=body_days
        )
        == expected
    )


# Items added after the invitation


@pytest.mark.parametrize(("statutory", "required"), [(31, 21), (30, 20), (20, 14)])
def test_hessen_late_item_needs_two_thirds_of_the_statutory_members(
    statutory, required
):
    assert HESSEN.required_for_late_item(statutory) == required
    assert HESSEN.late_item_allowed(
        urgent=True,
        votes_for=required,
        votes_against=0,
        statutory_members=statutory,
    )
    assert not HESSEN.late_item_allowed(
        urgent=True,
        votes_for=required - 1,
        votes_against=0,
        statutory_members=statutory,
    )


def test_hessen_late_item_counts_statutory_members_not_votes_cast():
    # A unanimous but thin house is not enough.
    assert not HESSEN.late_item_allowed(
        urgent=True, votes_for=18, votes_against=0, statutory_members=31
    )
    # Urgency is not a statutory condition in Hessen.
    assert HESSEN.late_item_allowed(
        urgent=False, votes_for=21, votes_against=5, statutory_members=31
    )


def test_nrw_late_item_needs_urgency_and_a_simple_majority():
    assert NRW.required_for_late_item(41) is None
    assert NRW.late_item_allowed(
        urgent=True, votes_for=12, votes_against=11, statutory_members=41
    )
    assert not NRW.late_item_allowed(
        urgent=True, votes_for=11, votes_against=11, statutory_members=41
    )
    assert not NRW.late_item_allowed(
        urgent=False, votes_for=41, votes_against=0, statutory_members=41
    )


# Registry


def test_registry_holds_nrw_and_hessen_with_nrw_as_default():
    assert get_code("nrw") is NRW
    assert get_code("hessen") is HESSEN
    assert get_code(DEFAULT_MUNICIPAL_CODE) is NRW
    assert english(NRW.label) == "North Rhine-Westphalia (GO NRW)"


def test_unknown_profile_is_refused_with_a_message():
    with pytest.raises(UnknownMunicipalCodeError) as raised:
        get_code("bayern")

    assert isinstance(raised.value, ValueError)
    assert raised.value.key == "bayern"
    assert str(raised.value) == "Unbekannte Gemeindeordnung: bayern"


def test_validator_accepts_registered_profiles_and_refuses_others():
    validate_municipal_code("hessen")

    with pytest.raises(ValidationError) as raised:
        validate_municipal_code("bayern")

    assert raised.value.code == "unknown_municipal_code"


def test_choices_list_every_profile():
    choices = dict(municipal_code_choices())

    assert set(choices) == {"nrw", "hessen"}
    assert english(choices["hessen"]) == "Hesse (HGO)"


def test_a_new_land_is_one_registry_entry(monkeypatch):
    saxony = rules.MunicipalCode(
        key="sachsen",
        label="Saxony (SächsGemO)",
        invitation_period_days=5,
        secret_vote_share=None,
        late_item_share=None,
        late_item_requires_urgency=True,
        quorate_if_majority_biased=False,
        quorum_basis="§ 39 SächsGemO",
        majority_basis="§ 39 SächsGemO",
        voting_mode_basis="§ 39 SächsGemO",
        election_basis="§ 39 SächsGemO",
        invitation_basis="§ 36 SächsGemO",
        late_item_basis="§ 36 SächsGemO",
    )
    monkeypatch.setitem(MUNICIPAL_CODES, "sachsen", saxony)

    assert get_code("sachsen") is saxony
    assert ("sachsen", "Saxony (SächsGemO)") in municipal_code_choices()
    validate_municipal_code("sachsen")


def test_rules_import_no_models_so_every_app_may_use_them():
    tree = ast.parse(Path(rules.__file__).read_text(encoding="utf-8"))
    imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    } | {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }

    assert not any(
        name.startswith(("gremien", "documents", "sessions", "publicportal"))
        or name.startswith("django.db")
        for name in imported
    ), imported
