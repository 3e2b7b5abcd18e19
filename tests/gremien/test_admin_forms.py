"""Admin forms: services for creation, model validation, same-body choices."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry
from weasyprint import HTML

from documents.models import Paper
from gremien.models import Membership, Organization
from sessions.models import Meeting
from sessions.services.agenda import agenda_item_add
from tests.gremien.conftest import form_data, make_staff
from tests.gremien.factories import BodyFactory, OrganizationFactory, PersonFactory
from tests.sessions.agenda_factories import invite
from tests.sessions.factories import MeetingFactory


def post_new(client, viewset, /, **values):
    """Fill the create form of ``viewset`` like a user and submit it."""
    url = reverse(f"{viewset}:add")
    form = client.get(url).context["form"]
    return client.post(url, form_data(form, **values))


def post_edit(client, viewset, obj, /, **values):
    url = reverse(f"{viewset}:edit", args=[obj.pk])
    form = client.get(url).context["form"]
    return client.post(url, form_data(form, **values))


@pytest.fixture
def body(db):
    return BodyFactory(name="Stadt Neuhausen", slug="neuhausen")


@pytest.fixture
def staff_user(body):
    return make_staff(body)


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def new_paper(client, body, name):
    return post_new(
        client,
        "papers",
        body=body.pk,
        name=name,
        date="2026-03-12",
        paper_type="Beschlussvorlage",
    )


def test_papers_created_in_the_admin_are_numbered_by_the_service(
    staff_client, staff_user, body
):
    first = new_paper(staff_client, body, "Haushaltssatzung 2026")
    second = new_paper(staff_client, body, "Bebauungsplan Nr. 12")

    assert first.status_code == second.status_code == 302
    papers = Paper.objects.filter(body=body).order_by("reference_number")
    assert [p.reference for p in papers] == ["VO/2026/0001", "VO/2026/0002"]
    assert (
        ModelLogEntry.objects.for_instance(papers[0]).get(action="wagtail.create").user
        == staff_user
    )


def test_paper_many_to_many_choices_are_saved_on_creation(staff_client, body):
    department = OrganizationFactory(body=body, name="Bauamt", kind="department")

    new_paper_response = post_new(
        staff_client,
        "papers",
        body=body.pk,
        name="Radwegekonzept",
        date="2026-05-04",
        paper_type="Beschlussvorlage",
        under_direction_of=[department.pk],
    )

    assert new_paper_response.status_code == 302
    paper = Paper.objects.get(name="Radwegekonzept")
    assert list(paper.under_direction_of.all()) == [department]


def test_paper_for_a_foreign_body_is_not_created(staff_client, body):
    foreign = BodyFactory(name="Gemeinde Anderswo", slug="anderswo")

    response = new_paper(staff_client, foreign, "Fremde Vorlage")

    assert response.status_code == 200
    assert "body" in response.context["form"].errors
    assert not Paper.objects.filter(name="Fremde Vorlage").exists()


def test_reference_and_body_stay_fixed_when_editing_a_paper(staff_client, body):
    new_paper(staff_client, body, "Haushaltssatzung 2026")
    paper = Paper.objects.get(body=body)
    other = BodyFactory(slug="zweite")
    make_staff(other)  # irrelevant user; body must not be movable anyway

    page = staff_client.get(reverse("papers:edit", args=[paper.pk])).text
    response = post_edit(
        staff_client,
        "papers",
        paper,
        name="Haushaltssatzung 2026 (geändert)",
        reference="VO/2026/9999",
        body=other.pk,
    )

    assert "VO/2026/0001" in page
    assert response.status_code == 302
    paper.refresh_from_db()
    assert paper.name == "Haushaltssatzung 2026 (geändert)"
    assert (paper.reference, paper.body) == ("VO/2026/0001", body)


def test_membership_outside_the_organizations_lifetime_is_rejected(staff_client, body):
    council = OrganizationFactory(body=body, start_date=datetime.date(2021, 11, 1))
    person = PersonFactory(body=body)

    response = post_new(
        staff_client,
        "memberships",
        organization=council.pk,
        person=person.pk,
        kind="member",
        start_date="2020-01-01",
    )

    assert response.status_code == 200
    assert response.context["form"].errors["start_date"] == [
        "Die Mitgliedschaft kann nicht vor dem Bestehen des Gremiums beginnen "
        "(01.11.2021)."
    ]
    assert "Die Mitgliedschaft kann nicht vor dem Bestehen" in response.text
    assert not Membership.objects.exists()


def test_organization_ending_before_it_starts_is_not_saved(staff_client, body):
    committee = OrganizationFactory(body=body, name="Kulturausschuss")

    response = post_edit(
        staff_client,
        "organizations",
        committee,
        start_date="2026-01-01",
        end_date="2025-12-31",
    )

    assert response.status_code == 200
    assert "Das Ende darf nicht vor dem Beginn liegen." in response.text
    committee.refresh_from_db()
    assert committee.end_date is None


def test_related_objects_must_belong_to_the_same_body(client, body):
    """Staff working for two bodies still cannot mix them in one meeting."""
    other = BodyFactory(slug="nachbarort")
    client.force_login(make_staff(body, other))
    foreign_committee = OrganizationFactory(body=other, name="Nachbarausschuss")

    response = post_new(
        client,
        "meetings",
        body=body.pk,
        name="Gemeinsame Sitzung",
        start="2026-04-01 18:00",
        organizations=[foreign_committee.pk],
    )

    assert response.status_code == 200
    assert "organizations" in response.context["form"].errors
    assert not Meeting.objects.filter(name="Gemeinsame Sitzung").exists()


def test_consultation_in_another_bodys_meeting_is_rejected(client, body):
    """Even staff working for both bodies cannot schedule across them."""
    other = BodyFactory(slug="kreis")
    client.force_login(make_staff(body, other))
    new_paper(client, body, "Schulentwicklungsplan")
    paper = Paper.objects.get(body=body)
    workflow = reverse("papers_workflow", args=[paper.pk])
    school = OrganizationFactory(body=body, name="Schulausschuss")
    client.post(workflow, {"action": "release"})
    client.post(
        workflow, {"action": "add_step", "organizations": school.pk, "role": "deciding"}
    )
    foreign_meeting = MeetingFactory(
        body=other, start=timezone.now() + datetime.timedelta(days=10)
    )
    step = paper.consultations.get()

    response = client.post(
        workflow,
        {"action": "schedule", "step": step.pk, "meeting": foreign_meeting.pk},
        follow=True,
    )

    levels = [m.level_tag for m in response.context["messages"]]
    assert levels.count("error") == 1
    step.refresh_from_db()
    assert step.meeting is None and not foreign_meeting.agenda_items.exists()


def test_user_account_link_is_only_offered_to_user_administrators(
    staff_client, superuser_client, body
):
    person = PersonFactory(body=body)
    url = reverse("persons:edit", args=[person.pk])

    assert "user" not in staff_client.get(url).context["form"].fields
    assert "user" in superuser_client.get(url).context["form"].fields


def test_clearing_a_list_field_saves_an_empty_list(staff_client, body):
    committee = OrganizationFactory(body=body, posts=["Vorsitz"])

    response = post_edit(staff_client, "organizations", committee, posts="")

    assert response.status_code == 302
    committee.refresh_from_db()
    assert committee.posts == []
    assert Organization.objects.get(pk=committee.pk).deleted_at is None


def upload_file(client, paper, data: bytes, name: str):
    url = reverse("files:add")
    form = client.get(url).context["form"]
    values = form_data(form, paper=paper.pk, role="attachment")
    values["content"] = SimpleUploadedFile(name, data, content_type="application/pdf")
    return client.post(url, values)


def test_pdf_uploaded_in_the_admin_is_attached_to_its_paper(
    staff_client, body, django_capture_on_commit_callbacks
):
    new_paper(staff_client, body, "Lärmaktionsplan")
    paper = Paper.objects.get(body=body)
    pdf = HTML(string="<p>Lärmaktionsplan Stufe 4</p>").write_pdf()

    with django_capture_on_commit_callbacks(execute=True):
        response = upload_file(staff_client, paper, pdf, "laermaktionsplan.pdf")

    assert response.status_code == 302
    file = paper.files.get()
    assert (file.name, file.size, file.body) == ("laermaktionsplan.pdf", len(pdf), body)
    assert "Lärmaktionsplan Stufe 4" in file.text


def test_damaged_pdf_is_refused_in_the_admin_with_a_german_message(staff_client, body):
    new_paper(staff_client, body, "Lärmaktionsplan")
    paper = Paper.objects.get(body=body)

    response = upload_file(staff_client, paper, b"%PDF-1.7 kaputt", "scan.pdf")

    assert response.status_code == 200
    assert "Das PDF ist beschädigt und kann nicht gelesen werden." in response.text
    assert not paper.files.exists()


def test_meeting_planned_in_the_admin_goes_through_the_service(client, body):
    client.force_login(make_staff(body))
    fraction = OrganizationFactory(body=body, name="SPD-Fraktion", kind="fraction")
    department = OrganizationFactory(body=body, name="Bauamt", kind="department")

    refused = post_new(
        client,
        "meetings",
        body=body.pk,
        name="Sitzung des Bauamts",
        start="2027-04-01 18:00",
        organizations=[department.pk],
    )
    planned = post_new(
        client,
        "meetings",
        body=body.pk,
        name="Fraktionssitzung",
        start="2027-04-01 18:00",
        organizations=[fraction.pk],
        public="on",
    )

    assert "organizations" in refused.context["form"].errors
    assert planned.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.name == "Fraktionssitzung" and meeting.public is False
    assert ModelLogEntry.objects.filter(action="wagtail.create").exists()


def test_an_invited_meetings_date_changes_only_by_rescheduling(client, body):
    staff = make_staff(body)
    client.force_login(staff)
    start = (timezone.now() + datetime.timedelta(days=10)).replace(microsecond=0)
    meeting = MeetingFactory(body=body, start=start)
    agenda_item_add(actor=staff, meeting=meeting, name="Eröffnung")
    invite(staff, meeting)
    original = meeting.start

    post_edit(
        client,
        "meetings",
        meeting,
        start=(original + datetime.timedelta(days=7)).strftime("%Y-%m-%d %H:%M"),
        name="Umbenannt",
    )

    meeting.refresh_from_db()
    assert meeting.name == "Umbenannt"
    assert meeting.start == original
