import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from documents.models import Paper
from sessions.models import AgendaItem, Consultation
from sessions.services.consultations import (
    consultation_next_meetings,
    consultation_path_set,
    consultation_record_result,
    consultation_schedule,
)
from tests.gremien.factories import BodyFactory, staff_of
from tests.sessions.agenda_factories import (
    committee,
    hold,
    meeting_of,
    released_paper,
    run,
)

Role = Consultation.Role
Result = AgendaItem.Result


@pytest.fixture
def hfa(body):
    return committee(body, "Haupt- und Finanzausschuss")


@pytest.fixture
def rat(body):
    return committee(body, "Rat", kind="council")


@pytest.fixture
def paper(staff, body, bau, hfa, rat):
    paper = released_paper(body, "Bebauungsplan Nr. 12 „Am Mühlbach“")
    consultation_path_set(
        actor=staff,
        paper=paper,
        steps=[
            ([bau], Role.PRELIMINARY),
            ([hfa], Role.PRELIMINARY),
            ([rat], Role.DECIDING),
        ],
    )
    return paper


def path(paper):
    """(position, organization names, role, meeting name) of the live steps."""
    return [
        (
            step.position,
            sorted(o.name for o in step.organizations.all()),
            step.role,
            step.meeting.name if step.meeting else None,
        )
        for step in paper.consultations.alive().order_by("position")
    ]


def step(paper, position):
    return paper.consultations.alive().get(position=position)


def schedule(staff, paper, position, meeting):
    return consultation_schedule(
        actor=staff, consultation=step(paper, position), meeting=meeting
    )


def record(staff, clock, item, result, **kwargs):
    """Record ``result`` while the item's meeting runs."""
    run(staff, item.meeting, clock)
    return consultation_record_result(
        actor=staff, agenda_item=item, result=result, **kwargs
    )


def test_path_travels_to_the_deciding_body_and_concludes_the_paper(
    staff, clock, body, paper, bau, hfa, rat
):
    bau_meeting = meeting_of(body, bau, days=7, name="Bau 1")
    hfa_meeting = meeting_of(body, hfa, days=14, name="HFA 1")
    rat_meeting = meeting_of(body, rat, days=21, name="Rat 1")

    bau_item = schedule(staff, paper, 1, bau_meeting)
    paper.refresh_from_db()
    assert paper.state == Paper.State.IN_CONSULTATION
    record(
        staff,
        clock,
        bau_item,
        Result.RECOMMENDED,
        resolution_text="<p>Der Ausschuss empfiehlt den Satzungsbeschluss.</p>",
        amendment="Baumreihe entlang der Straße erhalten",
    )
    hfa_step = step(paper, 2)
    assert "Bauausschuss" in hfa_step.recommendation
    assert "empfiehlt den Satzungsbeschluss" in hfa_step.recommendation
    assert "Baumreihe entlang der Straße erhalten" in hfa_step.recommendation
    bau_item.refresh_from_db()
    assert bau_item.result == Result.RECOMMENDED
    assert "Baumreihe" in bau_item.resolution_text

    hfa_item = schedule(staff, paper, 2, hfa_meeting)
    record(
        staff, clock, hfa_item, Result.ACCEPTED, resolution_text="<p>Zugestimmt.</p>"
    )
    assert "Zugestimmt." in step(paper, 3).recommendation
    paper.refresh_from_db()
    assert paper.state == Paper.State.IN_CONSULTATION

    rat_item = schedule(staff, paper, 3, rat_meeting)
    record(
        staff, clock, rat_item, Result.ACCEPTED_AMENDED, resolution_text="<p>Ja.</p>"
    )

    paper.refresh_from_db()
    assert paper.state == Paper.State.DECIDED
    assert path(paper) == [
        (1, ["Bauausschuss"], Role.PRELIMINARY, "Bau 1"),
        (2, ["Haupt- und Finanzausschuss"], Role.PRELIMINARY, "HFA 1"),
        (3, ["Rat"], Role.DECIDING, "Rat 1"),
    ]


def test_noted_by_the_deciding_body_concludes_as_noted(staff, clock, body, rat):
    paper = released_paper(body, "Mitteilung Haushaltslage")
    consultation_path_set(actor=staff, paper=paper, steps=[([rat], Role.DECIDING)])
    item = schedule(staff, paper, 1, meeting_of(body, rat))

    with pytest.raises(ValidationError) as exc:
        record(staff, clock, item, Result.RECOMMENDED)
    assert exc.value.code == "result_not_for_role"
    record(staff, clock, item, Result.NOTED)

    paper.refresh_from_db()
    assert paper.state == Paper.State.NOTED


def test_deferral_adds_a_step_that_can_go_on_a_later_meeting(
    staff, clock, body, paper, bau, hfa, rat
):
    first = meeting_of(body, bau, days=7, name="Bau 1")
    second = meeting_of(body, bau, days=35, name="Bau 2")
    hfa_meeting = meeting_of(body, hfa, days=40, name="HFA 1")
    item = schedule(staff, paper, 1, first)

    record(staff, clock, item, Result.DEFERRED)

    assert path(paper) == [
        (1, ["Bauausschuss"], Role.PRELIMINARY, "Bau 1"),
        (2, ["Bauausschuss"], Role.PRELIMINARY, None),
        (3, ["Haupt- und Finanzausschuss"], Role.PRELIMINARY, None),
        (4, ["Rat"], Role.DECIDING, None),
    ]
    item.refresh_from_db()
    assert item.result_label == "vertagt"
    assert consultation_next_meetings(consultation=step(paper, 2)) == [second]
    with pytest.raises(ValidationError) as exc:  # the HFA waits for the committee
        schedule(staff, paper, 3, hfa_meeting)
    assert exc.value.code == "predecessor_not_scheduled"

    again = schedule(staff, paper, 2, second)
    record(staff, clock, again, Result.RECOMMENDED, resolution_text="<p>Empfohlen.</p>")
    assert "Empfohlen." in step(paper, 3).recommendation
    schedule(staff, paper, 3, hfa_meeting)
    assert path(paper)[1:3] == [
        (2, ["Bauausschuss"], Role.PRELIMINARY, "Bau 2"),
        (3, ["Haupt- und Finanzausschuss"], Role.PRELIMINARY, "HFA 1"),
    ]


def test_referral_back_repeats_the_previous_and_the_current_step(
    staff, clock, body, paper, bau, hfa, rat
):
    bau_item = schedule(staff, paper, 1, meeting_of(body, bau, days=7, name="Bau 1"))
    record(staff, clock, bau_item, Result.RECOMMENDED)
    hfa_item = schedule(staff, paper, 2, meeting_of(body, hfa, days=14, name="HFA"))

    record(
        staff,
        clock,
        hfa_item,
        Result.REFERRED_BACK,
        resolution_text="<p>Verkehrsgutachten nachreichen.</p>",
    )

    assert path(paper) == [
        (1, ["Bauausschuss"], Role.PRELIMINARY, "Bau 1"),
        (2, ["Haupt- und Finanzausschuss"], Role.PRELIMINARY, "HFA"),
        (3, ["Bauausschuss"], Role.PRELIMINARY, None),
        (4, ["Haupt- und Finanzausschuss"], Role.PRELIMINARY, None),
        (5, ["Rat"], Role.DECIDING, None),
    ]
    assert "Verkehrsgutachten nachreichen." in step(paper, 3).recommendation
    assert step(paper, 5).authoritative is True
    bau_again = schedule(staff, paper, 3, meeting_of(body, bau, days=28, name="Bau 2"))
    assert bau_again.meeting.name == "Bau 2"


def test_joint_meeting_accepts_a_step_of_either_committee(staff, body, bau, rat):
    umwelt = committee(body, "Umweltausschuss")
    joint = meeting_of(body, bau, umwelt, name="Gemeinsame Sitzung")
    trees = released_paper(body, "Baumschutzsatzung")
    road = released_paper(body, "Ausbau Lindenstraße")
    consultation_path_set(
        actor=staff,
        paper=trees,
        steps=[([umwelt], Role.PRELIMINARY), ([rat], Role.DECIDING)],
    )
    consultation_path_set(
        actor=staff,
        paper=road,
        steps=[([bau], Role.PRELIMINARY), ([rat], Role.DECIDING)],
    )

    assert consultation_next_meetings(consultation=step(trees, 1)) == [joint]
    schedule(staff, trees, 1, joint)
    schedule(staff, road, 1, joint)

    assert sorted(joint.agenda_items.values_list("name", flat=True)) == [
        "Ausbau Lindenstraße",
        "Baumschutzsatzung",
    ]


def test_scheduling_out_of_order_is_refused(staff, body, paper, bau, hfa, rat):
    early_hfa = meeting_of(body, hfa, days=5)
    bau_meeting = meeting_of(body, bau, days=10)

    with pytest.raises(ValidationError) as exc:
        schedule(staff, paper, 3, meeting_of(body, rat, days=30))
    assert exc.value.code == "predecessor_not_scheduled"

    schedule(staff, paper, 1, bau_meeting)
    assert consultation_next_meetings(consultation=step(paper, 2)) == []
    with pytest.raises(ValidationError) as exc:
        schedule(staff, paper, 2, early_hfa)
    assert exc.value.code == "predecessor_later"
    assert early_hfa.agenda_items.count() == 0
    assert step(paper, 2).meeting is None


def test_meeting_of_another_body_or_committee_is_refused(staff, body, paper, hfa):
    other_body = BodyFactory()
    foreign = meeting_of(other_body, committee(other_body, "Bauausschuss"))
    with pytest.raises(PermissionDenied):
        schedule(staff, paper, 1, foreign)
    with pytest.raises(ValidationError) as exc:  # staff of both bodies
        schedule(staff_of(body, other_body), paper, 1, foreign)
    assert exc.value.code == "meeting_other_body"

    with pytest.raises(ValidationError) as exc:
        schedule(staff, paper, 1, meeting_of(body, hfa))
    assert exc.value.code == "organization_not_on_meeting"
    assert step(paper, 1).meeting is None


def test_results_only_while_the_meeting_runs_or_after_it(
    staff, clock, body, paper, bau
):
    item = schedule(staff, paper, 1, meeting_of(body, bau))

    with pytest.raises(ValidationError) as exc:
        consultation_record_result(
            actor=staff, agenda_item=item, result=Result.RECOMMENDED
        )
    assert exc.value.code == "meeting_not_in_session"
    item.refresh_from_db()
    assert item.result == Result.NONE
    assert step(paper, 2).recommendation == ""

    hold(staff, item.meeting, clock)
    consultation_record_result(actor=staff, agenda_item=item, result=Result.NOTED)
    with pytest.raises(ValidationError) as exc:
        consultation_record_result(
            actor=staff, agenda_item=item, result=Result.REJECTED
        )
    assert exc.value.code == "result_already_recorded"


def test_path_rules(staff, body, paper, bau, hfa, rat):
    department = committee(body, "Fachbereich Bauen", kind="department")
    foreign = committee(BodyFactory(), "Bauausschuss")
    cases = {
        "deciding_not_last": [([rat], Role.DECIDING), ([bau], Role.PRELIMINARY)],
        "organization_not_deliberative": [([department], Role.DECIDING)],
        "organization_other_body": [([foreign], Role.DECIDING)],
        "step_without_organization": [([], Role.DECIDING)],
        "invalid_role": [([rat], "approving")],
    }
    for code, steps in cases.items():
        with pytest.raises(ValidationError) as exc:
            consultation_path_set(actor=staff, paper=paper, steps=steps)
        assert exc.value.code == code

    schedule(staff, paper, 1, meeting_of(body, bau))
    with pytest.raises(ValidationError) as exc:
        consultation_path_set(actor=staff, paper=paper, steps=[([rat], Role.DECIDING)])
    assert exc.value.code == "scheduled_step_changed"

    # The tail after a scheduled step may change; the carried-over row is reused.
    hfa_step = step(paper, 2)
    consultation_path_set(
        actor=staff,
        paper=paper,
        steps=[([bau], Role.PRELIMINARY), ([rat], Role.DECIDING)],
    )
    assert path(paper) == [
        (1, ["Bauausschuss"], Role.PRELIMINARY, f"Sitzung {bau.name}"),
        (2, ["Rat"], Role.DECIDING, None),
    ]
    assert step(paper, 2).pk == hfa_step.pk
    assert step(paper, 2).authoritative is True
    assert paper.consultations.deleted().count() == 1
