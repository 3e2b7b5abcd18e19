"""A draft is the fraction's internal work: its members today see and change
it; a member of another fraction, a former member of the fraction and the
council office's staff get the same 404 as for a motion that does not exist,
and signed-out visitors are sent to the sign-in."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from motions.models import Motion
from motions.selectors import fraction_motions
from motions.services import motion_sign, motion_update
from tests.motions.conftest import client_for
from tests.motions.helpers import draft, form_data, signed_draft, url

pytestmark = pytest.mark.django_db

PAGES = ["motions_detail", "motions_edit", "motions_submit", "motions_withdraw"]
POSTS = ["motions_edit", "motions_sign", "motions_comment", "motions_submit"]


@pytest.fixture
def motion(town):
    return draft(town.hans, town.fraction, title="Antrag INTERN-4711")


@pytest.mark.parametrize("who", ["otto", "frieda", "clerk"])
def test_outsiders_cannot_see_or_change_a_draft(town, motion, who):
    outsider = getattr(town, who)

    listing = outsider.client.get(url("motions_list"))
    assert listing.status_code == 200
    assert "INTERN-4711" not in listing.content.decode()
    for name in PAGES:
        assert outsider.client.get(url(name, motion)).status_code == 404, name
    for name in POSTS:
        response = outsider.client.post(
            url(name, motion), form_data(motion, title="Übernommen", text="x")
        )
        assert response.status_code == 404, name
    motion.refresh_from_db()
    assert (motion.title, motion.revision) == ("Antrag INTERN-4711", 1)
    assert not motion.comments.exists()
    assert not motion.signatures.exists()


@pytest.mark.parametrize("who", ["otto", "frieda", "clerk"])
def test_the_services_refuse_outsiders_too(town, motion, who):
    outsider = getattr(town, who)
    with pytest.raises(PermissionDenied):
        motion_update(
            actor=outsider.user, motion=motion, base_revision=1, **_text("Anders")
        )
    with pytest.raises(PermissionDenied):
        motion_sign(actor=outsider.user, motion=motion, revision=1)
    with pytest.raises(PermissionDenied):
        draft(outsider, town.fraction)


def _text(title):
    return {"paper_type": "Antrag", "title": title, "proposal": "", "reasoning": ""}


def test_a_former_member_loses_access_when_the_membership_ends(town, motion, clock):
    import datetime as dt

    membership = town.petra.person.memberships.get(organization=town.fraction)
    membership.end_date = dt.date(2026, 11, 30)
    membership.save()
    assert town.petra.client.get(url("motions_detail", motion)).status_code == 200

    clock.set(clock.now + dt.timedelta(days=30))
    client = client_for(town.petra.user)  # a new sign-in: sessions expire

    assert client.get(url("motions_detail", motion)).status_code == 404
    assert "INTERN-4711" not in client.get(url("motions_list")).content.decode()


def test_a_seat_held_on_the_fractions_behalf_is_enough(town, motion):
    """Hans's only tie besides his fraction membership: the council seat on
    the Bürgerliste's behalf."""
    from django.utils import timezone

    town.hans.person.memberships.filter(organization=town.fraction).update(
        deleted_at=timezone.now()
    )
    assert town.hans.client.get(url("motions_detail", motion)).status_code == 200


def test_signed_out_visitors_go_to_the_sign_in(motion):
    response = Client().get(url("motions_detail", motion))
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_a_member_without_fraction_cannot_start_a_motion(town):
    page = town.clerk.client.get(url("motions_create"))
    assert page.status_code == 403
    assert "Sie gehören heute keiner Fraktion an" in page.content.decode()


def _not_stored(response) -> bool:
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    return {"private", "no-store", "no-cache"} <= directives


def test_pages_are_not_cached(town, motion):
    for name in ("motions_list", "motions_create"):
        response = town.hans.client.get(url(name))
        assert _not_stored(response), name
    for name in PAGES:
        response = town.hans.client.get(url(name, motion))
        assert response.status_code == 200, name
        assert _not_stored(response), name


def test_the_dashboard_selector_lists_drafts_first_with_signatures(town):
    from motions.services import motion_submit

    submitted = signed_draft(town, town.hans, town.petra, title="Eingereicht")
    motion_submit(actor=town.hans.user, motion=submitted, revision=submitted.revision)
    older_draft = signed_draft(town, town.petra, title="Entwurf A")
    draft(town.otto, town.other_fraction, title="Andere Fraktion")

    rows = list(fraction_motions(user=town.petra.user))

    assert [m.title for m in rows] == ["Entwurf A", "Eingereicht"]
    assert rows[0].signed_count == 1
    assert rows[0].status_label == "Entwurf der Fraktion"
    assert rows[1].status_label == "Eingereicht, wird von der Verwaltung geprüft"
    assert rows[1].paper.reference
    drafts = fraction_motions(user=town.petra.user, states=(Motion.State.DRAFT,))
    assert list(drafts) == [older_draft]
    assert list(fraction_motions(user=town.clerk.user)) == []
