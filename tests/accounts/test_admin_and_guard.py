"""The admin and the pages of members use this sign-in: redirects keep the
address, staff get the same second factor, Wagtail's own sign-in, sign-out
and password reset addresses lead here."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.http import QueryDict
from django.urls import reverse

from tests.accounts.factories import (
    PASSWORD,
    code_for,
    member,
    post_code,
    post_password,
    sign_in,
    staff,
    with_app,
)
from tests.gremien.factories import BodyFactory, sitzungsdienst_group

pytestmark = pytest.mark.django_db


def login_with_next(path: str) -> str:
    """The sign-in's address with ``next``, as Django's redirect_to_login
    writes it."""
    query = QueryDict(mutable=True)
    query["next"] = path
    return f"{reverse('accounts_login')}?{query.urlencode(safe='/')}"


@pytest.fixture
def clerk(db):
    user = staff(body=BodyFactory(), username="sachbearbeiterin")
    user.groups.add(sitzungsdienst_group())
    return user


def test_the_admin_sends_anonymous_visitors_to_our_sign_in(client):
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == login_with_next("/admin/pages/")


def test_wagtails_sign_in_address_leads_to_ours(client):
    assert client.get("/admin/login/")["Location"] == login_with_next("/admin/")
    assert client.get("/admin/login/?next=/admin/pages/")["Location"] == (
        login_with_next("/admin/pages/")
    )


def test_wagtails_password_reset_leads_to_ours(client):
    response = client.get("/admin/password_reset/")
    assert response["Location"] == reverse("accounts_password_reset")


def test_staff_with_an_app_need_the_code_for_the_admin(client, clerk):
    device = with_app(clerk)
    response = post_password(client, clerk.username, next="/admin/")
    assert response["Location"] == reverse("accounts_login_code")
    assert client.get("/admin/").status_code == 302
    response = post_code(client, code_for(device))
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_admins_sign_out_is_ours(client, clerk):
    sign_in(client, clerk)
    assert client.get("/admin/").status_code == 200
    response = client.post(reverse("wagtailadmin_logout"))
    assert response["Location"] == reverse("accounts_login")
    assert SESSION_KEY not in client.session


def test_the_lock_out_applies_to_staff(client, clerk):
    for _ in range(5):
        post_password(client, clerk.username, "falsch")
    assert post_password(client, clerk.username, PASSWORD).status_code == 429


@pytest.mark.parametrize(
    "name", ["live_member", "live_staff", "live_projector", "packs_member_download"]
)
def test_member_pages_send_anonymous_visitors_to_our_sign_in(client, name):
    path = reverse(name, args=[1])
    response = client.get(path)
    assert response["Location"] == login_with_next(path)


def test_a_member_file_sends_anonymous_visitors_to_our_sign_in(client):
    path = reverse("member_file", args=[1, 2])
    assert client.get(path)["Location"] == login_with_next(path)


def test_the_guard_lets_a_signed_in_member_through(client):
    user = member()
    sign_in(client, user)
    # The meeting does not exist: the view itself answers, not the guard.
    assert client.get(reverse("live_member", args=[999])).status_code == 404


def test_the_guard_sends_an_unconfirmed_session_of_a_user_with_an_app_back(client):
    user = member()
    with_app(user)
    client.force_login(user)
    path = reverse("live_member", args=[999])
    response = client.get(path)
    assert response["Location"] == login_with_next(path)
    assert SESSION_KEY not in client.session


def test_staff_change_their_password_on_our_page_not_in_wagtails(client, clerk):
    sign_in(client, clerk)
    html = client.get(reverse("wagtailadmin_account")).content.decode()
    assert reverse("accounts_security") in html
    assert 'name="password-new_password1"' not in html
