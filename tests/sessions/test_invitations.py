"""Invitations: deadline, urgency, recipients, deliveries, letter and calendar."""

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail.backends.locmem import EmailBackend

from gremien.models import Membership
from sessions.models import Delivery, Dispatch, Meeting
from sessions.services.invitations import meeting_invite, meeting_send_addendum
from tests.gremien.factories import UserFactory

from .agenda_factories import Clock
from .lifecycle_factories import (
    NOW,
    add_item,
    attachment_type,
    berlin,
    calendar_of,
    committee,
    error_codes,
    mails_to,
    plan,
    seat,
    setup_committee,
    staff_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, NOW)


def invite(actor, meeting, capture, **kwargs):
    with capture(execute=True):
        return meeting_invite(actor=actor, meeting=meeting, **kwargs)


def planned_with_agenda(actor, organization, start, **fields):
    meeting = plan(actor, [organization], start, **fields)
    add_item(meeting, "Eröffnung der Sitzung")
    return meeting


# --- Deadline (Ladungsfrist) --------------------------------------------------


@pytest.mark.parametrize(
    ("code", "body_days", "organization_days", "day", "in_time"),
    [
        # Hessen § 58 HGO: three full days between Monday 2nd and the meeting.
        ("hessen", None, None, 6, True),
        ("hessen", None, None, 5, False),
        # NRW default: seven days.
        ("nrw", None, None, 10, True),
        ("nrw", None, None, 9, False),
        # The body's standing orders set their own period …
        ("nrw", 2, None, 5, True),
        ("hessen", 5, None, 6, False),
        # … and a committee's overrides the body's.
        ("nrw", 10, 2, 5, True),
        ("hessen", None, 5, 6, False),
    ],
)
def test_invitation_deadline(
    clock,
    django_capture_on_commit_callbacks,
    code,
    body_days,
    organization_days,
    day,
    in_time,
):
    body, organization, actor = setup_committee(code, invitation_period_days=body_days)
    organization.invitation_period_days = organization_days
    organization.save()
    meeting = planned_with_agenda(actor, organization, berlin(day))

    if in_time:
        invite(actor, meeting, django_capture_on_commit_callbacks)
        meeting.refresh_from_db()
        assert meeting.state == Meeting.State.INVITED
        assert meeting.invitation_sent_at == clock.now
        assert meeting.urgent_reason == ""
        assert len(mail.outbox) == 2
    else:
        with pytest.raises(ValidationError) as excinfo:
            invite(actor, meeting, django_capture_on_commit_callbacks)
        assert error_codes(excinfo) == {"invitation_too_late"}
        meeting.refresh_from_db()
        assert meeting.state == Meeting.State.PLANNED
        assert meeting.invitation_sent_at is None
        assert not Dispatch.objects.exists()
        assert mail.outbox == []


def test_too_late_message_names_latest_day(clock, django_capture_on_commit_callbacks):
    _body, organization, actor = setup_committee("hessen")
    meeting = planned_with_agenda(actor, organization, berlin(5))
    with pytest.raises(ValidationError) as excinfo:
        invite(actor, meeting, django_capture_on_commit_callbacks)
    # Thursday 5th with three days: the Sunday before, 1 March.
    assert "01.03.2026" in excinfo.value.messages[0]


def test_joint_meeting_uses_the_longest_period(
    clock, django_capture_on_commit_callbacks
):
    body, first, actor = setup_committee("hessen")
    second = committee(body, invitation_period_days=5)
    seat(second)
    meeting = plan(actor, [first, second], berlin(6))
    add_item(meeting, "Gemeinsame Beratung")
    with pytest.raises(ValidationError) as excinfo:
        invite(actor, meeting, django_capture_on_commit_callbacks)
    assert error_codes(excinfo) == {"invitation_too_late"}


def test_urgent_invitation_is_sent_with_the_reason_in_the_letter(
    clock, django_capture_on_commit_callbacks
):
    _body, organization, actor = setup_committee("hessen")
    meeting = planned_with_agenda(actor, organization, berlin(4))
    reason = "Die Förderfrist des Landes endet am 5. März."

    dispatch = invite(
        actor, meeting, django_capture_on_commit_callbacks, urgent_reason=reason
    )

    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.INVITED
    assert meeting.urgent_reason == reason
    assert dispatch.urgent_reason == reason
    assert reason in dispatch.text
    assert len(mail.outbox) == 2
    assert all(reason in message.body for message in mail.outbox)


def test_urgency_does_not_allow_an_invitation_on_the_meeting_day(
    clock, django_capture_on_commit_callbacks
):
    _body, organization, actor = setup_committee("hessen")
    meeting = planned_with_agenda(actor, organization, berlin(2, 19))
    with pytest.raises(ValidationError) as excinfo:
        invite(actor, meeting, django_capture_on_commit_callbacks, urgent_reason="Eilt")
    assert error_codes(excinfo) == {"invitation_too_late_urgent"}
    assert Meeting.objects.get(pk=meeting.pk).state == Meeting.State.PLANNED


def test_past_meeting_cannot_be_invited(clock, django_capture_on_commit_callbacks):
    _body, organization, actor = setup_committee("hessen")
    meeting = planned_with_agenda(actor, organization, berlin(2, 9))
    with pytest.raises(ValidationError) as excinfo:
        invite(actor, meeting, django_capture_on_commit_callbacks, urgent_reason="x")
    assert error_codes(excinfo) == {"meeting_in_past"}


def test_urgent_reason_is_not_recorded_when_the_invitation_is_in_time(
    clock, django_capture_on_commit_callbacks
):
    _body, organization, actor = setup_committee("hessen")
    meeting = planned_with_agenda(actor, organization, berlin(20))
    dispatch = invite(
        actor, meeting, django_capture_on_commit_callbacks, urgent_reason="Eilt"
    )
    meeting.refresh_from_db()
    assert meeting.urgent_reason == ""
    assert dispatch.urgent_reason == ""
    assert "Eilt" not in dispatch.text


# --- Refusals -----------------------------------------------------------------


def test_no_recipients_is_refused(clock, django_capture_on_commit_callbacks):
    body, _organization, actor = setup_committee("hessen")
    empty = committee(body)
    # Neither administration staff nor a membership that ended count.
    seat(empty, kind=Membership.Kind.STAFF)
    seat(empty, end_date=dt.date(2026, 2, 28))
    meeting = planned_with_agenda(actor, empty, berlin(20))

    with pytest.raises(ValidationError) as excinfo:
        invite(actor, meeting, django_capture_on_commit_callbacks)

    assert error_codes(excinfo) == {"no_recipients"}
    assert Meeting.objects.get(pk=meeting.pk).state == Meeting.State.PLANNED
    assert not Dispatch.objects.exists()


def test_meeting_without_agenda_is_refused(clock, django_capture_on_commit_callbacks):
    _body, organization, actor = setup_committee("hessen")
    meeting = plan(actor, [organization], berlin(20))
    with pytest.raises(ValidationError) as excinfo:
        invite(actor, meeting, django_capture_on_commit_callbacks)
    assert error_codes(excinfo) == {"agenda_empty"}
    assert mail.outbox == []


def test_inviting_twice_is_refused(clock, django_capture_on_commit_callbacks):
    _body, organization, actor = setup_committee("hessen")
    meeting = planned_with_agenda(actor, organization, berlin(20))
    invite(actor, meeting, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as excinfo:
        invite(actor, meeting, django_capture_on_commit_callbacks)
    assert error_codes(excinfo) == {"illegal_transition"}
    assert Dispatch.objects.count() == 1
    assert len(mail.outbox) == 2


def test_staff_of_another_body_cannot_invite(clock, django_capture_on_commit_callbacks):
    _body, organization, actor = setup_committee("hessen")
    meeting = planned_with_agenda(actor, organization, berlin(20))
    other = setup_committee("hessen")[2]
    without_permission = UserFactory()
    for user in (other, without_permission):
        with pytest.raises(PermissionDenied):
            invite(user, meeting, django_capture_on_commit_callbacks)
    assert Meeting.objects.get(pk=meeting.pk).state == Meeting.State.PLANNED
    assert mail.outbox == []


# --- Recipients and deliveries ------------------------------------------------


def test_every_member_and_deputy_is_invited_once(
    clock, django_capture_on_commit_callbacks
):
    body, organization, actor = setup_committee("hessen")
    citizen = seat(organization, kind=Membership.Kind.CITIZEN_MEMBER)
    advisory = seat(organization, kind=Membership.Kind.ADVISORY)
    seat(organization, kind=Membership.Kind.STAFF, email_address="amt@example.org")
    seat(organization, start_date=dt.date(2026, 4, 1), email_address="neu@example.org")
    other = committee(body)
    seat(other, person=citizen.person)
    meeting = plan(actor, [organization, other], berlin(20))
    add_item(meeting, "Gemeinsame Beratung")

    dispatch = invite(actor, meeting, django_capture_on_commit_callbacks)

    recipients = sorted(d.email for d in dispatch.deliveries.all())
    assert recipients == sorted(
        [
            "anna@example.org",
            "bert@example.org",
            citizen.person.email[0],
            advisory.person.email[0],
        ]
    )
    assert sorted(address for m in mail.outbox for address in m.to) == recipients


def test_person_without_email_is_listed_not_dropped(
    clock, django_capture_on_commit_callbacks
):
    _body, organization, actor = setup_committee("hessen")
    offline = seat(organization, email_address=None)
    meeting = planned_with_agenda(actor, organization, berlin(20))

    dispatch = invite(actor, meeting, django_capture_on_commit_callbacks)

    statuses = {d.person_id: d.status for d in dispatch.deliveries.all()}
    assert statuses[offline.person_id] == Delivery.Status.NO_ADDRESS
    assert sorted(statuses.values()) == sorted(
        [Delivery.Status.NO_ADDRESS, Delivery.Status.SENT, Delivery.Status.SENT]
    )
    assert len(mail.outbox) == 2


class FlakyRelayBackend(EmailBackend):
    """Stands in for an SMTP relay that refuses one address."""

    REFUSED = "kaputt@example.org"

    def send_messages(self, messages):
        for message in messages:
            if self.REFUSED in message.recipients():
                raise smtplib.SMTPRecipientsRefused(
                    {self.REFUSED: (550, b"5.1.1 mailbox unavailable")}
                )
        return super().send_messages(messages)


def test_failed_address_is_recorded_and_the_others_are_sent(
    clock, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyRelayBackend"
    _body, organization, actor = setup_committee("hessen")
    # Family names sort the refused recipient between the two others.
    broken = seat(organization, email_address=FlakyRelayBackend.REFUSED)
    broken.person.family_name = "Aaa"
    broken.person.save()
    meeting = planned_with_agenda(actor, organization, berlin(20))

    dispatch = invite(actor, meeting, django_capture_on_commit_callbacks)

    failed = dispatch.deliveries.get(email=FlakyRelayBackend.REFUSED)
    assert failed.status == Delivery.Status.FAILED
    assert "mailbox unavailable" in failed.error
    assert sorted(d.status for d in dispatch.deliveries.exclude(pk=failed.pk)) == [
        Delivery.Status.SENT,
        Delivery.Status.SENT,
    ]
    assert sorted(a for m in mail.outbox for a in m.to) == [
        "anna@example.org",
        "bert@example.org",
    ]


# --- Letter -------------------------------------------------------------------


def test_standard_letter_has_agenda_place_and_recipient(
    clock, django_capture_on_commit_callbacks
):
    _body, organization, actor = setup_committee("hessen")
    meeting = plan(actor, [organization], berlin(20), name="Bau & Verkehr")
    add_item(meeting, "Bebauungsplan Nr. 12 „Am Mühlbach“")
    add_item(meeting, "Grundstücksangelegenheit Flur 3", public=False)

    dispatch = invite(actor, meeting, django_capture_on_commit_callbacks)

    assert "Ö 1 Bebauungsplan Nr. 12 „Am Mühlbach“" in dispatch.text
    assert "N 2 Grundstücksangelegenheit Flur 3" in dispatch.text
    assert str(meeting.location) in dispatch.text
    assert "20. März 2026, 18:00" in dispatch.text
    assert meeting.name in dispatch.subject
    anna = organization.memberships.get(person__email=["anna@example.org"]).person
    (letter,) = mails_to("anna@example.org")
    assert f"{anna.form_of_address} {anna.name}" in letter.body
    assert "„Bau & Verkehr“" in letter.body
    assert "&amp;" not in letter.body


def test_body_letter_template_is_used(clock, django_capture_on_commit_callbacks):
    _body, organization, actor = setup_committee(
        "hessen",
        invitation_template=(
            "Liebe/r {{ recipient }}, die Sitzung {{ meeting }} des "
            "{{ organization }} beginnt am {{ start }} in {{ location }}.\n"
            "{{ agenda }}\n{{ signatory }}"
        ),
    )
    meeting = plan(actor, [organization], berlin(20), name="Bau & Verkehr")
    add_item(meeting, "Radweg <Hauptstraße>")

    dispatch = invite(actor, meeting, django_capture_on_commit_callbacks)

    assert "die Sitzung Bau & Verkehr des" in dispatch.text
    assert "Ö 1 Radweg <Hauptstraße>" in dispatch.text
    (letter,) = mails_to("anna@example.org")
    assert letter.body.startswith("Liebe/r Frau ")


def test_body_letter_without_agenda_gets_it_appended(
    clock, django_capture_on_commit_callbacks
):
    _body, organization, actor = setup_committee(
        "hessen", invitation_template="Einladung zu {{ meeting }}."
    )
    meeting = planned_with_agenda(actor, organization, berlin(4))
    dispatch = invite(
        actor, meeting, django_capture_on_commit_callbacks, urgent_reason="Frist"
    )
    assert "Eröffnung der Sitzung" in dispatch.text
    assert "Frist" in dispatch.text


@pytest.mark.parametrize(
    "template",
    [
        "{% load static %}{% static 'x' %}",
        "{% debug %}",
        "{% include 'x.txt' %}",
        "{{ recipient.__class__ }}",
    ],
)
def test_body_letter_template_is_sandboxed(
    clock, django_capture_on_commit_callbacks, template
):
    _body, organization, actor = setup_committee("hessen", invitation_template=template)
    meeting = planned_with_agenda(actor, organization, berlin(20))
    with pytest.raises(ValidationError) as excinfo:
        invite(actor, meeting, django_capture_on_commit_callbacks)
    assert error_codes(excinfo) == {"invitation_template_invalid"}
    assert Meeting.objects.get(pk=meeting.pk).state == Meeting.State.PLANNED


# --- Calendar attachment ------------------------------------------------------


def test_invitation_carries_a_calendar_request(
    clock, django_capture_on_commit_callbacks
):
    _body, organization, actor = setup_committee("hessen")
    meeting = planned_with_agenda(actor, organization, berlin(20))

    invite(actor, meeting, django_capture_on_commit_callbacks)

    (letter,) = mails_to("anna@example.org")
    assert attachment_type(letter) == ("text/calendar", "REQUEST")
    calendar = calendar_of(letter)
    assert calendar["METHOD"] == "REQUEST"
    (event,) = calendar.events
    assert str(event["UID"]) == f"{meeting.uid}@gremienportal"
    assert event["SEQUENCE"] == 0
    assert event["STATUS"] == "CONFIRMED"
    assert str(event["SUMMARY"]) == meeting.name
    assert str(event["LOCATION"]) == str(meeting.location)
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event.start == berlin(20)
    assert event.end == berlin(20, 21)
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Berlin"]
    assert str(event["ORGANIZER"]).startswith("mailto:")
    assert str(event["ATTENDEE"]) == "mailto:anna@example.org"


# --- Addendum (Nachtrag) ------------------------------------------------------


def test_addendum_lists_new_items_once(clock, django_capture_on_commit_callbacks):
    _body, organization, actor = setup_committee("hessen")
    meeting = planned_with_agenda(actor, organization, berlin(20))
    invite(actor, meeting, django_capture_on_commit_callbacks)
    clock.advance(days=1)
    add_item(
        meeting,
        "Dringlichkeitsantrag Kita-Gebühren",
        addendum=True,
        addendum_at=clock.now,
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        dispatch = meeting_send_addendum(actor=actor, meeting=meeting)

    assert dispatch.kind == Dispatch.Kind.ADDENDUM
    assert "Dringlichkeitsantrag Kita-Gebühren" in dispatch.text
    assert len(mail.outbox) == 2
    assert all(not m.attachments for m in mail.outbox)

    clock.advance(hours=1)
    with pytest.raises(ValidationError) as excinfo:
        meeting_send_addendum(actor=actor, meeting=meeting)
    assert error_codes(excinfo) == {"nothing_to_send"}


def test_addendum_before_the_invitation_is_refused(clock):
    _body, organization, actor = setup_committee("hessen")
    meeting = planned_with_agenda(actor, organization, berlin(20))
    add_item(meeting, "Nachtrag", addendum=True, addendum_at=clock.now)
    with pytest.raises(ValidationError) as excinfo:
        meeting_send_addendum(actor=actor, meeting=meeting)
    assert error_codes(excinfo) == {"not_invited"}
    assert not Dispatch.objects.exists()


def test_addendum_needs_change_permission(clock, django_capture_on_commit_callbacks):
    body, organization, actor = setup_committee("hessen")
    meeting = planned_with_agenda(actor, organization, berlin(20))
    invite(actor, meeting, django_capture_on_commit_callbacks)
    reader = staff_user(body, "view_meeting")
    with pytest.raises(PermissionDenied):
        meeting_send_addendum(actor=reader, meeting=meeting)
