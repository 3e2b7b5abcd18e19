"""Live voting: opening, ballots (entitlement, bias, deputies, retries), secret
votes that link no voter to a choice, closing into the minutes, counts by hand,
quorum, and concurrent ballots on PostgreSQL."""

import datetime
import logging
import threading
import uuid
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models
from wagtail.models import ModelLogEntry

from gremien.models import Person
from sessions.models import (
    AgendaItem,
    Attendance,
    Ballot,
    ItemMinutes,
    Vote,
    VoteCorrection,
    VoteParticipation,
)
from sessions.services.agenda import agenda_item_add
from sessions.services.lifecycle import meeting_create, meeting_end
from sessions.services.minutes import attendance_record, item_minutes_update
from sessions.services.voting import (
    ballot_cast,
    quorum,
    vote_close,
    vote_correct,
    vote_open,
    vote_record_manual,
)
from tests.gremien.factories import (
    BodyFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
    staff_of,
)
from tests.sessions.agenda_factories import Clock, run

START = datetime.datetime(2026, 3, 12, 17, tzinfo=datetime.UTC)
PRESENT = Attendance.Status.PRESENT
EXCUSED = Attendance.Status.EXCUSED
NAMED, OPEN, SECRET = Vote.Kind.NAMED, Vote.Kind.OPEN, Vote.Kind.SECRET


def code_of(excinfo) -> str:
    error = excinfo.value
    if hasattr(error, "error_dict"):
        return next(e.code for errs in error.error_dict.values() for e in errs)
    return error.code


def with_user(person: Person) -> Person:
    person.user = UserFactory(username=f"user-{person.pk}")
    person.save(update_fields=["user"])
    return person


def world(municipal_code: str = "nrw"):
    """A committee of five voting members (0–4), a deputy of member 4, an
    advisory member without a vote, in a running meeting with two items.
    Members 0–3, the deputy standing in for the excused member 4, and the
    advisory member are present."""
    body = BodyFactory(municipal_code=municipal_code)
    council = OrganizationFactory(
        body=body, name="Bauausschuss", kind="committee", statutory_members=5
    )
    seats = [MembershipFactory(organization=council) for _ in range(5)]
    members = [with_user(seat.person) for seat in seats]
    deputy = with_user(
        MembershipFactory(
            organization=council, kind="deputy", deputy_of=seats[4]
        ).person
    )
    advisory = with_user(
        MembershipFactory(
            organization=council, kind="advisory", voting_right=False
        ).person
    )
    staff = staff_of(body)
    meeting = meeting_create(
        actor=staff,
        body=body,
        organizations=[council],
        name="Bauausschuss",
        start=START,
    )
    items = [
        agenda_item_add(actor=staff, meeting=meeting, name=f"Punkt {n}") for n in (1, 2)
    ]
    return SimpleNamespace(
        body=body,
        council=council,
        members=members,
        deputy=deputy,
        advisory=advisory,
        staff=staff,
        meeting=meeting,
        items=items,
    )


def check_in(w) -> None:
    for person in [*w.members[:4], w.advisory]:
        attendance_record(
            actor=w.staff, meeting=w.meeting, person=person, status=PRESENT
        )
    attendance_record(
        actor=w.staff, meeting=w.meeting, person=w.members[4], status=EXCUSED
    )
    attendance_record(
        actor=w.staff,
        meeting=w.meeting,
        person=w.deputy,
        status=PRESENT,
        capacity=Attendance.Capacity.DEPUTY,
        substitute_for=w.members[4],
    )


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(monkeypatch)
    clock.set(START - datetime.timedelta(days=30))
    return clock


@pytest.fixture
def w(db, clock):
    w = world()
    run(w.staff, w.meeting, clock)
    check_in(w)
    for item in w.items:
        item.refresh_from_db()
    return w


def cast(person: Person, vote: Vote, choice: str, client_id=None):
    return ballot_cast(
        actor=person.user,
        vote=vote,
        choice=choice,
        client_id=client_id or uuid.uuid4(),
    )


def reloaded(vote: Vote) -> Vote:
    return Vote.objects.get(pk=vote.pk)


# --- a full named vote into the minutes ---------------------------------------


def test_named_vote_result_is_written_into_the_minutes(w):
    vote = vote_open(actor=w.staff, agenda_item=w.items[0], kind=NAMED, name="Antrag")
    for person, choice in zip(
        [*w.members[:4], w.deputy], ["yes", "yes", "no", "abstain", "yes"], strict=True
    ):
        confirmation = cast(person, vote, choice)
        assert confirmation.choice == choice

    vote = vote_close(actor=w.staff, vote=vote)

    assert (vote.votes_yes, vote.votes_no, vote.votes_abstain) == (3, 1, 1)
    assert vote.result == Vote.Result.ACCEPTED
    assert (vote.entitled, vote.present) == (5, 5)
    assert vote.legal_basis == "§ 50 Abs. 1 GO NRW"
    minutes = ItemMinutes.objects.get(agenda_item=w.items[0])
    assert (minutes.votes_yes, minutes.votes_no, minutes.votes_abstain) == (3, 1, 1)
    assert not minutes.unanimous
    assert {(e["person"], e["vote"]) for e in minutes.roll_call} == {
        (w.members[0].pk, "yes"),
        (w.members[1].pk, "yes"),
        (w.members[2].pk, "no"),
        (w.members[3].pk, "abstain"),
        (w.deputy.pk, "yes"),
    }
    assert AgendaItem.objects.get(pk=w.items[0].pk).result == "accepted"


def test_a_tie_rejects_and_an_open_vote_keeps_no_roll_call(w):
    vote = vote_open(actor=w.staff, agenda_item=w.items[1], kind=OPEN)
    cast(w.members[0], vote, "yes")
    cast(w.members[1], vote, "no")
    vote_close(actor=w.staff, vote=vote)

    minutes = ItemMinutes.objects.get(agenda_item=w.items[1])
    assert (minutes.votes_yes, minutes.votes_no, minutes.roll_call) == (1, 1, [])
    assert AgendaItem.objects.get(pk=w.items[1].pk).result == "rejected"


# --- ballots: retries, duplicates, close --------------------------------------


def test_retry_with_the_same_client_id_returns_the_same_confirmation(w):
    vote = vote_open(actor=w.staff, agenda_item=w.items[0], kind=NAMED)
    client_id = uuid.uuid4()
    first = cast(w.members[0], vote, "yes", client_id)
    again = cast(w.members[0], vote, "yes", str(client_id))

    assert again == first
    assert reloaded(vote).votes_yes == 1
    assert VoteParticipation.objects.filter(vote=vote).count() == 1


def test_a_second_ballot_with_another_client_id_is_refused(w):
    vote = vote_open(actor=w.staff, agenda_item=w.items[0], kind=NAMED)
    cast(w.members[0], vote, "yes")
    with pytest.raises(ValidationError) as excinfo:
        cast(w.members[0], vote, "no")
    assert code_of(excinfo) == "already_voted"
    assert (reloaded(vote).votes_yes, reloaded(vote).votes_no) == (1, 0)


def test_someone_elses_client_id_is_refused(w):
    vote = vote_open(actor=w.staff, agenda_item=w.items[0], kind=NAMED)
    client_id = uuid.uuid4()
    cast(w.members[0], vote, "yes", client_id)
    with pytest.raises(ValidationError) as excinfo:
        cast(w.members[1], vote, "yes", client_id)
    assert code_of(excinfo) == "client_id_taken"


def test_ballot_after_close_is_refused_but_a_retry_is_confirmed(w):
    vote = vote_open(actor=w.staff, agenda_item=w.items[0], kind=NAMED)
    client_id = uuid.uuid4()
    first = cast(w.members[0], vote, "yes", client_id)
    vote_close(actor=w.staff, vote=vote)

    with pytest.raises(ValidationError) as excinfo:
        cast(w.members[1], vote, "no")
    assert code_of(excinfo) == "vote_closed"
    assert cast(w.members[0], vote, "yes", client_id) == first
    assert reloaded(vote).cast == 1


def test_invalid_choice_and_client_id_are_refused(w):
    vote = vote_open(actor=w.staff, agenda_item=w.items[0], kind=NAMED)
    with pytest.raises(ValidationError) as excinfo:
        cast(w.members[0], vote, "maybe")
    assert code_of(excinfo) == "invalid_choice"
    with pytest.raises(ValidationError) as excinfo:
        cast(w.members[0], vote, "yes", "not-a-uuid")
    assert code_of(excinfo) == "invalid_client_id"


# --- entitlement, bias, deputies ----------------------------------------------


def test_only_present_members_with_a_vote_can_vote(w):
    vote = vote_open(actor=w.staff, agenda_item=w.items[0], kind=NAMED)
    with pytest.raises(ValidationError) as excinfo:
        cast(w.members[4], vote, "yes")  # excused
    assert code_of(excinfo) == "not_present"
    with pytest.raises(ValidationError) as excinfo:
        cast(w.advisory, vote, "yes")
    assert code_of(excinfo) == "not_entitled"
    with pytest.raises(PermissionDenied):
        ballot_cast(actor=w.staff, vote=vote, choice="yes", client_id=uuid.uuid4())
    assert reloaded(vote).cast == 0


def test_a_member_who_declared_bias_cannot_vote(w):
    item_minutes_update(actor=w.staff, agenda_item=w.items[0], biased=[w.members[2]])
    vote = vote_open(actor=w.staff, agenda_item=w.items[0], kind=NAMED)
    with pytest.raises(ValidationError) as excinfo:
        cast(w.members[2], vote, "yes")
    assert code_of(excinfo) == "biased"
    cast(w.members[0], vote, "yes")
    assert vote_close(actor=w.staff, vote=vote).present == 4


def test_bias_declared_after_the_checks_of_a_ballot_refuses_it(w, monkeypatch):
    """The ballot's checks pass; before its count, the member's bias is
    recorded (it raises the vote's revision): the ballot is checked again
    and refused, and nothing of it is kept."""
    from sessions.services import voting
    from sessions.services.live import bias_declare

    vote = vote_open(actor=w.staff, agenda_item=w.items[0], kind=NAMED)
    checked = voting._refuse_unless_entitled
    calls = []

    def check_then_declare(item, facts):
        checked(item, facts)
        calls.append(facts["id"])
        if len(calls) == 1:
            bias_declare(actor=w.staff, agenda_item=w.items[0], person=w.members[1])

    monkeypatch.setattr(voting, "_refuse_unless_entitled", check_then_declare)
    with pytest.raises(ValidationError) as excinfo:
        cast(w.members[1], vote, "yes")
    assert code_of(excinfo) == "biased"
    assert calls == [w.members[1].pk]  # checked once; the second check refused
    assert not VoteParticipation.objects.filter(vote=vote).exists()
    assert reloaded(vote).cast == 0


def test_presence_is_checked_at_every_ballot(w):
    """The checks are compiled once per vote, but read fresh: a member who
    left after the first ballot cannot vote, one who arrived can."""
    vote = vote_open(actor=w.staff, agenda_item=w.items[0], kind=OPEN)
    cast(w.members[0], vote, "yes")
    attendance_record(
        actor=w.staff, meeting=w.meeting, person=w.members[1], status=EXCUSED
    )
    with pytest.raises(ValidationError) as excinfo:
        cast(w.members[1], vote, "yes")
    assert code_of(excinfo) == "not_present"
    attendance_record(
        actor=w.staff, meeting=w.meeting, person=w.members[1], status=PRESENT
    )
    cast(w.members[1], vote, "no")
    assert (reloaded(vote).votes_yes, reloaded(vote).votes_no) == (1, 1)


def test_deputy_votes_only_while_the_member_is_absent(w):
    vote = vote_open(actor=w.staff, agenda_item=w.items[0], kind=NAMED)
    assert cast(w.deputy, vote, "yes").choice == "yes"
    vote_close(actor=w.staff, vote=vote)

    attendance_record(
        actor=w.staff, meeting=w.meeting, person=w.members[4], status=PRESENT
    )
    vote = vote_open(actor=w.staff, agenda_item=w.items[1], kind=NAMED)
    with pytest.raises(ValidationError) as excinfo:
        cast(w.deputy, vote, "yes")
    assert code_of(excinfo) == "deputy_not_standing_in"
    cast(w.members[4], vote, "no")


def test_deputy_not_standing_in_for_anyone_cannot_vote(w):
    attendance_record(
        actor=w.staff,
        meeting=w.meeting,
        person=w.deputy,
        status=PRESENT,
        capacity=Attendance.Capacity.DEPUTY,
    )
    vote = vote_open(actor=w.staff, agenda_item=w.items[0], kind=NAMED)
    with pytest.raises(ValidationError) as excinfo:
        cast(w.deputy, vote, "yes")
    assert code_of(excinfo) == "deputy_not_standing_in"


# --- opening ------------------------------------------------------------------


def test_only_one_vote_per_meeting_is_open_at_a_time(w):
    vote = vote_open(actor=w.staff, agenda_item=w.items[0], kind=OPEN)
    with pytest.raises(ValidationError) as excinfo:
        vote_open(actor=w.staff, agenda_item=w.items[1], kind=OPEN)
    assert code_of(excinfo) == "vote_already_open"
    vote_close(actor=w.staff, vote=vote)
    assert vote_open(actor=w.staff, agenda_item=w.items[1], kind=OPEN).is_open


def test_members_cannot_open_a_vote_but_the_chair_can(w):
    with pytest.raises(PermissionDenied):
        vote_open(actor=w.members[0].user, agenda_item=w.items[0], kind=OPEN)
    attendance_record(
        actor=w.staff,
        meeting=w.meeting,
        person=w.members[0],
        status=PRESENT,
        capacity=Attendance.Capacity.CHAIR,
    )
    vote = vote_open(actor=w.members[0].user, agenda_item=w.items[0], kind=OPEN)
    assert vote_close(actor=w.members[0].user, vote=vote).closed_by == w.members[0].user


def test_votes_need_a_running_meeting(w):
    meeting_end(actor=w.staff, meeting=w.meeting)
    with pytest.raises(ValidationError) as excinfo:
        vote_open(actor=w.staff, agenda_item=w.items[0], kind=OPEN)
    assert code_of(excinfo) == "meeting_not_running"


def test_secret_votes_only_where_the_municipal_code_allows_them(w):
    with pytest.raises(ValidationError) as excinfo:
        vote_open(actor=w.staff, agenda_item=w.items[0], kind=SECRET)
    assert code_of(excinfo) == "secret_not_allowed"
    # NRW: a fifth of the five statutory members may request it.
    vote = vote_open(
        actor=w.staff, agenda_item=w.items[0], kind=SECRET, secret_requested_by=1
    )
    assert vote.kind == SECRET


def test_hessen_allows_secret_votes_for_elections_only(db, clock):
    w = world("hessen")
    run(w.staff, w.meeting, clock)
    with pytest.raises(ValidationError) as excinfo:
        vote_open(
            actor=w.staff, agenda_item=w.items[0], kind=SECRET, secret_requested_by=5
        )
    assert code_of(excinfo) == "secret_not_allowed"
    assert vote_open(
        actor=w.staff, agenda_item=w.items[0], kind=SECRET, is_election=True
    ).is_open


# --- secret votes: nothing links a voter to a choice --------------------------


def _rows_linking(voter_ids: set[int], choices: set[str]) -> list:
    """Every row of every table that references a voter and holds a choice."""
    found = []
    for model in apps.get_models():
        person_fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.ForeignKey) and f.related_model is Person
        ]
        for attname in person_fields:
            for row in model.objects.filter(**{f"{attname}__in": voter_ids}).values():
                if any(str(value) in choices for value in row.values()):
                    found.append((model.__name__, row))
    return found


def test_secret_vote_stores_no_link_between_voter_and_choice(w, caplog):
    caplog.set_level(logging.DEBUG)
    vote = vote_open(
        actor=w.staff, agenda_item=w.items[0], kind=SECRET, secret_requested_by=1
    )
    voters = [w.members[0], w.members[1], w.members[2]]
    confirmations = [
        cast(person, vote, choice)
        for person, choice in zip(voters, ["yes", "no", "abstain"], strict=True)
    ]
    vote = vote_close(actor=w.staff, vote=vote)

    assert (vote.votes_yes, vote.votes_no, vote.votes_abstain) == (1, 1, 1)
    assert all(c.choice is None for c in confirmations)
    assert not Ballot.objects.filter(vote=vote).exists()
    # Who voted is recorded, under random ids, without time or choice.
    fields = {f.name for f in VoteParticipation._meta.concrete_fields}
    assert fields == {"id", "vote", "person", "client_id"}
    assert isinstance(VoteParticipation._meta.pk, models.UUIDField)
    assert not VoteParticipation._meta.ordering
    assert set(
        VoteParticipation.objects.filter(vote=vote).values_list("person", flat=True)
    ) == {p.pk for p in voters}
    # The vote row holds counters only, nothing per person.
    assert not [
        f
        for f in Vote._meta.concrete_fields
        if getattr(f, "related_model", None) is Person
    ]
    assert _rows_linking({p.pk for p in voters}, set(Vote.Choice.values)) == []
    minutes = ItemMinutes.objects.get(agenda_item=w.items[0])
    assert minutes.roll_call == []
    for entry in ModelLogEntry.objects.all():
        text = str(entry.data)
        assert not any(str(p.pk) in text and p.name in text for p in voters)
    for record in caplog.records:
        message = record.getMessage()
        assert not any(p.name in message or p.user.username in message for p in voters)
        assert not any(choice in message for choice in ("yes", "no", "abstain"))


def test_secret_retry_is_confirmed_and_counted_once(w):
    vote = vote_open(
        actor=w.staff, agenda_item=w.items[0], kind=SECRET, secret_requested_by=1
    )
    client_id = uuid.uuid4()
    first = cast(w.members[0], vote, "no", client_id)
    assert cast(w.members[0], vote, "no", client_id) == first
    with pytest.raises(ValidationError) as excinfo:
        cast(w.members[0], vote, "yes")
    assert code_of(excinfo) == "already_voted"
    assert (reloaded(vote).votes_no, reloaded(vote).cast) == (1, 1)


# --- quorum -------------------------------------------------------------------


def test_quorum_counts_present_voters_minus_biased(w):
    result = quorum(w.meeting, w.items[0])
    assert (result.counted, result.required, result.reached) == (5, 3, True)

    item_minutes_update(actor=w.staff, agenda_item=w.items[0], biased=w.members[:3])
    result = quorum(w.meeting, w.items[0])
    assert (result.counted, result.reached) == (2, False)
    assert quorum(w.meeting, w.items[1]).counted == 5
    assert quorum(w.meeting).counted == 5


def test_quorum_without_the_deputy_standing_in(w):
    attendance_record(actor=w.staff, meeting=w.meeting, person=w.deputy, status=EXCUSED)
    for person in w.members[:2]:
        attendance_record(
            actor=w.staff, meeting=w.meeting, person=person, status=EXCUSED
        )
    result = quorum(w.meeting, w.items[0])
    assert (result.counted, result.reached) == (2, False)


# --- by hand ------------------------------------------------------------------


def test_show_of_hands_entered_by_hand_with_reason(w):
    vote = vote_record_manual(
        actor=w.staff,
        agenda_item=w.items[1],
        yes=4,
        no=0,
        abstain=1,
        reason="Abstimmung per Handzeichen",
    )
    assert (vote.manual, vote.state, vote.result) == (True, "closed", "accepted")
    record = VoteCorrection.objects.get(vote=vote)
    assert record.reason == "Abstimmung per Handzeichen"
    assert record.new_counts == {"yes": 4, "no": 0, "abstain": 1}
    assert record.corrected_by == w.staff
    minutes = ItemMinutes.objects.get(agenda_item=w.items[1])
    assert (minutes.votes_yes, minutes.votes_abstain) == (4, 1)


def test_manual_entry_needs_a_reason_and_counts_of_zero_or_more(w):
    with pytest.raises(ValidationError) as excinfo:
        vote_record_manual(
            actor=w.staff, agenda_item=w.items[1], yes=1, no=0, abstain=0, reason=" "
        )
    assert code_of(excinfo) == "reason_required"
    with pytest.raises(ValidationError) as excinfo:
        vote_record_manual(
            actor=w.staff, agenda_item=w.items[1], yes=-1, no=0, abstain=0, reason="x"
        )
    assert code_of(excinfo) == "negative_count"
    assert not Vote.objects.exists()


def test_correction_keeps_old_and_new_counts_and_recomputes_the_result(w):
    vote = vote_open(actor=w.staff, agenda_item=w.items[0], kind=OPEN)
    cast(w.members[0], vote, "yes")
    vote_close(actor=w.staff, vote=vote)

    correction = vote_correct(
        actor=w.staff, vote=vote, yes=1, no=3, abstain=0, reason="Tablets ausgefallen"
    )

    assert correction.old_counts == {"yes": 1, "no": 0, "abstain": 0}
    assert correction.new_counts == {"yes": 1, "no": 3, "abstain": 0}
    assert reloaded(vote).result == "rejected"
    assert ItemMinutes.objects.get(agenda_item=w.items[0]).votes_no == 3
    assert AgendaItem.objects.get(pk=w.items[0].pk).result == "rejected"


def test_open_and_named_votes_cannot_be_corrected_by_hand(w):
    vote = vote_open(actor=w.staff, agenda_item=w.items[0], kind=NAMED)
    with pytest.raises(ValidationError) as excinfo:
        vote_correct(actor=w.staff, vote=vote, yes=1, no=0, abstain=0, reason="x")
    assert code_of(excinfo) == "vote_open"
    vote_close(actor=w.staff, vote=vote)
    with pytest.raises(ValidationError) as excinfo:
        vote_correct(actor=w.staff, vote=vote, yes=1, no=0, abstain=0, reason="x")
    assert code_of(excinfo) == "named_vote"


# --- concurrency (PostgreSQL) -------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_identical_ballots_record_exactly_one(clock):
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency need PostgreSQL")
    w = world()
    run(w.staff, w.meeting, clock)
    check_in(w)
    vote = vote_open(actor=w.staff, agenda_item=w.items[0], kind=NAMED)
    client_id = uuid.uuid4()
    threads_count = 12
    barrier = threading.Barrier(threads_count)
    results, errors = [], []

    def attempt(n: int) -> None:
        try:
            barrier.wait()
            # Half retry with the same id, half send a second ballot.
            cid = client_id if n % 2 == 0 else uuid.uuid4()
            results.append(
                ballot_cast(
                    actor=w.members[0].user, vote=vote, choice="yes", client_id=cid
                )
            )
        except ValidationError as exc:
            errors.append(exc.code)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=attempt, args=(n,)) for n in range(threads_count)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert VoteParticipation.objects.filter(vote=vote).count() == 1
    assert Ballot.objects.filter(vote=vote).count() == 1
    assert reloaded(vote).votes_yes == 1
    assert len({r.receipt for r in results}) == 1
    assert set(errors) <= {"already_voted"}
    assert len(results) + len(errors) == threads_count


def race(*actions) -> list[str]:
    """Run ``actions`` in threads released at once; each outcome is "ok" or
    the refusal code."""
    barrier = threading.Barrier(len(actions))
    outcomes = [""] * len(actions)

    def run_one(n: int) -> None:
        try:
            barrier.wait()
            actions[n]()
            outcomes[n] = "ok"
        except ValidationError as exc:
            outcomes[n] = exc.code
        finally:
            connection.close()

    threads = [threading.Thread(target=run_one, args=(n,)) for n in range(len(actions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_ballot_and_a_declaration_of_bias_at_once_never_both_count(clock):
    """A member taps "Ja" while the chair records their bias: either the
    ballot counts and the declaration is refused, or the other way round."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency need PostgreSQL")
    from sessions.services.live import bias_declare

    w = world()
    items = [
        agenda_item_add(actor=w.staff, meeting=w.meeting, name=f"Antrag {n}")
        for n in range(6)
    ]
    run(w.staff, w.meeting, clock)
    check_in(w)
    for round_, item in enumerate(items):
        item.refresh_from_db()
        vote = vote_open(actor=w.staff, agenda_item=item, kind=NAMED)
        member = w.members[round_ % 4]
        outcomes = race(
            lambda vote=vote, member=member: cast(member, vote, "yes"),
            lambda item=item, member=member: bias_declare(
                actor=w.staff, agenda_item=item, person=member
            ),
        )
        voted = VoteParticipation.objects.filter(vote=vote, person=member).exists()
        biased = ItemMinutes.objects.filter(agenda_item=item, biased=member).exists()
        assert voted != biased, outcomes
        assert reloaded(vote).cast == int(voted)
        assert outcomes == (["ok", "already_voted"] if voted else ["biased", "ok"])
        vote_close(actor=w.staff, vote=vote)
