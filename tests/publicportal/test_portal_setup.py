"""Setting up a body's portal: ``manage.py portal_create``."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from wagtail.models import Site

from publicportal.models import ContentPage, FeedbackFormPage, PortalHomePage
from tests.gremien.factories import BodyFactory


@pytest.mark.django_db
def test_each_body_gets_its_own_site_and_standard_pages(settings):
    settings.ALLOWED_HOSTS = [".auenwald.de", ".lindenfeld.de", "testserver"]
    kreis = BodyFactory(name="Kreis Auenwald", slug="auenwald")
    town = BodyFactory(name="Stadt Lindenfeld", slug="lindenfeld")
    call_command("portal_create", "auenwald", "ratsinfo.auenwald.de", "--default")
    call_command("portal_create", "lindenfeld", "ratsinfo.lindenfeld.de")

    assert Site.objects.count() == 2, "Wagtail's placeholder site is gone"
    town_portal = PortalHomePage.objects.get(body=town)
    titles = set(town_portal.get_children().specific().values_list("title", flat=True))
    assert {"Impressum", "Datenschutz", "Leichte Sprache", "Über den Rat"} <= titles
    assert FeedbackFormPage.objects.child_of(town_portal).get().form_fields.count()

    client = Client()
    town_page = client.get("/", HTTP_HOST="ratsinfo.lindenfeld.de")
    kreis_page = client.get("/", HTTP_HOST="ratsinfo.auenwald.de")
    unknown = client.get("/", HTTP_HOST="testserver")
    assert "Stadt Lindenfeld" in town_page.content.decode()
    assert "Kreis Auenwald" in kreis_page.content.decode()
    assert "Kreis Auenwald" in unknown.content.decode(), "the default site"
    assert kreis.portal_page.get_site().hostname == "ratsinfo.auenwald.de"


@pytest.mark.django_db
def test_running_it_again_changes_only_the_host_name():
    body = BodyFactory(slug="lindenfeld")
    call_command("portal_create", "lindenfeld", "alt.example.org")
    call_command("portal_create", "lindenfeld", "neu.example.org", "--port", "8443")

    site = Site.objects.get(root_page=body.portal_page)
    assert (site.hostname, site.port) == ("neu.example.org", 8443)
    assert ContentPage.objects.child_of(body.portal_page).count() == 4


@pytest.mark.django_db
def test_unknown_body_and_bad_host_names_are_refused_in_german():
    BodyFactory(slug="lindenfeld")
    with pytest.raises(CommandError, match="Keine Körperschaft"):
        call_command("portal_create", "gibtsnicht", "example.org")
    with pytest.raises(CommandError, match="nur den Hostnamen"):
        call_command("portal_create", "lindenfeld", "https://example.org/")
    assert not PortalHomePage.objects.exists()
