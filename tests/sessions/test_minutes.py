"""Minutes (Niederschrift): attendance, item minutes, signatures, corrections,
publication, resolution extracts and the public part of the minutes."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from documents.services import paper_create, paper_release
from publicportal.minutes import public_minutes_items, public_minutes_text
from sessions.extracts import resolution_extract
from sessions.models import (
    Attendance,
    Consultation,
    ItemMinutes,
    Meeting,
    Minutes,
    MinutesCorrection,
)
from sessions.services.agenda import agenda_item_add
from sessions.services.consultations import consultation_path_set
from sessions.services.lifecycle import meeting_create
from sessions.services.minutes import (
    attendance_prefill,
    attendance_record,
    item_minutes_update,
    item_vote_outcome,
    minutes_correct,
    minutes_mark_drafted,
    minutes_open,
    minutes_publish,
    minutes_sign,
)
from tests.gremien.factories import (
    BodyFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    staff_of,
)
from tests.sessions.agenda_factories import Clock, hold

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 12, 17, tzinfo=datetime.UTC)
#: Meetings are planned and invited this long before they start.
AHEAD = datetime.timedelta(days=30)
PRESENT = Attendance.Status.PRESENT
State = Meeting.State


def code_of(error: ValidationError) -> str:
    """The code of a refusal, whether or not it is attached to a field."""
    if hasattr(error, "error_dict"):
        return next(e.code for errors in error.error_dict.values() for e in errors)
    return error.code


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(monkeypatch)
    clock.set(START - AHEAD)
    return clock


def plan(actor, organization, *, start=START, public=True, name="Rat", items=1):
    """A meeting planned through ``meeting_create``, with ``items`` public
    agenda items "Punkt 1" … added through ``agenda_item_add``."""
    meeting = meeting_create(
        actor=actor,
        body=organization.body,
        organizations=[organization],
        name=name,
        start=start,
        public=public,
    )
    for n in range(1, items + 1):
        agenda_item_add(actor=actor, meeting=meeting, name=f"Punkt {n}")
    return meeting


def held(actor, organization, clock, *, start, **fields):
    """A meeting planned a month ahead, invited, opened and closed."""
    clock.set(start - AHEAD)
    return hold(actor, plan(actor, organization, start=start, **fields), clock)


def published(clerk_user, chair_user, meeting):
    """Minutes of a held meeting finished, signed by both and published."""
    minutes_open(actor=clerk_user, meeting=meeting)
    for item in meeting.agenda_items.all():
        item_minutes_update(actor=clerk_user, agenda_item=item, done=True)
    minutes_mark_drafted(actor=clerk_user, meeting=meeting)
    minutes_sign(actor=chair_user, meeting=meeting, as_role="chair")
    minutes_sign(actor=clerk_user, meeting=meeting, as_role="clerk")
    minutes_publish(actor=clerk_user, meeting=meeting)
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def build(clock):
    """The council of Neuhausen and its meeting on ``START`` with three public
    items Ö 1–3, held through the lifecycle services. ``paper`` makes Ö 1 the
    deciding consultation of a released paper of that name; ``secret`` adds a
    non-public item of that name (on the agenda from the start: the agenda
    cannot change once the meeting runs)."""

    def build(*, paper=None, secret=None):
        body = BodyFactory(name="Stadt Neuhausen", slug="neuhausen")
        council = OrganizationFactory(body=body, name="Rat der Stadt", kind="council")
        members = [
            MembershipFactory(organization=council, person__family_name=f"Rat{i}")
            for i in range(3)
        ]
        deputy = MembershipFactory(
            organization=council, kind="deputy", person__family_name="Vertreter"
        )
        MembershipFactory(
            organization=council,
            person__family_name="Ausgeschieden",
            end_date=datetime.date(2025, 12, 31),
        )
        clerk_user, chair_user = staff_of(body), staff_of(body)
        clock.set(START - AHEAD)
        meeting = plan(clerk_user, council, items=0)
        items = []
        if paper is not None:
            paper = paper_create(
                actor=None, body=body, name=paper, date=(START - AHEAD).date()
            )
            consultation_path_set(
                actor=clerk_user,
                paper=paper,
                steps=[([council], Consultation.Role.DECIDING)],
            )
            paper = paper_release(actor=None, paper=paper)
            items.append(
                agenda_item_add(actor=clerk_user, meeting=meeting, paper=paper)
            )
        for n in range(len(items) + 1, 4):
            items.append(
                agenda_item_add(actor=clerk_user, meeting=meeting, name=f"Punkt {n}")
            )
        if secret is not None:
            secret = agenda_item_add(
                actor=clerk_user, meeting=meeting, name=secret, public=False
            )
            secret.refresh_from_db()
        for item in items:
            item.refresh_from_db()
        hold(clerk_user, meeting, clock)
        return SimpleNamespace(
            body=body,
            council=council,
            persons=[m.person for m in members],
            deputy=deputy.person,
            meeting=meeting,
            items=items,
            paper=paper,
            secret=secret,
            clerk_user=clerk_user,
            chair_user=chair_user,
        )

    return build


@pytest.fixture
def s(build):
    return build()


def all_present(s):
    for person in s.persons:
        attendance_record(
            actor=s.clerk_user, meeting=s.meeting, person=person, status=PRESENT
        )


def finish_all(s):
    for item in s.items:
        item_minutes_update(actor=s.clerk_user, agenda_item=item, done=True)


def signed(s):
    """Minutes of the fixture's meeting, finished and signed by both."""
    minutes_open(
        actor=s.clerk_user, meeting=s.meeting, chair=s.persons[0], clerk=s.persons[1]
    )
    all_present(s)
    finish_all(s)
    minutes_mark_drafted(actor=s.clerk_user, meeting=s.meeting)
    minutes_sign(actor=s.chair_user, meeting=s.meeting, as_role="chair")
    return minutes_sign(actor=s.clerk_user, meeting=s.meeting, as_role="clerk")


# --- opening ------------------------------------------------------------------


def test_minutes_open_is_idempotent_and_needs_a_held_meeting(s):
    first = minutes_open(actor=s.clerk_user, meeting=s.meeting, chair=s.persons[0])
    again = minutes_open(actor=s.clerk_user, meeting=s.meeting, clerk=s.persons[1])

    assert first.pk == again.pk and Minutes.objects.count() == 1
    assert (again.chair, again.clerk) == (s.persons[0], s.persons[1])

    planned = plan(s.clerk_user, s.council, start=START + datetime.timedelta(days=9))
    assert planned.state == State.PLANNED
    with pytest.raises(ValidationError) as exc:
        minutes_open(actor=s.clerk_user, meeting=planned)
    assert code_of(exc.value) == "meeting_not_held"


def test_staff_of_another_body_cannot_open_minutes(s):
    stranger = staff_of(BodyFactory())
    with pytest.raises(PermissionDenied):
        minutes_open(actor=stranger, meeting=s.meeting)
    assert not Minutes.objects.exists()


# --- attendance ---------------------------------------------------------------


def test_attendance_with_arrival_and_departure_items(s):
    late = s.persons[0]
    row = attendance_record(
        actor=s.clerk_user,
        meeting=s.meeting,
        person=late,
        status=PRESENT,
        arrived_before=s.items[1],
        left_after=s.items[2],
    )
    assert (row.arrived_before, row.left_after) == (s.items[1], s.items[2])

    # The roll call of item 1 cannot name someone who came later.
    with pytest.raises(ValidationError) as exc:
        item_minutes_update(
            actor=s.clerk_user,
            agenda_item=s.items[0],
            roll_call=[{"person": late, "vote": "yes"}],
        )
    assert code_of(exc.value) == "roll_call_not_present"
    minutes = item_minutes_update(
        actor=s.clerk_user,
        agenda_item=s.items[1],
        roll_call=[{"person": late, "vote": "yes"}],
    )
    assert minutes.roll_call == [{"person": late.pk, "name": late.name, "vote": "yes"}]
    assert minutes.votes_yes == 1


def test_departure_before_arrival_and_foreign_items_are_refused(s):
    with pytest.raises(ValidationError) as exc:
        attendance_record(
            actor=s.clerk_user,
            meeting=s.meeting,
            person=s.persons[0],
            status=PRESENT,
            arrived_before=s.items[2],
            left_after=s.items[0],
        )
    assert code_of(exc.value) == "departure_before_arrival"

    other = plan(s.clerk_user, s.council, start=START + datetime.timedelta(days=7))
    foreign = other.agenda_items.get()
    with pytest.raises(ValidationError) as exc:
        attendance_record(
            actor=s.clerk_user,
            meeting=s.meeting,
            person=s.persons[0],
            status=PRESENT,
            left_after=foreign,
        )
    assert "left_after" in exc.value.message_dict
    assert not Attendance.objects.exists()


def test_recording_again_updates_the_row(s):
    attendance_record(
        actor=s.clerk_user,
        meeting=s.meeting,
        person=s.persons[0],
        status=Attendance.Status.EXCUSED,
    )
    attendance_record(
        actor=s.clerk_user, meeting=s.meeting, person=s.persons[0], status=PRESENT
    )
    assert list(Attendance.objects.values_list("status", flat=True)) == [PRESENT]


def test_present_in_two_meetings_at_the_same_time_is_refused(s, clock):
    person = s.persons[0]
    attendance_record(
        actor=s.clerk_user, meeting=s.meeting, person=person, status=PRESENT
    )
    # s.meeting has no end: assumed to last until 21:00.
    committee = OrganizationFactory(body=s.body)
    overlapping = held(
        s.clerk_user, committee, clock, start=START + datetime.timedelta(hours=3)
    )
    assert overlapping.state == State.HELD

    with pytest.raises(ValidationError) as exc:
        attendance_record(
            actor=s.clerk_user, meeting=overlapping, person=person, status=PRESENT
        )
    assert code_of(exc.value) == "attendance_overlap"
    assert not overlapping.attendances.exists()

    # Excused there is fine; so is a meeting starting when the other one ends.
    attendance_record(
        actor=s.clerk_user,
        meeting=overlapping,
        person=person,
        status=Attendance.Status.EXCUSED,
    )
    later = held(
        s.clerk_user, committee, clock, start=START + datetime.timedelta(hours=4)
    )
    attendance_record(actor=s.clerk_user, meeting=later, person=person, status=PRESENT)


def test_prefill_lists_active_members_as_absent_once_but_not_deputies(s):
    attendance_record(
        actor=s.clerk_user, meeting=s.meeting, person=s.persons[0], status=PRESENT
    )
    created = attendance_prefill(actor=s.clerk_user, meeting=s.meeting)
    again = attendance_prefill(actor=s.clerk_user, meeting=s.meeting)

    rows = {a.person.family_name: a for a in s.meeting.attendances.all()}
    assert len(created) == 2 and again == []
    assert set(rows) == {"Rat0", "Rat1", "Rat2"}  # no deputy, not "Ausgeschieden"
    assert rows["Rat0"].status == PRESENT
    assert rows["Rat1"].status == Attendance.Status.ABSENT


# --- item minutes ---------------------------------------------------------------


def test_item_minutes_with_counts_and_outcome_by_the_municipal_code(s):
    item = s.items[0]
    minutes = item_minutes_update(
        actor=s.clerk_user,
        agenda_item=item,
        discussion="<p>Aussprache</p>",
        votes_yes=12,
        votes_no=5,
        votes_abstain=2,
    )
    outcome = item_vote_outcome(minutes)
    assert outcome.accepted and outcome.legal_basis

    tie = item_minutes_update(
        actor=s.clerk_user, agenda_item=item, votes_yes=7, votes_no=7
    )
    assert item_vote_outcome(tie).accepted is False
    assert tie.discussion == "<p>Aussprache</p>"  # None leaves fields alone

    with pytest.raises(ValidationError) as exc:
        item_minutes_update(actor=s.clerk_user, agenda_item=item, votes_abstain=-1)
    assert code_of(exc.value) == "negative_count"


def test_unanimous_with_no_votes_is_refused(s):
    item_minutes_update(actor=s.clerk_user, agenda_item=s.items[0], votes_no=3)
    with pytest.raises(ValidationError) as exc:
        item_minutes_update(actor=s.clerk_user, agenda_item=s.items[0], unanimous=True)
    assert code_of(exc.value) == "unanimous_with_no_votes"
    assert ItemMinutes.objects.get().unanimous is False

    ok = item_minutes_update(
        actor=s.clerk_user, agenda_item=s.items[1], unanimous=True, votes_abstain=1
    )
    assert item_vote_outcome(ok).accepted


def test_biased_person_is_excluded_from_the_roll_call(s):
    all_present(s)
    biased, voter = s.persons[0], s.persons[1]
    with pytest.raises(ValidationError) as exc:
        item_minutes_update(
            actor=s.clerk_user,
            agenda_item=s.items[0],
            roll_call=[{"person": biased, "vote": "yes"}],
            biased=[biased],
        )
    assert code_of(exc.value) == "biased_in_roll_call"
    assert not ItemMinutes.objects.filter(agenda_item=s.items[0]).exists()

    minutes = item_minutes_update(
        actor=s.clerk_user,
        agenda_item=s.items[0],
        roll_call=[{"person": voter, "vote": "no"}],
        biased=[biased],
    )
    assert list(minutes.biased.all()) == [biased]
    assert (minutes.votes_yes, minutes.votes_no) == (0, 1)

    absent = s.deputy
    with pytest.raises(ValidationError) as exc:
        item_minutes_update(actor=s.clerk_user, agenda_item=s.items[1], biased=[absent])
    assert code_of(exc.value) == "biased_not_present"


def test_item_minutes_need_a_running_or_held_meeting(s):
    planned = plan(s.clerk_user, s.council, start=START + datetime.timedelta(days=9))
    item = planned.agenda_items.get()
    with pytest.raises(ValidationError) as exc:
        item_minutes_update(actor=s.clerk_user, agenda_item=item, discussion="x")
    assert code_of(exc.value) == "meeting_not_held"
    assert not ItemMinutes.objects.filter(agenda_item=item).exists()


# --- signing ------------------------------------------------------------------


def test_signing_with_unfinished_items_is_refused_naming_them(s):
    minutes_open(actor=s.clerk_user, meeting=s.meeting)
    item_minutes_update(actor=s.clerk_user, agenda_item=s.items[1], done=True)
    minutes_mark_drafted(actor=s.clerk_user, meeting=s.meeting)

    with pytest.raises(ValidationError) as exc:
        minutes_sign(actor=s.chair_user, meeting=s.meeting, as_role="chair")

    assert code_of(exc.value) == "minutes_unfinished"
    assert exc.value.params["items"] == "Ö 1, Ö 3"
    assert Minutes.objects.get().chair_signed_at is None


def test_two_signatures_make_the_minutes_signed_and_immutable(s):
    minutes = signed(s)
    s.meeting.refresh_from_db()

    assert s.meeting.state == State.MINUTES_SIGNED
    assert minutes.chair_signed_by == s.chair_user and minutes.chair_signed_at
    assert minutes.clerk_signed_by == s.clerk_user and minutes.clerk_signed_at

    with pytest.raises(ValidationError) as exc:
        item_minutes_update(
            actor=s.clerk_user, agenda_item=s.items[0], discussion="nachträglich"
        )
    assert code_of(exc.value) == "minutes_signed"
    with pytest.raises(ValidationError) as exc:
        attendance_record(
            actor=s.clerk_user,
            meeting=s.meeting,
            person=s.persons[0],
            status=Attendance.Status.EXCUSED,
        )
    assert code_of(exc.value) == "minutes_signed"
    assert ItemMinutes.objects.get(agenda_item=s.items[0]).discussion == ""


def test_one_signature_already_locks_the_content(s):
    minutes_open(actor=s.clerk_user, meeting=s.meeting)
    finish_all(s)
    minutes_mark_drafted(actor=s.clerk_user, meeting=s.meeting)
    minutes_sign(actor=s.chair_user, meeting=s.meeting, as_role="chair")

    with pytest.raises(ValidationError) as exc:
        item_minutes_update(actor=s.clerk_user, agenda_item=s.items[0], votes_yes=1)
    assert code_of(exc.value) == "minutes_signed"
    assert s.meeting.state == State.MINUTES_DRAFTED


def test_the_same_user_cannot_sign_as_chair_and_clerk(s):
    minutes_open(actor=s.clerk_user, meeting=s.meeting)
    finish_all(s)
    minutes_mark_drafted(actor=s.clerk_user, meeting=s.meeting)
    minutes_sign(actor=s.clerk_user, meeting=s.meeting, as_role="clerk")

    with pytest.raises(ValidationError) as exc:
        minutes_sign(actor=s.clerk_user, meeting=s.meeting, as_role="chair")
    assert code_of(exc.value) == "same_signatory"
    with pytest.raises(ValidationError) as exc:
        minutes_sign(actor=s.chair_user, meeting=s.meeting, as_role="clerk")
    assert code_of(exc.value) == "already_signed"
    assert Minutes.objects.get().chair_signed_at is None


def test_signing_before_the_draft_is_handed_over_is_refused(s):
    minutes_open(actor=s.clerk_user, meeting=s.meeting)
    finish_all(s)
    with pytest.raises(ValidationError) as exc:
        minutes_sign(actor=s.chair_user, meeting=s.meeting, as_role="chair")
    assert code_of(exc.value) == "not_drafted"


# --- corrections and publication ------------------------------------------------


def test_correction_is_recorded_with_reason_and_applied(s):
    item_minutes_update(
        actor=s.clerk_user, agenda_item=s.items[0], votes_yes=10, votes_no=3
    )
    signed(s)

    with pytest.raises(ValidationError) as exc:
        minutes_correct(
            actor=s.clerk_user,
            meeting=s.meeting,
            agenda_item=s.items[0],
            field="votes_no",
            new_value=4,
            reason="  ",
        )
    assert code_of(exc.value) == "reason_required"

    correction = minutes_correct(
        actor=s.clerk_user,
        meeting=s.meeting,
        agenda_item=s.items[0],
        field="votes_no",
        new_value="4",
        reason="Zählfehler, Einwand von Rat1 in der Folgesitzung",
    )

    assert ItemMinutes.objects.get(agenda_item=s.items[0]).votes_no == 4
    assert (correction.old_value, correction.new_value) == ("3", "4")
    assert correction.corrected_by == s.clerk_user
    assert MinutesCorrection.objects.count() == 1


def test_correction_of_unsigned_minutes_is_refused(s):
    minutes_open(actor=s.clerk_user, meeting=s.meeting)
    with pytest.raises(ValidationError) as exc:
        minutes_correct(
            actor=s.clerk_user,
            meeting=s.meeting,
            field="remarks",
            new_value="x",
            reason="y",
        )
    assert code_of(exc.value) == "minutes_not_signed"


def test_publish_signed_minutes(s):
    signed(s)
    minutes = minutes_publish(actor=s.clerk_user, meeting=s.meeting)
    s.meeting.refresh_from_db()
    assert s.meeting.state == State.PUBLISHED and minutes.published_at


def test_unsigned_minutes_cannot_be_published(s):
    minutes_open(actor=s.clerk_user, meeting=s.meeting)
    with pytest.raises(ValidationError):
        minutes_publish(actor=s.clerk_user, meeting=s.meeting)
    assert Minutes.objects.get().published_at is None


# --- extracts and the public part ---------------------------------------------


def test_resolution_extract_has_resolution_reference_and_vote(build):
    s = build(paper="Neubau Kita Lindenweg")
    paper, item = s.paper, s.items[0]
    assert item.consultation.paper == paper and item.number == "Ö 1"
    item_minutes_update(
        actor=s.clerk_user,
        agenda_item=item,
        resolution_text="<p>Der Rat beschließt den Neubau der Kita.</p>",
        votes_yes=20,
        votes_no=2,
        votes_abstain=1,
    )

    text = resolution_extract(item)

    assert "Der Rat beschließt den Neubau der Kita." in text
    assert paper.reference in text and "Neubau Kita Lindenweg" in text
    assert "Stadt Neuhausen" in text and "Rat der Stadt" in text
    assert "12.03.2026" in text and "Ö 1" in text
    assert "20" in text and "§ 50" in text  # counts and the NRW legal basis


def test_public_minutes_never_show_non_public_items(build):
    marker = "GEHEIM-7f3a"
    s = build(secret=f"Grundstück {marker}")
    secret = s.secret
    assert not secret.public and secret.number == "N 1"
    s.items.append(secret)
    item_minutes_update(
        actor=s.clerk_user,
        agenda_item=secret,
        discussion=f"<p>{marker} Kaufpreis</p>",
        resolution_text=f"<p>{marker}</p>",
    )
    item_minutes_update(
        actor=s.clerk_user, agenda_item=s.items[0], discussion="<p>Öffentlich</p>"
    )
    assert public_minutes_items(s.meeting).count() == 0  # not yet published
    signed(s)
    minutes_publish(actor=s.clerk_user, meeting=s.meeting)

    items = list(public_minutes_items(s.meeting))
    text = public_minutes_text(s.meeting)

    assert secret not in items and items == s.items[:3]
    assert marker not in text and "Öffentlich" in text
    assert marker in resolution_extract(secret)  # internal extract may show it


def test_non_public_meeting_has_no_public_minutes(s, clock):
    committee = OrganizationFactory(body=s.body)
    closed = held(
        s.clerk_user,
        committee,
        clock,
        start=START + datetime.timedelta(days=7),
        public=False,
        name="Ausschuss GEHEIM-9b",
    )
    published(s.clerk_user, s.chair_user, closed)
    assert closed.state == State.PUBLISHED
    assert closed.agenda_items.get().public  # only the meeting is closed

    assert public_minutes_items(closed).count() == 0
    assert "GEHEIM-9b" not in public_minutes_text(closed)


def test_unknown_person_of_another_body_is_refused(s):
    stranger = PersonFactory(body=BodyFactory())
    with pytest.raises(ValidationError) as exc:
        attendance_record(
            actor=s.clerk_user, meeting=s.meeting, person=stranger, status=PRESENT
        )
    assert "person" in exc.value.message_dict
