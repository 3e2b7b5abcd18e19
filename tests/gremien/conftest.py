"""Fixtures for the admin tests: two bodies with one object of every kind each."""

import datetime
from types import SimpleNamespace

import pytest
from django.test import Client
from wagtail.admin.rich_text import DraftailRichTextArea

from tests.documents.factories import PaperFactory
from tests.gremien.factories import (
    BodyFactory,
    LegislativeTermFactory,
    LocationFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
    staff_of,
)
from tests.sessions.factories import (
    AgendaItemFactory,
    ConsultationFactory,
    MeetingFactory,
)


def populate(body, marker: str) -> SimpleNamespace:
    """One object of every admin-managed kind, each named with ``marker``."""
    org = OrganizationFactory(body=body, name=f"{marker}-Ausschuss")
    person = PersonFactory(body=body, family_name=f"{marker}-Person")
    meeting = MeetingFactory(body=body, name=f"{marker}-Sitzung", organizations=[org])
    paper = PaperFactory(body=body, name=f"{marker}-Vorlage")
    return SimpleNamespace(
        body=body,
        term=LegislativeTermFactory(body=body, name=f"{marker}-Wahlperiode"),
        organization=org,
        person=person,
        membership=MembershipFactory(
            organization=org, person=person, role=f"{marker}-Rolle"
        ),
        location=LocationFactory(body=body, description=f"{marker}-Rathaus"),
        paper=paper,
        meeting=meeting,
        agenda_item=AgendaItemFactory(meeting=meeting, name=f"{marker}-TOP"),
        consultation=ConsultationFactory(
            paper=paper, meeting=meeting, organizations=[org]
        ),
    )


@pytest.fixture
def alpha(db):
    return populate(BodyFactory(name="Stadt Alphaburg", slug="alphaburg"), "Alpha")


@pytest.fixture
def beta(db):
    return populate(BodyFactory(name="Gemeinde Betadorf", slug="betadorf"), "Beta")


make_staff = staff_of


@pytest.fixture
def staff(alpha):
    """Sitzungsdienst of Alphaburg only."""
    return make_staff(alpha.body)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def superuser_client(db):
    client = Client()  # its own session, usable next to staff_client
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def form_data(form, **overrides) -> dict:
    """What the browser posts back for ``form`` unchanged, plus ``overrides``."""
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        if isinstance(field.widget, DraftailRichTextArea):
            value = field.widget.format_value(value)
        if value is True:
            value = "on"
        if value is None or value is False:
            continue
        if isinstance(value, (datetime.date, datetime.datetime)):
            value = value.isoformat()
        data[name] = value
    for name, value in overrides.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data
