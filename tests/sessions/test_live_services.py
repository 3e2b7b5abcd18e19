"""Conducting a meeting live: start and resume, end, the current item,
check-in and check-out (presence, quorum, who may vote), bias, the list of
speakers, permissions, the state version, and the events sent on commit."""

import datetime
import threading
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from sessions.live import events, snapshot
from sessions.models import (
    Attendance,
    ItemMinutes,
    LiveSession,
    Meeting,
    SpeakerRequest,
    Vote,
)
from sessions.services.agenda import agenda_item_add
from sessions.services.live import (
    ballot_of,
    bias_declare,
    bias_withdraw,
    live_attendance_set,
    live_end,
    live_item_set,
    live_start,
    speaker_add,
    speaker_call,
    speaker_done,
    speaker_move,
    speaker_remove,
    speaker_request,
    speaker_withdraw,
    speakers_of,
)
from sessions.services.minutes import attendance_record, present_at_item
from sessions.services.voting import (
    ballot_cast,
    entitlement_refusal,
    quorum,
    vote_close,
    vote_open,
    voters_at,
)
from tests.gremien.factories import MembershipFactory, OrganizationFactory
from tests.sessions.agenda_factories import Clock, invite
from tests.sessions.test_voting import START, code_of, world

OPEN, NAMED = Vote.Kind.OPEN, Vote.Kind.NAMED
WAITING, SPEAKING = SpeakerRequest.State.WAITING, SpeakerRequest.State.SPEAKING
DONE, WITHDRAWN = SpeakerRequest.State.DONE, SpeakerRequest.State.WITHDRAWN


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(monkeypatch)
    clock.set(START - datetime.timedelta(days=30))
    return clock


def live_world(clock):
    """``world()`` with three items, invited and at its start time; not live."""
    w = world()
    w.items.append(agenda_item_add(actor=w.staff, meeting=w.meeting, name="Punkt 3"))
    invite(w.staff, w.meeting)
    clock.set(START)
    return w


def check_in_all(w) -> None:
    """Members 0–3 and the advisory member present, the deputy standing in
    for member 4, who is not checked in."""
    for person in [*w.members[:4], w.advisory]:
        live_attendance_set(
            actor=w.staff, meeting=w.meeting, person=person, present=True
        )
    live_attendance_set(
        actor=w.staff,
        meeting=w.meeting,
        person=w.deputy,
        present=True,
        substitute_for=w.members[4],
    )


@pytest.fixture
def w(db, clock):
    w = live_world(clock)
    live_start(actor=w.staff, meeting=w.meeting)
    check_in_all(w)
    return w


def live(w) -> LiveSession:
    return LiveSession.objects.get(meeting=w.meeting)


def cast(person, vote, choice="yes", client_id=None):
    return ballot_cast(
        actor=person.user, vote=vote, choice=choice, client_id=client_id or uuid.uuid4()
    )


def refused(code: str, call, *args, **kwargs) -> None:
    with pytest.raises(ValidationError) as excinfo:
        call(*args, **kwargs)
    assert code_of(excinfo) == code


def at(w, index: int) -> None:
    live_item_set(actor=w.staff, meeting=w.meeting, agenda_item=w.items[index])


# --- start, resume, end -------------------------------------------------------


def test_start_opens_the_invited_meeting_at_the_first_item(db, clock):
    w = live_world(clock)
    session = live_start(actor=w.staff, meeting=w.meeting)

    w.meeting.refresh_from_db()
    assert w.meeting.state == Meeting.State.RUNNING
    assert session.current_item == w.items[0]
    assert session.started_by == w.staff
    assert session.version >= 1


def test_start_again_resumes_the_session_where_it_was(w):
    at(w, 1)
    before = live(w)
    clock_started = before.started_at

    again = live_start(actor=w.staff, meeting=w.meeting)

    assert again.current_item == w.items[1]
    assert again.started_at == clock_started
    assert again.version > before.version
    assert LiveSession.objects.filter(meeting=w.meeting).count() == 1


def test_start_is_refused_too_early_and_for_a_planned_meeting(db, clock):
    w = live_world(clock)
    clock.set(START - datetime.timedelta(hours=2))
    refused("too_early", live_start, actor=w.staff, meeting=w.meeting)
    assert not LiveSession.objects.exists()

    planned = world()
    refused(
        "meeting_not_running", live_start, actor=planned.staff, meeting=planned.meeting
    )


def test_a_chair_resumes_a_running_meeting_but_cannot_open_one(db, clock):
    w = live_world(clock)
    attendance_record(
        actor=w.staff,
        meeting=w.meeting,
        person=w.members[0],
        status=Attendance.Status.PRESENT,
        capacity=Attendance.Capacity.CHAIR,
    )
    chair = w.members[0].user
    with pytest.raises(PermissionDenied):
        live_start(actor=chair, meeting=w.meeting)
    live_start(actor=w.staff, meeting=w.meeting)

    assert live_start(actor=chair, meeting=w.meeting).current_item == w.items[0]


def test_end_is_refused_while_a_vote_is_open(w):
    vote = vote_open(actor=w.staff, agenda_item=w.items[0], kind=OPEN)
    refused("vote_open", live_end, actor=w.staff, meeting=w.meeting)
    assert Meeting.objects.get(pk=w.meeting.pk).state == Meeting.State.RUNNING

    vote_close(actor=w.staff, vote=vote)
    waiting = speaker_request(actor=w.members[1].user, meeting=w.meeting)
    meeting = live_end(actor=w.staff, meeting=w.meeting)

    assert meeting.state == Meeting.State.HELD
    assert live(w).ended_at is not None
    assert SpeakerRequest.objects.get(pk=waiting.pk).state == WITHDRAWN
    refused(
        "meeting_not_running",
        live_item_set,
        actor=w.staff,
        meeting=w.meeting,
        agenda_item=w.items[1],
    )


# --- the current item ---------------------------------------------------------


def test_item_change_is_refused_while_voting(w):
    vote = vote_open(actor=w.staff, agenda_item=w.items[0], kind=OPEN)
    refused("vote_open", at, w, 1)
    assert live(w).current_item == w.items[0]

    vote_close(actor=w.staff, vote=vote)
    at(w, 1)
    assert live(w).current_item == w.items[1]


def test_item_of_another_meeting_or_deleted_is_refused(w, clock):
    other = world()
    refused(
        "foreign_item",
        live_item_set,
        actor=w.staff,
        meeting=w.meeting,
        agenda_item=other.items[0],
    )
    w.items[2].deleted_at = clock.now
    w.items[2].save(update_fields=["deleted_at"])
    refused("item_deleted", at, w, 2)


def test_without_a_live_session_nothing_can_be_conducted(db, clock):
    w = live_world(clock)
    refused("meeting_not_running", at, w, 1)


# --- check-in and check-out ---------------------------------------------------


def test_check_in_and_out_follow_the_items(w):
    assert set(present_at_item(w.items[0])) >= {p.pk for p in w.members[:4]}
    at(w, 2)
    live_attendance_set(
        actor=w.staff, meeting=w.meeting, person=w.members[0], present=False
    )

    row = Attendance.objects.get(meeting=w.meeting, person=w.members[0])
    assert row.left_after == w.items[1]
    assert w.members[0].pk in present_at_item(w.items[1])
    assert w.members[0].pk not in present_at_item(w.items[2])
    assert quorum(w.meeting, w.items[1]).counted == 5
    assert quorum(w.meeting, w.items[2]).counted == 4
    assert w.members[0].pk not in voters_now(w)

    vote = vote_open(actor=w.staff, agenda_item=w.items[2], kind=OPEN)
    refused("not_present", cast, w.members[0], vote)
    assert entitlement_refusal(vote, w.members[0]) == "not_present"


def test_check_out_at_the_first_item_means_absent(w):
    live_attendance_set(
        actor=w.staff, meeting=w.meeting, person=w.members[1], present=False
    )
    row = Attendance.objects.get(meeting=w.meeting, person=w.members[1])
    assert row.status == Attendance.Status.ABSENT
    assert w.members[1].pk not in present_at_item(w.items[0])


def test_late_arrival_counts_from_the_current_item_and_is_kept(w):
    member = w.members[4]
    at(w, 1)
    live_attendance_set(actor=w.staff, meeting=w.meeting, person=member, present=True)
    at(w, 2)
    live_attendance_set(actor=w.staff, meeting=w.meeting, person=member, present=True)

    row = Attendance.objects.get(meeting=w.meeting, person=member)
    assert (row.arrived_before, row.capacity) == (w.items[1], "member")
    assert member.pk not in present_at_item(w.items[0])
    assert member.pk in present_at_item(w.items[2])


def test_a_deputy_standing_in_for_an_absent_member_may_vote(w):
    row = Attendance.objects.get(meeting=w.meeting, person=w.deputy)
    assert (row.capacity, row.substitute_for) == ("deputy", w.members[4])
    assert w.deputy.pk in voters_now(w)
    vote = vote_open(actor=w.staff, agenda_item=w.items[0], kind=NAMED)
    assert cast(w.deputy, vote).choice == "yes"
    vote_close(actor=w.staff, vote=vote)

    # Checked in without standing in for anyone, the deputy has no vote.
    live_attendance_set(actor=w.staff, meeting=w.meeting, person=w.deputy, present=True)
    assert w.deputy.pk not in voters_now(w)
    vote = vote_open(actor=w.staff, agenda_item=w.items[0], kind=OPEN)
    refused("deputy_not_standing_in", cast, w.deputy, vote)


def test_a_chair_checked_in_again_stays_chair(w):
    attendance_record(
        actor=w.staff,
        meeting=w.meeting,
        person=w.members[0],
        status=Attendance.Status.PRESENT,
        capacity=Attendance.Capacity.CHAIR,
    )
    live_attendance_set(
        actor=w.staff, meeting=w.meeting, person=w.members[0], present=True
    )
    row = Attendance.objects.get(meeting=w.meeting, person=w.members[0])
    assert row.capacity == Attendance.Capacity.CHAIR


def test_only_seat_holders_can_be_checked_in(w):
    stranger = MembershipFactory(
        organization=OrganizationFactory(body=w.body, kind="committee")
    ).person
    refused(
        "not_a_member",
        live_attendance_set,
        actor=w.staff,
        meeting=w.meeting,
        person=stranger,
        present=True,
    )
    refused(
        "not_a_deputy",
        live_attendance_set,
        actor=w.staff,
        meeting=w.meeting,
        person=w.members[0],
        present=True,
        substitute_for=w.members[4],
    )
    refused(
        "substitute_not_member",
        live_attendance_set,
        actor=w.staff,
        meeting=w.meeting,
        person=w.deputy,
        present=True,
        substitute_for=w.advisory,
    )
    foreign = world().members[0]
    refused(
        "foreign_person",
        live_attendance_set,
        actor=w.staff,
        meeting=w.meeting,
        person=foreign,
        present=True,
    )


def test_the_console_lists_every_seat_holder_with_attendance(w):
    rows = {r["person"]: r for r in snapshot.build(w.meeting, "staff")["attendance"]}
    assert set(rows) == {p.pk for p in [*w.members, w.deputy, w.advisory]}
    assert rows[w.deputy.pk]["kind"] == "deputy"
    assert rows[w.deputy.pk]["organization"] == "Bauausschuss"
    assert rows[w.advisory.pk]["kind"] == "advisory"
    assert rows[w.members[4].pk]["status"] is None
    assert rows[w.members[0].pk]["status"] == "present"


# --- bias ---------------------------------------------------------------------


def test_bias_declared_by_a_member_blocks_their_ballot_and_lowers_quorum(w):
    assert quorum(w.meeting, w.items[0]).counted == 5
    bias_declare(actor=w.members[2].user, agenda_item=w.items[0])

    assert quorum(w.meeting, w.items[0]).counted == 4
    assert w.members[2].pk not in voters_now(w)
    vote = vote_open(actor=w.staff, agenda_item=w.items[0], kind=OPEN)
    refused("biased", cast, w.members[2], vote)
    assert entitlement_refusal(vote, w.members[2]) == "biased"

    bias_withdraw(actor=w.members[2].user, agenda_item=w.items[0])
    assert entitlement_refusal(vote, w.members[2]) is None
    cast(w.members[2], vote)


def test_bias_is_refused_after_having_voted(w):
    vote = vote_open(actor=w.staff, agenda_item=w.items[0], kind=OPEN)
    cast(w.members[1], vote)
    refused(
        "already_voted", bias_declare, actor=w.members[1].user, agenda_item=w.items[0]
    )
    refused(
        "already_voted",
        bias_declare,
        actor=w.staff,
        agenda_item=w.items[0],
        person=w.members[1],
    )
    assert not ItemMinutes.objects.filter(
        agenda_item=w.items[0], biased=w.members[1]
    ).exists()


def test_bias_for_someone_else_needs_the_conductor(w):
    with pytest.raises(PermissionDenied):
        bias_declare(
            actor=w.members[0].user, agenda_item=w.items[0], person=w.members[1]
        )
    bias_declare(actor=w.staff, agenda_item=w.items[0], person=w.members[1])
    assert ItemMinutes.objects.get(agenda_item=w.items[0]).biased.get() == w.members[1]
    refused(
        "not_present",
        bias_declare,
        actor=w.staff,
        agenda_item=w.items[0],
        person=w.members[4],
    )
    with pytest.raises(PermissionDenied):
        bias_declare(actor=w.staff, agenda_item=w.items[0])  # staff has no person


# --- list of speakers ---------------------------------------------------------


def test_request_to_speak_is_idempotent_and_needs_presence(w):
    first = speaker_request(actor=w.members[0].user, meeting=w.meeting)
    again = speaker_request(actor=w.members[0].user, meeting=w.meeting)

    assert again.pk == first.pk
    assert (first.state, first.position, first.agenda_item) == (
        WAITING,
        1,
        w.items[0],
    )
    refused("not_present", speaker_request, actor=w.members[4].user, meeting=w.meeting)
    with pytest.raises(PermissionDenied):
        speaker_request(actor=w.staff, meeting=w.meeting)


def test_calling_a_speaker_finishes_the_previous_one(w):
    a = speaker_request(actor=w.members[0].user, meeting=w.meeting)
    b = speaker_request(actor=w.members[1].user, meeting=w.meeting)
    c = speaker_add(actor=w.staff, meeting=w.meeting, person=w.members[2])
    assert c.added_by == w.staff

    speaker_call(actor=w.staff, request=a)
    speaker_call(actor=w.staff, request=b)

    a.refresh_from_db()
    assert (a.state, a.done_at is not None) == (DONE, True)
    assert [(r.pk, r.state) for r in speakers_of(w.items[0])] == [
        (b.pk, SPEAKING),
        (c.pk, WAITING),
    ]
    assert SpeakerRequest.objects.get(pk=c.pk).position == 1
    speaker_done(actor=w.staff, request=b)
    assert [r.pk for r in speakers_of(w.items[0])] == [c.pk]
    refused("speaker_not_speaking", speaker_done, actor=w.staff, request=c)
    refused("speaker_not_waiting", speaker_call, actor=w.staff, request=a)


def test_move_renumbers_the_waiting_requests(w):
    requests = [
        speaker_request(actor=person.user, meeting=w.meeting)
        for person in w.members[:4]
    ]
    speaker_move(actor=w.staff, request=requests[3], position=1)
    order = [r.pk for r in speakers_of(w.items[0])]
    assert order == [requests[i].pk for i in (3, 0, 1, 2)]
    assert [r.position for r in speakers_of(w.items[0])] == [1, 2, 3, 4]

    speaker_move(actor=w.staff, request=requests[3], position=99)
    assert [r.pk for r in speakers_of(w.items[0])][-1] == requests[3].pk
    refused(
        "invalid_position", speaker_move, actor=w.staff, request=requests[0], position=0
    )

    speaker_remove(actor=w.staff, request=requests[1])
    assert [r.position for r in speakers_of(w.items[0])] == [1, 2, 3]
    assert speaker_withdraw(actor=w.members[0].user, meeting=w.meeting).state == (
        WITHDRAWN
    )
    assert speaker_withdraw(actor=w.members[0].user, meeting=w.meeting) is None
    assert [r.position for r in speakers_of(w.items[0])] == [1, 2]


def test_a_member_cannot_conduct_the_list_of_speakers(w):
    request = speaker_request(actor=w.members[1].user, meeting=w.meeting)
    member = w.members[0].user
    for call, kwargs in [
        (speaker_call, {"request": request}),
        (speaker_done, {"request": request}),
        (speaker_remove, {"request": request}),
        (speaker_move, {"request": request, "position": 1}),
        (speaker_add, {"meeting": w.meeting, "person": w.members[2]}),
    ]:
        with pytest.raises(PermissionDenied):
            call(actor=member, **kwargs)
    assert SpeakerRequest.objects.get(pk=request.pk).state == WAITING


def test_the_list_of_speakers_is_per_item(w):
    a = speaker_request(actor=w.members[0].user, meeting=w.meeting)
    speaker_call(actor=w.staff, request=a)
    b = speaker_request(actor=w.members[1].user, meeting=w.meeting)
    at(w, 1)

    assert SpeakerRequest.objects.get(pk=a.pk).state == DONE
    assert speakers_of(w.items[1]) == []
    refused("not_current_item", speaker_call, actor=w.staff, request=b)


# --- who may conduct ----------------------------------------------------------


def test_a_member_cannot_start_open_close_or_end(w):
    member = w.members[0].user
    vote = vote_open(actor=w.staff, agenda_item=w.items[0], kind=OPEN)
    for call, kwargs in [
        (live_start, {"meeting": w.meeting}),
        (live_end, {"meeting": w.meeting}),
        (live_item_set, {"meeting": w.meeting, "agenda_item": w.items[1]}),
        (
            live_attendance_set,
            {"meeting": w.meeting, "person": w.members[4], "present": True},
        ),
        (vote_open, {"agenda_item": w.items[1], "kind": OPEN}),
        (vote_close, {"vote": vote}),
    ]:
        with pytest.raises(PermissionDenied):
            call(actor=member, **kwargs)
    assert Vote.objects.get(pk=vote.pk).is_open


# --- reads for the screens ----------------------------------------------------


def screen_vote(w):
    live = snapshot.live_of(w.meeting)
    return snapshot.vote_of(w.meeting, snapshot.current_item(live))


def test_the_screens_vote_is_the_open_one_else_the_last_on_the_item(w):
    assert screen_vote(w) is None
    first = vote_open(actor=w.staff, agenda_item=w.items[0], kind=NAMED)
    assert screen_vote(w) == first
    confirmation = cast(w.members[0], first, "no")
    assert ballot_of(first, w.members[0]) == confirmation
    assert ballot_of(first, w.members[1]) is None
    vote_close(actor=w.staff, vote=first)
    assert screen_vote(w) == first
    at(w, 1)
    assert screen_vote(w) is None


def voters_now(w) -> set[int]:
    return voters_at(snapshot.current_item(snapshot.live_of(w.meeting)))


def test_voters_now_are_present_voters_minus_biased(w):
    expected = {p.pk for p in [*w.members[:4], w.deputy]}
    assert voters_now(w) == expected
    bias_declare(actor=w.members[3].user, agenda_item=w.items[0])
    assert voters_now(w) == expected - {w.members[3].pk}


# --- version and events -------------------------------------------------------


def test_every_change_raises_the_version(w):
    versions = [live(w).version]

    def step(call, **kwargs):
        call(**kwargs)
        versions.append(live(w).version)

    step(at, w=w, index=1)
    step(
        live_attendance_set,
        actor=w.staff,
        meeting=w.meeting,
        person=w.members[4],
        present=True,
    )
    step(bias_declare, actor=w.members[0].user, agenda_item=w.items[1])
    step(speaker_request, actor=w.members[1].user, meeting=w.meeting)
    vote = vote_open(actor=w.staff, agenda_item=w.items[1], kind=OPEN)
    versions.append(live(w).version)
    step(vote_close, actor=w.staff, vote=vote)

    assert versions == sorted(set(versions)), versions


@pytest.fixture
def sent(monkeypatch):
    """What the transport hands to the channel layer, recorded."""
    batches: list[list[tuple[str, dict]]] = []
    monkeypatch.setattr(events, "send", lambda messages: batches.append(list(messages)))
    return batches


def groups_of(batches) -> set[str]:
    return {name for batch in batches for name, _message in batch}


def test_state_is_sent_on_commit_to_the_meetings_groups(
    w, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        at(w, 1)
        assert sent == []
    for callback in callbacks:
        callback()

    prefix = f"live-{w.meeting.pk}-"
    assert {f"{prefix}staff", f"{prefix}members", f"{prefix}projector"} <= groups_of(
        sent
    )
    staff = next(m for name, m in sent[0] if name == f"{prefix}staff")
    assert staff["payload"]["type"] == "state"
    assert staff["payload"]["version"] == live(w).version


def test_a_refused_change_sends_nothing(w, sent, django_capture_on_commit_callbacks):
    vote_open(actor=w.staff, agenda_item=w.items[0], kind=OPEN)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(ValidationError):
            at(w, 1)
    assert (callbacks, sent) == ([], [])


def test_a_new_ballot_sends_progress_but_a_retry_does_not(
    w, sent, django_capture_on_commit_callbacks
):
    vote = vote_open(actor=w.staff, agenda_item=w.items[0], kind=OPEN)
    client_id = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        cast(w.members[0], vote, client_id=client_id)
    progress = [
        (name, m["payload"])
        for name, m in sent[0]
        if name == f"live-{w.meeting.pk}-members"
    ]
    assert progress == [
        (
            f"live-{w.meeting.pk}-members",
            {"type": "progress", "vote": vote.pk, "cast": 1},
        )
    ]

    with django_capture_on_commit_callbacks() as callbacks:
        cast(w.members[0], vote, client_id=client_id)
    assert callbacks == []


def test_vote_services_send_the_state(w, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        vote = vote_open(actor=w.staff, agenda_item=w.items[0], kind=OPEN)
    assert f"live-{w.meeting.pk}-staff" in groups_of(sent)
    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        vote_close(actor=w.staff, vote=vote)
    assert f"live-{w.meeting.pk}-staff" in groups_of(sent)


# --- concurrency (PostgreSQL) -------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_to_speak_get_one_row_each_and_distinct_positions(clock):
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency need PostgreSQL")
    w = live_world(clock)
    live_start(actor=w.staff, meeting=w.meeting)
    check_in_all(w)
    persons = [*w.members[:4], w.members[0], w.members[1]]  # two ask twice
    barrier = threading.Barrier(len(persons))
    errors = []

    def attempt(person) -> None:
        try:
            barrier.wait()
            speaker_request(actor=person.user, meeting=w.meeting)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(p,)) for p in persons]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    requests = speakers_of(w.items[0])
    assert sorted(r.person_id for r in requests) == sorted(p.pk for p in w.members[:4])
    assert [r.position for r in requests] == [1, 2, 3, 4]
