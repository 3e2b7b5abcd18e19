"""Paper workflow: sign-off (Mitzeichnung), release, consultation, conclusion."""

import contextlib
import datetime
import threading

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.db.models import QuerySet
from wagtail.models import ModelLogEntry

from documents.models import Paper, PaperType, SignOff
from documents.services import (
    paper_begin_consultation,
    paper_conclude,
    paper_create,
    paper_is_schedulable,
    paper_release,
    paper_request_sign_off,
    paper_sign_off,
    paper_withdraw,
    require_schedulable,
)
from gremien.models import Organization
from tests.gremien.factories import (
    BodyFactory,
    OrganizationFactory,
    StaffAccessFactory,
    UserFactory,
)
from tests.sessions.factories import (
    AgendaItemFactory,
    ConsultationFactory,
    MeetingFactory,
)

State = Paper.State
DAY = datetime.date(2026, 3, 12)


def make_staff(*bodies, group: str | None = "Sitzungsdienst"):
    user = UserFactory()
    if group:
        user.groups.add(Group.objects.get(name=group))
    for body in bodies:
        StaffAccessFactory(user=user, body=body)
    return user


def department(body, name: str) -> Organization:
    return OrganizationFactory(body=body, name=name, kind=Organization.Kind.DEPARTMENT)


def codes(exc: ValidationError) -> set[str]:
    if hasattr(exc, "error_dict"):
        return {e.code for errors in exc.error_dict.values() for e in errors}
    return {e.code for e in exc.error_list}


def transitions(paper: Paper) -> list[str]:
    entries = ModelLogEntry.objects.for_instance(paper).order_by("timestamp", "pk")
    return [e.data["transition"] for e in entries if "transition" in e.data]


def last_entry(paper: Paper) -> ModelLogEntry:
    return ModelLogEntry.objects.for_instance(paper).order_by("-timestamp", "-pk")[0]


def reloaded(paper: Paper) -> Paper:
    return Paper.objects.get(pk=paper.pk)


@pytest.fixture
def body(db):
    return BodyFactory()


@pytest.fixture
def staff(body):
    return make_staff(body)


@pytest.fixture
def finance(body):
    return department(body, "Kämmerei")


@pytest.fixture
def legal(body):
    return department(body, "Rechtsamt")


@pytest.fixture
def paper(body, staff):
    return paper_create(actor=staff, body=body, name="Neubau Feuerwache", date=DAY)


@pytest.fixture
def in_sign_off(paper, staff, finance, legal):
    paper_request_sign_off(actor=staff, paper=paper, departments=[finance, legal])
    return paper


def sign_off_of(paper: Paper, organization: Organization) -> SignOff:
    return paper.sign_offs.get(organization=organization, state="pending")


def released(paper: Paper, staff) -> Paper:
    return paper_release(actor=staff, paper=paper)


# --- happy path --------------------------------------------------------------


def test_two_departments_sign_off_then_paper_is_consulted_and_decided(
    paper, staff, finance, legal
):
    head_finance, head_legal = make_staff(paper.body), make_staff(paper.body)

    requested = paper_request_sign_off(
        actor=staff, paper=paper, departments=[finance, legal]
    )
    assert reloaded(paper).state == State.SIGN_OFF
    assert {(s.organization, s.round, s.state) for s in requested} == {
        (finance, 1, "pending"),
        (legal, 1, "pending"),
    }
    assert all(s.requested_by == staff for s in paper.sign_offs.all())

    paper_sign_off(
        actor=head_finance,
        sign_off=sign_off_of(paper, finance),
        approve=True,
        comment="Mittel im Haushalt 2026 vorhanden.",
    )
    assert reloaded(paper).state == State.SIGN_OFF

    paper_sign_off(actor=head_legal, sign_off=sign_off_of(paper, legal), approve=True)
    assert reloaded(paper).state == State.RELEASED
    finance_sign_off = paper.sign_offs.get(organization=finance)
    assert finance_sign_off.state == "approved"
    assert finance_sign_off.decided_by == head_finance
    assert finance_sign_off.decided_at is not None
    assert finance_sign_off.comment == "Mittel im Haushalt 2026 vorhanden."
    assert paper.sign_offs.get(organization=legal).decided_by == head_legal

    paper = reloaded(paper)
    paper_begin_consultation(paper=paper, actor=staff)
    paper_begin_consultation(paper=paper, actor=staff)  # second committee
    assert reloaded(paper).state == State.IN_CONSULTATION

    paper_conclude(paper=paper, outcome="decided", actor=staff)
    assert reloaded(paper).state == State.DECIDED
    assert transitions(paper) == [
        "request_sign_off",
        "sign_off_approved",
        "sign_off_approved",
        "release",
        "begin_consultation",
        "conclude",
    ]


def test_every_workflow_step_is_audit_logged_with_actor_and_states(
    paper, staff, finance
):
    head = make_staff(paper.body)
    paper_request_sign_off(actor=staff, paper=paper, departments=[finance])
    paper_sign_off(actor=head, sign_off=sign_off_of(paper, finance), approve=True)

    entries = list(ModelLogEntry.objects.for_instance(paper).order_by("pk"))
    steps = [
        (e.action, e.user, e.data["old_state"], e.data["new_state"])
        for e in entries
        if "transition" in e.data
    ]
    assert steps == [
        ("wagtail.edit", staff, "draft", "sign_off"),
        ("wagtail.edit", head, "sign_off", "sign_off"),
        ("wagtail.edit", head, "sign_off", "released"),
    ]
    assert entries[1].data["departments"] == [finance.pk]


def test_conclude_with_taken_note_of(paper, staff):
    released(paper, staff)
    paper_begin_consultation(paper=paper)

    paper_conclude(paper=paper, outcome="noted")

    assert reloaded(paper).state == State.NOTED


# --- refusal and second round -------------------------------------------------


def test_refusal_sends_paper_back_to_draft_with_comment_and_cancels_the_rest(
    in_sign_off, finance, legal
):
    head_legal = make_staff(in_sign_off.body)

    paper_sign_off(
        actor=head_legal,
        sign_off=sign_off_of(in_sign_off, legal),
        approve=False,
        comment="  Vergaberecht nicht beachtet.  ",
    )

    assert reloaded(in_sign_off).state == State.DRAFT
    refused = in_sign_off.sign_offs.get(organization=legal)
    assert (refused.state, refused.decided_by, refused.comment) == (
        "refused",
        head_legal,
        "Vergaberecht nicht beachtet.",
    )
    assert in_sign_off.sign_offs.get(organization=finance).state == "cancelled"
    entry = last_entry(in_sign_off)
    assert entry.user == head_legal
    assert entry.data["transition"] == "sign_off_refused"
    assert entry.data["new_state"] == "draft"
    assert entry.data["comment"] == "Vergaberecht nicht beachtet."


def test_refusal_without_comment_is_refused_and_changes_nothing(in_sign_off, legal):
    sign_off = sign_off_of(in_sign_off, legal)

    with pytest.raises(ValidationError) as exc:
        paper_sign_off(
            actor=make_staff(in_sign_off.body),
            sign_off=sign_off,
            approve=False,
            comment="   ",
        )

    assert codes(exc.value) == {"comment_required"}
    assert set(in_sign_off.sign_offs.values_list("state", flat=True)) == {"pending"}
    assert reloaded(in_sign_off).state == State.SIGN_OFF


def test_second_round_after_refusal_keeps_history_and_releases(
    in_sign_off, staff, finance, legal
):
    paper_sign_off(
        actor=staff,
        sign_off=sign_off_of(in_sign_off, legal),
        approve=False,
        comment="Bitte Kostenschätzung ergänzen.",
    )
    paper = reloaded(in_sign_off)

    second = paper_request_sign_off(actor=staff, paper=paper, departments=[legal])
    assert [s.round for s in second] == [2]
    paper_sign_off(actor=staff, sign_off=second[0], approve=True)

    assert reloaded(paper).state == State.RELEASED
    assert sorted(paper.sign_offs.values_list("round", "state")) == [
        (1, "cancelled"),
        (1, "refused"),
        (2, "approved"),
    ]


def test_deciding_an_already_decided_sign_off_is_refused(in_sign_off, staff, legal):
    sign_off = sign_off_of(in_sign_off, legal)
    paper_sign_off(actor=staff, sign_off=sign_off, approve=True)

    with pytest.raises(ValidationError) as exc:
        paper_sign_off(actor=staff, sign_off=sign_off, approve=False, comment="Doch")

    assert codes(exc.value) == {"sign_off_not_pending"}
    assert in_sign_off.sign_offs.get(pk=sign_off.pk).state == "approved"
    assert reloaded(in_sign_off).state == State.SIGN_OFF


def test_a_stale_copy_of_a_cancelled_sign_off_cannot_be_approved(
    in_sign_off, staff, finance, legal
):
    stale = sign_off_of(in_sign_off, finance)
    paper_sign_off(
        actor=staff,
        sign_off=sign_off_of(in_sign_off, legal),
        approve=False,
        comment="Nein.",
    )

    with pytest.raises(ValidationError) as exc:
        paper_sign_off(actor=staff, sign_off=stale, approve=True)

    assert codes(exc.value) == {"sign_off_not_pending"}
    assert reloaded(in_sign_off).state == State.DRAFT


# --- requesting sign-off --------------------------------------------------------


def test_request_without_departments_is_refused_and_creates_nothing(paper, staff):
    with pytest.raises(ValidationError) as exc:
        paper_request_sign_off(actor=staff, paper=paper, departments=[])

    assert codes(exc.value) == {"no_departments"}
    assert reloaded(paper).state == State.DRAFT
    assert not SignOff.objects.exists()
    assert transitions(paper) == []


@pytest.mark.parametrize("wrong", ["committee", "other_body"])
def test_only_departments_of_the_same_body_can_sign_off(paper, staff, finance, wrong):
    if wrong == "committee":
        other = OrganizationFactory(body=paper.body, kind="committee")
    else:
        other = department(BodyFactory(), "Kämmerei Nachbarstadt")

    with pytest.raises(ValidationError) as exc:
        paper_request_sign_off(actor=staff, paper=paper, departments=[finance, other])

    assert codes(exc.value) == {"not_a_department"}
    assert reloaded(paper).state == State.DRAFT
    assert not SignOff.objects.exists()


def test_a_department_named_twice_signs_off_once(paper, staff, finance):
    paper_request_sign_off(actor=staff, paper=paper, departments=[finance, finance])

    assert paper.sign_offs.count() == 1


def test_sign_off_cannot_be_requested_for_a_released_paper(paper, staff, finance):
    released(paper, staff)

    with pytest.raises(ValidationError) as exc:
        paper_request_sign_off(actor=staff, paper=paper, departments=[finance])

    assert codes(exc.value) == {"illegal_transition"}
    assert exc.value.params["current"] == State.RELEASED.label
    assert not SignOff.objects.exists()


# --- release --------------------------------------------------------------------


def test_fraction_motion_is_released_without_sign_off(body, staff):
    fraction = OrganizationFactory(body=body, kind="fraction", name="Fraktion A")
    motion = paper_create(
        actor=staff,
        body=body,
        name="Antrag: Tempo 30 vor Schulen",
        date=DAY,
        paper_type=PaperType.MOTION,
    )
    motion.originator_organizations.add(fraction)

    paper_release(actor=staff, paper=motion)

    assert reloaded(motion).state == State.RELEASED
    entry = last_entry(motion)
    assert entry.user == staff
    assert entry.data["sign_off_skipped"] is True
    assert paper_is_schedulable(motion)


def test_release_is_refused_while_a_department_has_not_signed_off(
    in_sign_off, staff, finance, legal
):
    paper_sign_off(
        actor=staff, sign_off=sign_off_of(in_sign_off, finance), approve=True
    )

    with pytest.raises(ValidationError) as exc:
        paper_release(actor=staff, paper=in_sign_off)

    assert codes(exc.value) == {"sign_off_pending"}
    assert legal.name in exc.value.messages[0]
    assert reloaded(in_sign_off).state == State.SIGN_OFF


def test_releasing_twice_is_refused(paper, staff):
    released(paper, staff)

    with pytest.raises(ValidationError) as exc:
        paper_release(actor=staff, paper=paper)

    assert codes(exc.value) == {"illegal_transition"}


# --- withdrawal -------------------------------------------------------------------


def test_withdrawal_during_sign_off_cancels_the_pending_sign_offs(in_sign_off, staff):
    paper_withdraw(actor=staff, paper=in_sign_off, reason="Vorhaben aufgegeben.")

    assert reloaded(in_sign_off).state == State.WITHDRAWN
    assert set(in_sign_off.sign_offs.values_list("state", flat=True)) == {"cancelled"}
    entry = last_entry(in_sign_off)
    assert (entry.user, entry.data["comment"]) == (staff, "Vorhaben aufgegeben.")


def test_withdrawal_keeps_agenda_items_of_coming_meetings_and_records_them(
    paper, staff
):
    released(paper, staff)
    coming = MeetingFactory(body=paper.body)
    held = MeetingFactory(body=paper.body, state="held")
    upcoming = ConsultationFactory(
        paper=paper, meeting=coming, agenda_item=AgendaItemFactory(meeting=coming)
    )
    ConsultationFactory(
        paper=paper, meeting=held, agenda_item=AgendaItemFactory(meeting=held)
    )
    paper_begin_consultation(paper=paper)

    paper_withdraw(actor=staff, paper=paper, reason="Antragsteller zieht zurück.")

    assert reloaded(paper).state == State.WITHDRAWN
    assert last_entry(paper).data["open_consultations"] == [upcoming.pk]
    upcoming.refresh_from_db()
    assert upcoming.agenda_item is not None
    assert not paper_is_schedulable(reloaded(paper))


def test_withdrawal_needs_a_reason(paper, staff):
    with pytest.raises(ValidationError) as exc:
        paper_withdraw(actor=staff, paper=paper, reason=" ")

    assert codes(exc.value) == {"reason_required"}
    assert reloaded(paper).state == State.DRAFT


def test_a_decided_paper_cannot_be_withdrawn(paper, staff):
    released(paper, staff)
    paper_begin_consultation(paper=paper)
    paper_conclude(paper=paper, outcome="decided")

    with pytest.raises(ValidationError) as exc:
        paper_withdraw(actor=staff, paper=paper, reason="Zu spät.")

    assert codes(exc.value) == {"illegal_transition"}
    assert reloaded(paper).state == State.DECIDED


# --- consultation and conclusion --------------------------------------------------


def test_a_draft_cannot_be_concluded(paper):
    with pytest.raises(ValidationError) as exc:
        paper_conclude(paper=paper, outcome="decided")

    assert codes(exc.value) == {"illegal_transition"}
    assert reloaded(paper).state == State.DRAFT


def test_unknown_outcome_is_refused(paper, staff):
    released(paper, staff)
    paper_begin_consultation(paper=paper)

    with pytest.raises(ValidationError) as exc:
        paper_conclude(paper=paper, outcome="adjourned")

    assert codes(exc.value) == {"invalid_outcome"}
    assert reloaded(paper).state == State.IN_CONSULTATION


def test_consultation_of_a_draft_is_refused(paper):
    with pytest.raises(ValidationError) as exc:
        paper_begin_consultation(paper=paper)

    assert codes(exc.value) == {"paper_not_released"}
    assert reloaded(paper).state == State.DRAFT


def test_only_released_papers_and_papers_in_consultation_are_schedulable(
    paper, in_sign_off, body, staff
):
    for unreleased in (paper, in_sign_off):
        assert not paper_is_schedulable(unreleased)
        with pytest.raises(ValidationError) as exc:
            require_schedulable(unreleased)
        assert codes(exc.value) == {"paper_not_released"}

    other = paper_create(actor=staff, body=body, name="Mitteilung", date=DAY)
    released(other, staff)
    require_schedulable(other)
    paper_begin_consultation(paper=other)
    require_schedulable(other)

    paper_conclude(paper=other, outcome="noted")
    with pytest.raises(ValidationError) as exc:
        require_schedulable(other)
    assert codes(exc.value) == {"paper_not_released"}


# --- permissions ------------------------------------------------------------------


def test_staff_of_another_body_cannot_sign_off(in_sign_off, legal):
    outsider = make_staff(BodyFactory())

    with pytest.raises(PermissionDenied):
        paper_sign_off(
            actor=outsider, sign_off=sign_off_of(in_sign_off, legal), approve=True
        )

    assert set(in_sign_off.sign_offs.values_list("state", flat=True)) == {"pending"}


def test_body_access_without_change_permission_is_not_enough(paper, finance):
    viewer = make_staff(paper.body, group=None)

    with pytest.raises(PermissionDenied):
        paper_request_sign_off(actor=viewer, paper=paper, departments=[finance])
    with pytest.raises(PermissionDenied):
        paper_release(actor=viewer, paper=paper)
    with pytest.raises(PermissionDenied):
        paper_withdraw(actor=viewer, paper=paper, reason="Weil.")

    assert reloaded(paper).state == State.DRAFT
    assert not SignOff.objects.exists()


# --- concurrency --------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_simultaneous_last_approvals_release_the_paper(monkeypatch):
    """Two departments approve at the same moment: one of them is the last."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency need PostgreSQL")
    exists = QuerySet.exists
    looked = threading.Barrier(2, timeout=1)

    def exists_then_wait_for_the_other(queryset):
        found = exists(queryset)
        if queryset.model is SignOff:
            # Unlocked, both look for pending sign-offs before either commits
            # (and each sees the other's); locked, the first waits here in vain.
            with contextlib.suppress(threading.BrokenBarrierError):
                looked.wait()
        return found

    monkeypatch.setattr(QuerySet, "exists", exists_then_wait_for_the_other)
    body = BodyFactory()
    # No group: a flush by an earlier transactional test removes migration data.
    staff = UserFactory(is_superuser=True)
    paper = paper_create(actor=staff, body=body, name="Kita-Ausbau", date=DAY)
    sign_offs = paper_request_sign_off(
        actor=staff,
        paper=paper,
        departments=[department(body, "Kämmerei"), department(body, "Jugendamt")],
    )
    barrier = threading.Barrier(len(sign_offs))
    errors: list[BaseException] = []

    def approve(sign_off: SignOff) -> None:
        try:
            barrier.wait()
            paper_sign_off(
                actor=staff, sign_off=SignOff.objects.get(pk=sign_off.pk), approve=True
            )
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=approve, args=(s,)) for s in sign_offs]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert errors == []
    assert reloaded(paper).state == State.RELEASED
    assert transitions(paper).count("release") == 1
