import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from documents.models import Paper
from documents.services import paper_create
from sessions.models import AgendaItem, Consultation, Meeting
from sessions.numbering import Entry, NumberingScheme, number_agenda
from sessions.services.agenda import (
    agenda_apply_standard_items,
    agenda_item_add,
    agenda_item_move,
    agenda_item_remove,
    agenda_item_update,
)
from sessions.services.consultations import consultation_path_set
from sessions.services.lifecycle import meeting_cancel
from tests.gremien.factories import BodyFactory, staff_of
from tests.sessions.agenda_factories import (
    committee,
    hold,
    invite,
    meeting_of,
    released_paper,
)

Role = Consultation.Role


def agenda(meeting):
    """(number, title) of the live items, in agenda order."""
    return list(
        AgendaItem.objects.alive()
        .filter(meeting=meeting)
        .order_by("order")
        .values_list("number", "name")
    )


def orders(meeting):
    return list(
        AgendaItem.objects.alive()
        .filter(meeting=meeting)
        .order_by("order")
        .values_list("order", flat=True)
    )


@pytest.fixture
def meeting(body, bau):
    return meeting_of(body, bau)


def add(staff, meeting, name, **kwargs):
    return agenda_item_add(actor=staff, meeting=meeting, name=name, **kwargs)


def paper_for(staff, body, organization, *, public=True, name="Bebauungsplan"):
    paper = released_paper(body, name, public=public)
    consultation_path_set(
        actor=staff, paper=paper, steps=[([organization], Role.DECIDING)]
    )
    return paper


# Numbering ------------------------------------------------------------------


def test_pure_numbering_default_scheme_sorts_parts_and_sub_items():
    entries = [
        Entry("closing", public=False),
        Entry("opening", public=True),
        Entry("plan", public=True),
        Entry("plan-a", public=False, parent="plan"),  # follows its parent's part
        Entry("plan-b", public=True, parent="plan"),
    ]
    placements = number_agenda(entries, NumberingScheme())
    assert [(p.key, p.order, p.number, p.public) for p in placements] == [
        ("opening", 1, "Ö 1", True),
        ("plan", 2, "Ö 2", True),
        ("plan-a", 3, "Ö 2.1", True),
        ("plan-b", 4, "Ö 2.2", True),
        ("closing", 5, "N 1", False),
    ]


@pytest.mark.parametrize(
    ("scheme", "numbers"),
    [
        (NumberingScheme("", "", False), ["1", "2", "2.1", "1", "2"]),
        (NumberingScheme("", "", True), ["1", "2", "2.1", "3", "4"]),
        (
            NumberingScheme("TOP", "TOP N", True),
            ["TOP 1", "TOP 2", "TOP 2.1"]
            + [
                "TOP N 3",
                "TOP N 4",
            ],
        ),
    ],
)
def test_pure_numbering_custom_schemes(scheme, numbers):
    entries = [
        Entry(1, True),
        Entry(2, True),
        Entry(3, True, parent=2),
        Entry(4, False),
        Entry(5, False),
    ]
    assert [p.number for p in number_agenda(entries, scheme)] == numbers


def test_pure_numbering_refuses_parent_cycles():
    with pytest.raises(ValueError, match="cycle"):
        number_agenda([Entry(1, True, parent=2), Entry(2, True, parent=1)])


def test_agenda_numbers_with_the_default_scheme(staff, meeting):
    add(staff, meeting, "Personalangelegenheit", public=False)
    add(staff, meeting, "Eröffnung der Sitzung")
    mitteilungen = add(staff, meeting, "Mitteilungen")
    add(staff, meeting, "Mitteilung Straßenreinigung", parent=mitteilungen)

    assert agenda(meeting) == [
        ("Ö 1", "Eröffnung der Sitzung"),
        ("Ö 2", "Mitteilungen"),
        ("Ö 2.1", "Mitteilung Straßenreinigung"),
        ("N 1", "Personalangelegenheit"),
    ]
    assert orders(meeting) == [1, 2, 3, 4]


def test_agenda_numbers_with_a_custom_scheme_of_the_body(staff, body, meeting):
    body.agenda_public_prefix = ""
    body.agenda_nonpublic_prefix = ""
    body.agenda_nonpublic_continues = True
    body.save()
    add(staff, meeting, "Grundstücksangelegenheit", public=False)
    add(staff, meeting, "Eröffnung")
    anfragen = add(staff, meeting, "Anfragen")
    add(staff, meeting, "Anfrage Spielplatz", parent=anfragen)

    assert [number for number, _name in agenda(meeting)] == ["1", "2", "2.1", "3"]


def test_sub_item_of_a_non_public_item_is_non_public(staff, meeting):
    parent = add(staff, meeting, "Vertragsangelegenheiten", public=False)
    child = add(staff, meeting, "Pachtvertrag", parent=parent)

    assert child.public is False
    assert agenda(meeting) == [
        ("N 1", "Vertragsangelegenheiten"),
        ("N 1.1", "Pachtvertrag"),
    ]


def test_non_public_sub_item_of_a_public_item_is_refused(staff, meeting):
    parent = add(staff, meeting, "Mitteilungen")
    with pytest.raises(ValidationError) as exc:
        add(staff, meeting, "Personalsache", public=False, parent=parent)
    assert exc.value.code == "subitem_part_mismatch"
    assert agenda(meeting) == [("Ö 1", "Mitteilungen")]


# Reordering -----------------------------------------------------------------


def test_reorder_within_and_across_parts_renumbers_everything(staff, meeting):
    opening = add(staff, meeting, "Eröffnung")
    plan = add(staff, meeting, "Bebauungsplan")
    reports = add(staff, meeting, "Mitteilungen")
    add(staff, meeting, "Mitteilung Kita", parent=reports)
    lease = add(staff, meeting, "Pachtvertrag", public=False)

    agenda_item_move(actor=staff, item=reports, position=1)
    assert agenda(meeting) == [
        ("Ö 1", "Mitteilungen"),
        ("Ö 1.1", "Mitteilung Kita"),
        ("Ö 2", "Eröffnung"),
        ("Ö 3", "Bebauungsplan"),
        ("N 1", "Pachtvertrag"),
    ]

    agenda_item_move(actor=staff, item=plan, position=2, public=False)
    agenda_item_move(actor=staff, item=lease, position=1, public=True)
    agenda_item_move(actor=staff, item=opening, position=1)
    assert agenda(meeting) == [
        ("Ö 1", "Eröffnung"),
        ("Ö 2", "Pachtvertrag"),
        ("Ö 3", "Mitteilungen"),
        ("Ö 3.1", "Mitteilung Kita"),
        ("N 1", "Bebauungsplan"),
    ]
    assert orders(meeting) == [1, 2, 3, 4, 5]
    plan.refresh_from_db()
    assert plan.public is False


def test_moving_a_parent_across_parts_takes_its_sub_items_along(staff, meeting):
    add(staff, meeting, "Eröffnung")
    reports = add(staff, meeting, "Mitteilungen")
    child = add(staff, meeting, "Mitteilung Personal", parent=reports)

    agenda_item_move(actor=staff, item=reports, position=1, public=False)

    child.refresh_from_db()
    assert child.public is False
    assert agenda(meeting) == [
        ("Ö 1", "Eröffnung"),
        ("N 1", "Mitteilungen"),
        ("N 1.1", "Mitteilung Personal"),
    ]
    with pytest.raises(ValidationError) as exc:
        agenda_item_move(actor=staff, item=child, position=1, public=True)
    assert exc.value.code == "subitem_part_mismatch"


def test_update_renames_and_switches_part(staff, meeting):
    add(staff, meeting, "Eröffnung")
    item = add(staff, meeting, "Grundstück", public=True)
    add(staff, meeting, "Personal", public=False)

    agenda_item_update(actor=staff, item=item, name="Grundstücksverkauf", public=False)

    assert agenda(meeting) == [
        ("Ö 1", "Eröffnung"),
        ("N 1", "Personal"),
        ("N 2", "Grundstücksverkauf"),
    ]


# Standard items -------------------------------------------------------------


STANDARD_AGENDA = [
    {"name": "Eröffnung der Sitzung", "public": True, "position": "start"},
    {"name": "Einwohnerfragestunde", "public": True, "position": "start"},
    {"name": "Mitteilungen", "public": True, "position": "end"},
    {"name": "Anfragen", "public": True, "position": "end"},
    {"name": "Mitteilungen (nichtöffentlich)", "public": False, "position": "end"},
]


def test_standard_items_frame_the_agenda_and_are_not_duplicated(
    staff, body, bau, meeting
):
    bau.standard_agenda = STANDARD_AGENDA
    bau.save()
    paper = paper_for(staff, body, bau)
    add(staff, meeting, "", paper=paper)

    created = agenda_apply_standard_items(actor=staff, meeting=meeting)
    assert len(created) == 5
    assert agenda_apply_standard_items(actor=staff, meeting=meeting) == []
    assert agenda(meeting) == [
        ("Ö 1", "Eröffnung der Sitzung"),
        ("Ö 2", "Einwohnerfragestunde"),
        ("Ö 3", "Bebauungsplan"),
        ("Ö 4", "Mitteilungen"),
        ("Ö 5", "Anfragen"),
        ("N 1", "Mitteilungen (nichtöffentlich)"),
    ]

    # A paper added later lands before the standard end items.
    second = paper_for(staff, body, bau, name="Radweg Hauptstraße")
    add(staff, meeting, "", paper=second)
    assert agenda(meeting)[3] == ("Ö 4", "Radweg Hauptstraße")
    assert agenda(meeting)[4] == ("Ö 5", "Mitteilungen")


def test_joint_meeting_takes_each_standard_title_once(staff, body, bau):
    umwelt = committee(body, "Umweltausschuss")
    bau.standard_agenda = STANDARD_AGENDA[:1]
    umwelt.standard_agenda = STANDARD_AGENDA[:2]
    bau.save()
    umwelt.save()
    joint = meeting_of(body, bau, umwelt)

    agenda_apply_standard_items(actor=staff, meeting=joint)

    assert agenda(joint) == [
        ("Ö 1", "Eröffnung der Sitzung"),
        ("Ö 2", "Einwohnerfragestunde"),
    ]


def test_invalid_standard_agenda_is_refused_with_nothing_added(staff, bau, meeting):
    bau.standard_agenda = [STANDARD_AGENDA[0], {"name": "", "position": "middle"}]
    bau.save()
    with pytest.raises(ValidationError) as exc:
        agenda_apply_standard_items(actor=staff, meeting=meeting)
    assert exc.value.code == "invalid_standard_agenda"
    assert agenda(meeting) == []


# Papers ---------------------------------------------------------------------


def test_paper_item_links_the_consultation_and_starts_consultation(
    staff, body, bau, meeting
):
    paper = paper_for(staff, body, bau)

    item = add(staff, meeting, "", paper=paper)

    step = paper.consultations.get()
    assert step.agenda_item == item
    assert step.meeting == meeting
    assert item.name == "Bebauungsplan"
    paper.refresh_from_db()
    assert paper.state == Paper.State.IN_CONSULTATION


def test_draft_paper_is_refused(staff, body, bau, meeting):
    paper = paper_create(actor=None, body=body, name="Entwurf", date=meeting.start)
    consultation_path_set(actor=staff, paper=paper, steps=[([bau], Role.DECIDING)])

    with pytest.raises(ValidationError) as exc:
        add(staff, meeting, "", paper=paper)

    assert exc.value.code == "paper_not_released"
    assert agenda(meeting) == []
    assert paper.consultations.get().meeting is None


def test_consultation_for_an_organization_not_on_the_meeting_is_refused(
    staff, body, bau, meeting
):
    sport = committee(body, "Sportausschuss")
    paper = paper_for(staff, body, sport)

    with pytest.raises(ValidationError) as exc:
        add(staff, meeting, "", consultation=paper.consultations.get())
    assert exc.value.code == "organization_not_on_meeting"

    with pytest.raises(ValidationError) as exc:
        add(staff, meeting, "", paper=paper)
    assert exc.value.code == "no_consultation_step"
    assert agenda(meeting) == []


def test_non_public_paper_forces_a_non_public_item(staff, body, bau, meeting):
    paper = paper_for(staff, body, bau, public=False, name="Grundstücksankauf")

    item = add(staff, meeting, "", paper=paper, public=True)

    assert item.public is False
    assert agenda(meeting) == [("N 1", "Grundstücksankauf")]
    for change in (
        lambda: agenda_item_move(actor=staff, item=item, position=1, public=True),
        lambda: agenda_item_update(actor=staff, item=item, public=True),
    ):
        with pytest.raises(ValidationError) as exc:
            change()
        assert exc.value.code == "paper_not_public"
    item.refresh_from_db()
    assert item.public is False


def test_paper_already_on_the_meeting_is_refused(staff, body, bau, meeting):
    paper = released_paper(body)
    consultation_path_set(
        actor=staff,
        paper=paper,
        steps=[([bau], Role.PRELIMINARY), ([bau], Role.DECIDING)],
    )
    add(staff, meeting, "", paper=paper)

    with pytest.raises(ValidationError) as exc:
        add(staff, meeting, "", paper=paper)
    assert exc.value.code == "paper_already_on_agenda"
    assert len(agenda(meeting)) == 1


def test_removing_an_item_frees_the_consultation_for_another_meeting(
    staff, body, bau, meeting
):
    paper = paper_for(staff, body, bau)
    item = add(staff, meeting, "", paper=paper)
    add(staff, meeting, "Mitteilungen")

    agenda_item_remove(actor=staff, item=item)

    item.refresh_from_db()
    assert item.deleted_at is not None
    assert item.addendum is False
    assert agenda(meeting) == [("Ö 1", "Mitteilungen")]
    step = paper.consultations.get()
    assert step.meeting is None
    later = meeting_of(body, bau, days=40)
    add(staff, later, "", paper=paper)
    step.refresh_from_db()
    assert step.meeting == later


# Addendum, states, permissions ----------------------------------------------


def test_changes_after_the_invitation_are_marked_as_addendum(staff, body, bau, meeting):
    opening = add(staff, meeting, "Eröffnung")
    reports = add(staff, meeting, "Mitteilungen")
    invite(staff, meeting)

    late = add(staff, meeting, "Dringlicher Antrag", position=2)
    agenda_item_update(actor=staff, item=reports, name="Mitteilungen der Verwaltung")

    for item in (opening, reports, late):
        item.refresh_from_db()
    assert (opening.addendum, opening.addendum_at) == (False, None)
    assert late.addendum is True and late.addendum_at is not None
    assert reports.addendum is True
    assert agenda(meeting) == [
        ("Ö 1", "Eröffnung"),
        ("Ö 2", "Dringlicher Antrag"),
        ("Ö 3", "Mitteilungen der Verwaltung"),
    ]

    with pytest.raises(ValidationError) as exc:
        agenda_item_remove(actor=staff, item=opening)
    assert exc.value.code == "reason_required"
    agenda_item_remove(actor=staff, item=opening, reason="Vorsitz erkrankt")
    opening.refresh_from_db()
    assert opening.deleted_at is not None and opening.addendum is True


def test_agenda_of_a_held_or_cancelled_meeting_cannot_change(
    staff, body, bau, meeting, clock
):
    item = add(staff, meeting, "Eröffnung")
    hold(staff, meeting, clock)
    assert meeting.state == Meeting.State.HELD

    attempts = [
        lambda: add(staff, meeting, "Nachzügler"),
        lambda: agenda_item_move(actor=staff, item=item, position=1, public=False),
        lambda: agenda_item_update(actor=staff, item=item, name="Begrüßung"),
        lambda: agenda_item_remove(actor=staff, item=item, reason="x"),
        lambda: agenda_apply_standard_items(actor=staff, meeting=meeting),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as exc:
            attempt()
        assert exc.value.code == "agenda_locked"
    assert agenda(meeting) == [("Ö 1", "Eröffnung")]

    called_off = meeting_of(body, bau, days=30)
    meeting_cancel(actor=staff, meeting=called_off, reason="Keine Beratungsgegenstände")
    with pytest.raises(ValidationError) as exc:
        add(staff, called_off, "Nachzügler")
    assert exc.value.code == "meeting_cancelled"


def test_staff_of_another_body_cannot_change_the_agenda(meeting):
    stranger = staff_of(BodyFactory())
    with pytest.raises(PermissionDenied):
        add(stranger, meeting, "Eröffnung")
    assert agenda(meeting) == []
