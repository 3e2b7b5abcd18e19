"""The calendar feeds: what a calendar app subscribing to them gets."""

import datetime as dt

import icalendar
import pytest

from sessions.ics import event_uid
from sessions.services.lifecycle import meeting_reschedule
from tests.publicportal.world import berlin

CALENDAR = "/feeds/sitzungen.ics"


def get_calendar(client, url=CALENDAR, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response, icalendar.Calendar.from_ical(response.content)


def events_by_summary(calendar) -> dict:
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_calendar_of_the_body_has_the_required_properties(client, world):
    response, calendar = get_calendar(client)

    assert response["Content-Disposition"] == 'inline; filename="sitzungen.ics"'
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    assert calendar["CALSCALE"] == "GREGORIAN"
    assert "Stadt Neuhausen" in calendar["X-WR-CALNAME"]
    assert calendar["X-WR-TIMEZONE"] == "Europe/Berlin"
    [zone] = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/Berlin"
    events = calendar.walk("VEVENT")
    for event in events:
        assert event["UID"] and event["DTSTAMP"] and event["DTEND"]
        assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
        assert "SEQUENCE" in event and "LAST-MODIFIED" in event
    by_summary = events_by_summary(calendar)
    assert set(by_summary) == {
        "3. Sitzung des Bauausschusses",
        "5. Sitzung des Rates",
        "4. Sitzung des Bauausschusses",
    }


def test_a_meeting_event_carries_time_place_link_and_public_agenda(client, world):
    _response, calendar = get_calendar(client)
    council = events_by_summary(calendar)["5. Sitzung des Rates"]

    assert council["UID"] == event_uid(world.council_meeting)
    assert council["UID"] == f"{world.council_meeting.uid}@gremienportal"
    assert council.DTSTART == berlin(12, 3, 18)
    assert council.DTSTART.tzinfo.key == "Europe/Berlin"
    assert council.DTEND - council.DTSTART == dt.timedelta(hours=2)
    assert council["STATUS"] == "CONFIRMED"
    assert council["SEQUENCE"] == world.council_meeting.sequence
    assert council["LOCATION"] == "Rathaus, Ratssaal, Marktplatz 1, 12345 Neuhausen"
    assert council["URL"] == (
        f"http://neuhausen.localhost/sitzungen/{world.council_meeting.slug}/"
    )
    description = str(council["DESCRIPTION"])
    assert "Rat der Stadt" in description
    assert "Bebauungsplan Nr. 12 Am Mühlenbach" in description
    assert world.marker not in description


def test_cancelled_meeting_is_marked_cancelled(client, world):
    _response, calendar = get_calendar(client)
    cancelled = events_by_summary(calendar)["4. Sitzung des Bauausschusses"]

    assert cancelled["UID"] == event_uid(world.cancelled)
    assert cancelled["STATUS"] == "CANCELLED"
    assert cancelled["SEQUENCE"] == world.cancelled.sequence


def test_uids_are_stable_and_rescheduling_raises_the_sequence(client, world, clock):
    _response, first = get_calendar(client)
    _response, second = get_calendar(client)
    uids = [str(e["UID"]) for e in first.walk("VEVENT")]
    assert uids == [str(e["UID"]) for e in second.walk("VEVENT")]

    meeting_reschedule(
        actor=world.clerk,
        meeting=world.council_meeting,
        start=berlin(12, 10, 18),
        reason="Terminkollision",
    )
    _response, third = get_calendar(client)
    council = events_by_summary(third)["5. Sitzung des Rates"]
    assert str(council["UID"]) == event_uid(world.council_meeting)
    assert council.DTSTART == berlin(12, 10, 18)
    assert (
        council["SEQUENCE"]
        > events_by_summary(first)["5. Sitzung des Rates"]["SEQUENCE"]
    )


def test_nothing_non_public_is_in_any_calendar(client, world):
    urls = [
        CALENDAR,
        f"{CALENDAR}?gremium={world.bau.pk}",
        f"{CALENDAR}?gremium={world.council.pk}",
        f"{CALENDAR}?gremium={world.fraction.pk}",
        f"/feeds/sitzung-{world.council_meeting.slug}.ics",
        f"/feeds/sitzung-{world.held_meeting.slug}.ics",
        f"/en{CALENDAR}",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert world.marker.encode() not in response.content, url
    _response, calendar = get_calendar(client)
    assert event_uid(world.closed_meeting) not in {
        str(e["UID"]) for e in calendar.walk("VEVENT")
    }


def test_calendar_of_one_organization(client, world):
    _response, calendar = get_calendar(client, gremium=world.bau.pk)

    assert "Bauausschuss" in calendar["X-WR-CALNAME"]
    assert set(events_by_summary(calendar)) == {
        "3. Sitzung des Bauausschusses",
        "4. Sitzung des Bauausschusses",
    }
    _response, fraction = get_calendar(client, gremium=world.fraction.pk)
    assert fraction.walk("VEVENT") == [], "the fraction's meeting is not public"


def test_calendar_of_one_meeting_by_address_or_number(client, world):
    for key in (world.held_meeting.slug, world.held_meeting.pk):
        response, calendar = get_calendar(client, f"/feeds/sitzung-{key}.ics")
        [event] = calendar.walk("VEVENT")
        assert event["UID"] == event_uid(world.held_meeting)
        assert calendar.walk("VTIMEZONE")
    assert (
        response["Content-Disposition"]
        == f'inline; filename="sitzung-{world.held_meeting.pk}.ics"'
    )


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/unbekannt.ics",
        "/feeds/vorlagen.ics",
        "/feeds/sitzungen.pdf",
        "/feeds/sitzungen.ics?gremium=abc",
        "/feeds/sitzungen.ics?gremium=999999",
        "/feeds/sitzung-1999-01-01-gibt-es-nicht.ics",
    ],
)
def test_unknown_feeds_are_not_found(client, world, url):
    assert client.get(url).status_code == 404


def test_non_public_meeting_has_no_calendar_of_its_own(client, world):
    for key in (world.closed_meeting.slug, world.closed_meeting.pk):
        response = client.get(f"/feeds/sitzung-{key}.ics")
        assert response.status_code == 404


def test_meeting_made_non_public_leaves_the_calendar(client, world):
    world.council_meeting.public = False
    world.council_meeting.save(update_fields=["public", "modified"])

    _response, calendar = get_calendar(client)
    assert "5. Sitzung des Rates" not in events_by_summary(calendar)
    assert world.council_meeting.name.encode() not in client.get(CALENDAR).content


def test_organization_of_another_body_is_not_found(client, world, clock):
    from tests.gremien.factories import OrganizationFactory

    stranger = OrganizationFactory(name="Kreistag")
    response = client.get(CALENDAR, {"gremium": stranger.pk})
    assert response.status_code == 404


def test_unchanged_calendar_answers_not_modified(client, world):
    response, _calendar = get_calendar(client)
    again = client.get(CALENDAR, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_calendar_agenda_only_after_invitation(client, world, clock):
    from sessions.services.agenda import agenda_item_add
    from sessions.services.lifecycle import meeting_create

    planned = meeting_create(
        actor=world.clerk,
        body=world.body,
        organizations=[world.bau],
        name="6. Sitzung des Bauausschusses",
        start=berlin(12, 15, 17),
        location=world.location,
    )
    agenda_item_add(actor=world.clerk, meeting=planned, name="Noch geheimer Entwurf")

    _response, calendar = get_calendar(client)
    event = events_by_summary(calendar)["6. Sitzung des Bauausschusses"]
    assert "Noch geheimer Entwurf" not in str(event["DESCRIPTION"])
