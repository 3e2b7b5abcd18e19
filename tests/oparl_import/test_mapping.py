"""The words our own OParl API emits map back to the values they came from,
so that importing our own API yields the same public data; foreign words
map to the nearest value."""

import datetime as dt

import pytest

from documents.models import PaperType
from gremien.models import Membership, Organization
from gremien.rules import LOCAL_TIME
from publicportal.oparl_import.mapping import (
    CONSULTATION_ROLES,
    DEFAULT_MEMBERSHIP_ROLES,
    RESULTS,
    meeting_state,
    membership_kind,
    organization_kind,
    paper_type,
    person_names,
)
from publicportal.oparl_import.values import digits_key, text
from sessions.models import AgendaItem, Consultation, Meeting

NOW = dt.datetime(2026, 3, 1, 12, tzinfo=LOCAL_TIME)
PAST = NOW - dt.timedelta(days=30)
AHEAD = NOW + dt.timedelta(days=30)


@pytest.mark.parametrize("state", Meeting.State.values)
def test_our_meeting_states_come_back(state):
    word = Meeting.OPARL_STATES[state]
    data = {"meetingState": word, "cancelled": state == Meeting.State.CANCELLED}
    start = PAST if state in (*Meeting.HELD_STATES, "running") else AHEAD
    assert meeting_state(data, {}, start, NOW) == state


def test_foreign_meetings_get_the_state_their_publication_shows():
    assert meeting_state({}, {}, PAST, NOW) == Meeting.State.PUBLISHED
    assert meeting_state({"agendaItem": ["x"]}, {}, AHEAD, NOW) == Meeting.State.INVITED
    assert meeting_state({}, {}, AHEAD, NOW) == Meeting.State.PLANNED
    assert meeting_state({"cancelled": True}, {}, AHEAD, NOW) == "cancelled"
    # "durchgeführt" with published minutes: the minutes are public.
    held = {"meetingState": "durchgeführt", "resultsProtocol": "x"}
    assert meeting_state(held, {}, PAST, NOW) == Meeting.State.PUBLISHED


def test_our_results_and_consultation_roles_come_back():
    for result, word in AgendaItem.OPARL_RESULTS.items():
        assert RESULTS[word.lower()] == result
    for role, word in Consultation.OPARL_ROLES.items():
        assert CONSULTATION_ROLES[word.lower()] == role


def test_membership_roles():
    for kind, word in DEFAULT_MEMBERSHIP_ROLES.items():
        assert membership_kind(word) == kind
    assert membership_kind("Sachkundiger Bürger") == Membership.Kind.CITIZEN_MEMBER
    assert membership_kind("stellv. Mitglied") == Membership.Kind.DEPUTY
    assert membership_kind("Persönliche Vertreterin") == Membership.Kind.DEPUTY
    assert membership_kind("stellvertetender Ausschussvorsitzender") == "member"
    assert membership_kind("1. stellv. Bürgermeisterin") == "member"
    assert membership_kind("beratendes Mitglied") == Membership.Kind.ADVISORY
    assert membership_kind("Vorsitzender") == Membership.Kind.MEMBER


def test_our_organization_types_come_back():
    for kind in Organization.Kind.values:
        assert (
            organization_kind(
                Organization.OPARL_TYPES[kind],
                Organization.DEFAULT_CLASSIFICATIONS[kind],
                "Irgendein Name",
            )
            == kind
        )
    assert organization_kind("Gremium", "Gremien", "Gemeinderat") == "council"
    assert organization_kind("Gremium", "Gremien", "Bauausschuss") == "committee"
    assert organization_kind("Dienststellen", "", "Abteilung 1") == "department"


def test_paper_types():
    for value in PaperType.values:
        assert paper_type(value) == (value, "")
    assert paper_type("Mitteilungsvorlage") == ("Mitteilung", "")
    assert paper_type("Tischvorlage") == ("Beschlussvorlage", "Tischvorlage")
    assert paper_type("Fraktionsantrag") == ("Antrag", "Fraktionsantrag")
    assert paper_type("Große Anfrage") == ("Anfrage", "Große Anfrage")


def test_names_and_keys():
    assert person_names({"id": "x", "name": "Herr Dr. Peter von Huppertz"}) == (
        "Peter",
        "von Huppertz",
    )
    assert person_names({"id": "x", "name": "Huppertz, Peter"}) == ("Peter", "Huppertz")
    assert person_names({"id": "x", "name": "Peter Huppertz", "familyName": "N/A"}) == (
        "Peter",
        "Huppertz",
    )
    assert digits_key("5358016", 8) == "05358016"
    assert digits_key("051140000", 8) == ""
    assert text({"name": "N/A"}, "name") == ""
