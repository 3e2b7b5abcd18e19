"""Pages load nothing from third parties (privacy; the portal works offline)."""

import re

import pytest
from django.urls import reverse

from tests.gremien.factories import UserFactory

ASSET = re.compile(
    r"""<(?:script|img|link|iframe|source)\b[^>]*?\b(?:src|href)=["']([^"']+)"""
)


def external_assets(html: str) -> list[str]:
    return [url for url in ASSET.findall(html) if re.match(r"^(https?:)?//", url)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    ["wagtailadmin_home", "papers:index", "meetings:index", "accounts_login"],
)
def test_admin_pages_reference_no_external_assets(client, url_name):
    user = UserFactory(is_superuser=True, email="sitzungsdienst@example.org")
    if url_name != "accounts_login":
        client.force_login(user)

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    assert external_assets(response.text) == []
