"""The small demo data set: plausible, valid, with readable PDFs and logins.

Seeded once per module inside a transaction that is rolled back afterwards, so
the rest of the suite still starts from an empty database.
"""

import io
import itertools
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Max
from pypdf import PdfReader

from demo.spec import DEMO_TODAY
from documents.models import File, Paper, PaperType, ReferenceCounter
from documents.services import paper_create
from gremien.models import (
    Body,
    LegislativeTerm,
    Location,
    Membership,
    Organization,
    Person,
    StaffAccess,
)
from sessions.models import AgendaItem, Consultation, Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def demo_data(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", scale="small", seed=1, stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def sample(queryset, size=40):
    """Every n-th row, so the sample spans all bodies and dates."""
    total = queryset.count()
    step = max(1, total // size)
    return [
        obj for index, obj in enumerate(queryset.order_by("pk")) if index % step == 0
    ]


def words(text: str) -> str:
    return " ".join(text.split())


def pdf_text(file: File) -> str:
    with file.content.open("rb") as handle:
        data = handle.read()
    reader = PdfReader(io.BytesIO(data), strict=True)
    return words(" ".join(page.extract_text() for page in reader.pages))


def test_three_bodies_with_a_district_and_two_terms_each():
    bodies = {b.slug: b for b in Body.objects.all()}

    assert sorted(bodies) == ["auenwald", "birkenbach", "lindenfeld"]
    kreis = bodies["auenwald"]
    assert kreis.classification == Body.Classification.DISTRICT
    assert bodies["lindenfeld"].superordinate_body == kreis
    assert bodies["birkenbach"].superordinate_body == kreis
    assert all(re.fullmatch(r"\d{8}", b.ags) for b in bodies.values())
    assert all(b.location is not None for b in bodies.values())
    for body in bodies.values():
        terms = body.legislative_terms.order_by("start_date")
        assert [t.name for t in terms] == [
            "Wahlperiode 2021–2026",
            "Wahlperiode 2026–2031",
        ]


def test_every_body_has_council_committees_fractions_and_departments():
    for body in Body.objects.all():
        kinds = set(body.organizations.values_list("kind", flat=True))
        assert {
            Organization.Kind.COUNCIL,
            Organization.Kind.COMMITTEE,
            Organization.Kind.SUBCOMMITTEE,
            Organization.Kind.ADVISORY_BOARD,
            Organization.Kind.FRACTION,
            Organization.Kind.DEPARTMENT,
        } <= kinds
    town = Body.objects.get(slug="lindenfeld")
    assert town.organizations.filter(kind=Organization.Kind.DISTRICT_COUNCIL).exists()


@pytest.mark.parametrize(
    "model",
    [Body, LegislativeTerm, Location, Organization, Person, Membership, Meeting,
     AgendaItem, Paper, Consultation, File],
)  # fmt: skip
def test_a_sample_of_each_model_passes_model_validation(model):
    for obj in sample(model.objects.all()):
        obj.full_clean()


def test_every_membership_respects_the_organization_lifetime_and_body():
    memberships = Membership.objects.select_related(
        "person", "organization", "on_behalf_of", "deputy_of"
    )
    kinds = set()
    for membership in memberships:
        membership.clean()  # full_clean on a sample above; clean() holds the rules
        kinds.add(membership.kind)
    assert {"member", "deputy", "citizen_member", "advisory", "staff"} <= kinds


def test_memberships_show_roles_deputies_and_changes_within_the_term():
    council = Organization.objects.get(
        body__slug="lindenfeld", kind=Organization.Kind.COUNCIL
    )
    memberships = council.memberships.all()
    assert memberships.filter(on_behalf_of__kind="fraction").count() > 20
    assert memberships.filter(role__startswith="1. stellv.").exists()
    first_term = memberships.filter(start_date__lt="2026-11-01")
    assert first_term.filter(end_date__lt="2026-10-31").exists(), "nobody resigned"
    deputies = Membership.objects.filter(kind="deputy")
    assert deputies.exists()
    assert all(d.deputy_of.organization_id == d.organization_id for d in deputies[:50])
    chairs = Membership.objects.filter(role__in=["Vorsitz", "stellv. Vorsitz"])
    assert chairs.count() >= 10
    assert not chairs.filter(kind="citizen_member").exists(), (
        "chairs sit on the council"
    )


def test_meeting_states_follow_the_demo_today():
    for meeting in Meeting.objects.all():
        day = meeting.start.date()
        if meeting.was_held or meeting.state == Meeting.State.CANCELLED:
            assert day < DEMO_TODAY
        else:
            assert day >= DEMO_TODAY
        if meeting.state == Meeting.State.PUBLISHED:
            assert meeting.files.filter(role="results_protocol").exists()
        assert (meeting.invitation_sent_at is None) == (meeting.state == "planned")
    states = set(Meeting.objects.values_list("state", flat=True))
    assert {"published", "held", "invited", "planned", "cancelled"} <= states


def test_agendas_have_public_and_non_public_parts_numbered_accordingly():
    items = AgendaItem.objects.filter(meeting__public=True)
    assert items.filter(public=True).exists() and items.filter(public=False).exists()
    for item in items.only("number", "public"):
        assert item.number.startswith("Ö " if item.public else "N ")
    assert items.filter(number__regex=r"^Ö \d+\.\d+$").exists()
    names = set(items.values_list("name", flat=True))
    assert "Einwohnerfragestunde" in names
    assert "Mitteilungen der Verwaltung" in names


def test_non_public_papers_appear_only_on_non_public_agenda_items():
    hidden = Consultation.objects.filter(paper__public=False, agenda_item__isnull=False)
    assert hidden.exists()
    assert not hidden.filter(agenda_item__public=True).exists()
    titles = set(Paper.objects.filter(public=False).values_list("name", flat=True))
    public_files = File.objects.filter(meeting__public=True)
    for file in public_files:
        assert not any(title in file.text for title in titles), file.name


def test_consultation_paths_end_with_one_authoritative_council_decision():
    proposals = Paper.objects.filter(
        paper_type=PaperType.RESOLUTION_PROPOSAL
    ).prefetch_related("consultations__organizations")
    assert proposals.count() > 50
    for paper in proposals:
        steps = list(paper.consultations.all())
        assert [s.position for s in steps] == list(range(1, len(steps) + 1))
        last = steps[-1]
        assert last.role == Consultation.Role.DECIDING and last.authoritative
        assert [o.kind for o in last.organizations.all()] == ["council"]
        assert sum(s.authoritative for s in steps) == 1
    assert proposals.annotate(n=Count("consultations")).filter(n__gte=3).exists()


def test_scheduled_consultations_follow_the_calendar_and_the_agenda():
    consultations = Consultation.objects.filter(agenda_item__isnull=False)
    for c in consultations.select_related("agenda_item", "meeting", "paper"):
        assert c.agenda_item.meeting_id == c.meeting_id
        assert c.agenda_item.name == c.paper.name
        assert c.meeting.start.date() > c.paper.date
        assert c.meeting.organizations.filter(
            pk__in=c.organizations.values("pk")
        ).exists()
    for _paper, group in itertools.groupby(
        consultations.order_by("paper_id", "position"), key=lambda c: c.paper_id
    ):
        starts = [c.meeting.start for c in group]
        assert starts == sorted(starts)


def test_held_meetings_have_results_and_decided_papers_a_resolution():
    held_items = AgendaItem.objects.filter(
        meeting__state__in=Meeting.HELD_STATES, consultation__isnull=False
    )
    assert held_items.exists()
    assert not held_items.filter(result="").exists()
    decided = Paper.objects.filter(state=Paper.State.DECIDED)
    assert decided.exists()
    for paper in decided[:30]:
        final = paper.consultations.get(authoritative=True)
        assert final.agenda_item.resolution_text.startswith("<p>")


def test_reference_counters_continue_after_the_seeded_papers():
    for counter in ReferenceCounter.objects.all():
        highest = Paper.objects.filter(
            body=counter.body, reference_year=counter.year
        ).aggregate(n=Max("reference_number"))["n"]
        assert counter.last_number == highest
    body = Body.objects.get(slug="lindenfeld")
    last = ReferenceCounter.objects.get(body=body, year=2026).last_number

    paper = paper_create(
        actor=None, body=body, name="Nachtragshaushalt", date=DEMO_TODAY
    )

    assert paper.reference == f"VO/2026/{last + 1:04d}"


def test_paper_pdfs_contain_their_title_and_match_their_checksums():
    mains = File.objects.filter(role=File.Role.MAIN).select_related("paper")
    for file in sample(mains, size=15):
        text = pdf_text(file)
        assert words(file.paper.name) in text
        assert words(file.paper.reference) in text
        assert words(file.text).startswith(words(file.paper.body.name))
        with file.content.open("rb") as handle:
            data = handle.read()
        assert len(data) == file.size
        assert file.content.name.endswith(f"{file.sha256}.pdf")


def test_meetings_have_invitations_and_minutes_as_pdf():
    held = Meeting.objects.filter(state=Meeting.State.PUBLISHED, public=True).first()
    invitation = held.files.get(role=File.Role.INVITATION)
    minutes = held.files.get(role=File.Role.RESULTS_PROTOCOL)

    assert words(held.name) in pdf_text(invitation)
    assert "Niederschrift" in pdf_text(minutes)
    assert File.objects.filter(role=File.Role.ATTACHMENT, restricted=True).exists()


@pytest.mark.parametrize(
    "username", ["admin", "sitzungsdienst-lindenfeld", "mitglied-lindenfeld"]
)
def test_demo_users_can_log_in(client, username):
    assert client.login(username=username, password="demo-2026")


def test_staff_users_belong_to_their_body_and_the_staff_group():
    for body in Body.objects.all():
        access = StaffAccess.objects.get(user__username=f"sitzungsdienst-{body.slug}")
        assert access.body == body
        assert access.user.groups.filter(name="Sitzungsdienst").exists()
    member = Person.objects.get(user__username="mitglied-lindenfeld")
    assert member.memberships.filter(
        organization__kind="council", end_date__isnull=True
    ).exists()


def test_seeding_again_is_refused_unless_asked_to_skip():
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=io.StringIO())

    out = io.StringIO()
    call_command("seed_demo", if_empty=True, stdout=out)

    assert "nichts zu tun" in out.getvalue()
    assert Body.objects.count() == 3
