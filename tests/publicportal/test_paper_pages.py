"""Paper pages of the public portal: the list with filters and one paper with
its files and whole consultation path."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.services import file_attach, paper_create, paper_release
from publicportal.links import paper_key
from sessions.models import Consultation
from sessions.services.consultations import consultation_path_set
from tests.publicportal.world import pdf_upload

pytestmark = pytest.mark.django_db


def paper_url(paper, prefix=""):
    return f"{prefix}/vorlagen/{paper_key(paper)}/"


def test_public_paper_page_shows_text_files_and_path(client, world):
    response = client.get(paper_url(world.public_paper, "/en"))
    assert response.status_code == 200
    html = response.content.decode()
    assert world.public_paper.name in html
    assert "Wohnungen am Mühlenbach" in html
    assert "Begründung" in html
    assert world.marker not in html
