"""Staff of one body see and change only that body's data in the admin."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from gremien.models import Body
from tests.gremien.conftest import form_data

# viewset name -> attribute of the populated body
VIEWSETS = {
    "bodies": "body",
    "legislative-terms": "term",
    "organizations": "organization",
    "persons": "person",
    "memberships": "membership",
    "locations": "location",
    "papers": "paper",
    "meetings": "meeting",
    "agenda-items": "agenda_item",
    "consultations": "consultation",
}
# What identifies an object of each kind in a listing.
MARKERS = {
    "bodies": ("Alphaburg", "Betadorf"),
    "legislative-terms": ("Alpha-Wahlperiode", "Beta-Wahlperiode"),
    "organizations": ("Alpha-Ausschuss", "Beta-Ausschuss"),
    "persons": ("Alpha-Person", "Beta-Person"),
    "memberships": ("Alpha-Person", "Beta-Person"),
    "locations": ("Alpha-Rathaus", "Beta-Rathaus"),
    "papers": ("Alpha-Vorlage", "Beta-Vorlage"),
    "meetings": ("Alpha-Sitzung", "Beta-Sitzung"),
    "agenda-items": ("Alpha-TOP", "Beta-TOP"),
    "consultations": ("Alpha-Vorlage", "Beta-Vorlage"),
}


@pytest.mark.parametrize("name", VIEWSETS)
def test_listing_shows_only_own_bodys_objects(staff_client, alpha, beta, name):
    own, foreign = MARKERS[name]

    response = staff_client.get(reverse(f"{name}:index"))

    assert response.status_code == 200
    page = response.text
    assert own in page
    assert foreign not in page
    assert "Betadorf" not in page  # not even as a filter choice


@pytest.mark.parametrize("name", ["papers", "meetings", "organizations"])
def test_superuser_sees_every_body(superuser_client, alpha, beta, name):
    own, foreign = MARKERS[name]

    page = superuser_client.get(reverse(f"{name}:index")).text

    assert own in page
    assert foreign in page


#: Listed and inspected only; they change through the Sitzungsdienst's screens.
THROUGH_SCREENS = {"agenda-items", "consultations"}
OBJECT_URLS = [
    (name, view)
    for name in VIEWSETS
    for view in ("edit", "delete", "inspect", "history", "usage")
    if (name, view) != ("bodies", "delete")  # refused outright, tested below
    and not (name in THROUGH_SCREENS and view in ("edit", "delete", "history"))
]


@pytest.mark.parametrize(("name", "view"), OBJECT_URLS)
def test_foreign_objects_do_not_exist_for_staff(staff_client, alpha, beta, name, view):
    foreign = getattr(beta, VIEWSETS[name])

    response = staff_client.get(reverse(f"{name}:{view}", args=[foreign.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("name", VIEWSETS)
def test_own_objects_open_for_staff(staff_client, alpha, name):
    own = getattr(alpha, VIEWSETS[name])
    views = ("inspect",)
    if name not in THROUGH_SCREENS:
        views = ("edit", "inspect", "history")

    for view in views:
        response = staff_client.get(reverse(f"{name}:{view}", args=[own.pk]))
        assert response.status_code == 200, view


def test_posting_to_a_foreign_object_changes_nothing(staff_client, alpha, beta):
    foreign = beta.organization

    response = staff_client.post(
        reverse("organizations:edit", args=[foreign.pk]),
        {"name": "Übernommen", "kind": "committee"},
    )
    deleting = staff_client.post(reverse("organizations:delete", args=[foreign.pk]))

    assert response.status_code == 404
    assert deleting.status_code == 404
    foreign.refresh_from_db()
    assert foreign.name == "Beta-Ausschuss"
    assert foreign.deleted_at is None


def refused(response) -> bool:
    """Wagtail answers a permission refusal with a redirect to the dashboard."""
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def test_staff_cannot_create_or_delete_bodies(staff_client, alpha):
    creating = staff_client.post(
        reverse("bodies:add"), {"name": "Neustadt", "slug": "neustadt"}
    )
    deleting = staff_client.post(reverse("bodies:delete", args=[alpha.body.pk]))

    assert refused(creating) and refused(deleting)
    assert not Body.objects.filter(slug="neustadt").exists()
    alpha.body.refresh_from_db()
    assert alpha.body.deleted_at is None


def test_staff_access_is_for_superusers_only(staff_client, superuser_client, alpha):
    assert refused(staff_client.get(reverse("staff-access:index")))
    page = superuser_client.get(reverse("staff-access:index")).text
    assert "Stadt Alphaburg" in page


def test_choices_of_a_foreign_body_are_rejected(staff_client, alpha, beta):
    membership = alpha.membership
    url = reverse("memberships:edit", args=[membership.pk])
    form = staff_client.get(url).context["form"]

    response = staff_client.post(
        url, form_data(form, organization=beta.organization.pk, role="Vorsitz")
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Bitte eine gültige Auswahl treffen" in errors["organization"][0]
    membership.refresh_from_db()
    assert membership.organization == alpha.organization
    assert membership.role == "Alpha-Rolle"


def test_foreign_choices_are_not_offered(staff_client, alpha, beta):
    form = staff_client.get(reverse("meetings:add")).context["form"]

    assert list(form.fields["body"].queryset) == [alpha.body]
    assert list(form.fields["organizations"].queryset) == [alpha.organization]
    assert beta.location not in form.fields["location"].queryset


def test_deleting_an_organization_with_meetings_is_refused(staff_client, alpha):
    organization = alpha.organization

    response = staff_client.post(
        reverse("organizations:delete", args=[organization.pk]), follow=True
    )

    organization.refresh_from_db()
    assert organization.deleted_at is None
    shown = list(response.context["messages"])
    assert [m.level_tag for m in shown] == ["error"]  # the reason, no success
    assert response.redirect_chain[-1][0] == reverse(
        "organizations:edit", args=[organization.pk]
    )
    assert "Alpha-Ausschuss" in staff_client.get(reverse("organizations:index")).text


def test_delete_is_a_logged_soft_delete(staff_client, staff, alpha):
    location = alpha.location

    response = staff_client.post(
        reverse("locations:delete", args=[location.pk]), follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("locations:index")
    location.refresh_from_db()
    assert location.deleted_at is not None
    assert "Alpha-Rathaus" not in staff_client.get(reverse("locations:index")).text
    assert (
        staff_client.get(reverse("locations:edit", args=[location.pk])).status_code
        == 404
    )
    assert (
        ModelLogEntry.objects.for_instance(location)
        .filter(action="wagtail.delete", user=staff)
        .exists()
    )


def test_edit_is_recorded_in_the_audit_log_and_history(staff_client, staff, alpha):
    organization = alpha.organization
    url = reverse("organizations:edit", args=[organization.pk])
    form = staff_client.get(url).context["form"]

    response = staff_client.post(url, form_data(form, name="Bauausschuss"))

    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.name == "Bauausschuss"
    entry = ModelLogEntry.objects.for_instance(organization).get(action="wagtail.edit")
    assert entry.user == staff
    history = staff_client.get(reverse("organizations:history", args=[organization.pk]))
    assert staff.username in history.text or staff.get_full_name() in history.text


def test_listing_search_and_filters_work_without_a_search_index(
    superuser_client, alpha, beta
):
    url = reverse("papers:index")

    found = superuser_client.get(url, {"q": "Beta-Vorl"}).text
    filtered = superuser_client.get(url, {"body": alpha.body.pk}).text
    by_year = superuser_client.get(url, {"year": 2025}).text

    assert "Beta-Vorlage" in found and "Alpha-Vorlage" not in found
    assert "Alpha-Vorlage" in filtered and "Beta-Vorlage" not in filtered
    assert "Alpha-Vorlage" not in by_year


def test_staff_group_grants_domain_models_but_not_staff_access(db):
    group = Group.objects.get(name="Sitzungsdienst")
    codenames = set(group.permissions.values_list("codename", flat=True))

    assert {"access_admin", "add_paper", "change_meeting", "delete_organization"} <= (
        codenames
    )
    assert {"change_signoff", "change_minutes", "add_attendance", "view_delivery"} <= (
        codenames
    )
    assert not codenames & {"add_staffaccess", "change_staffaccess", "add_body"}


@pytest.mark.parametrize("name", [*VIEWSETS, "files", "staff-access"])
def test_listing_and_create_form_render_for_superuser(superuser_client, alpha, name):
    views = ("index",) if name in THROUGH_SCREENS else ("index", "add")
    for view in views:
        assert superuser_client.get(reverse(f"{name}:{view}")).status_code == 200


@pytest.mark.parametrize("name", sorted(THROUGH_SCREENS))
def test_agenda_items_and_steps_cannot_be_edited_around_the_services(
    superuser_client, alpha, name
):
    own = getattr(alpha, VIEWSETS[name])
    for view, args in (("add", []), ("edit", [own.pk]), ("delete", [own.pk])):
        response = superuser_client.get(reverse(f"{name}:{view}", args=args))
        assert response.status_code == 302, view  # Wagtail's permission refusal


def test_menu_offers_domain_admin_but_not_staff_access(
    staff_client, superuser_client, alpha
):
    staff_page = staff_client.get(reverse("wagtailadmin_home")).text
    superuser_page = superuser_client.get(reverse("wagtailadmin_home")).text

    for name in ("papers", "meetings", "organizations", "agenda-items"):
        assert reverse(f"{name}:index") in staff_page
    assert reverse("staff-access:index") not in staff_page
    assert reverse("staff-access:index") in superuser_page


def test_site_history_report_hides_other_bodies_objects(
    staff_client, staff, alpha, beta
):
    log(instance=alpha.paper, action="wagtail.edit", user=staff)
    log(instance=beta.paper, action="wagtail.edit")

    page = staff_client.get(reverse("wagtailadmin_reports:site_history")).text

    assert "Alpha-Vorlage" in page
    assert "Beta-Vorlage" not in page
