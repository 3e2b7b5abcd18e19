"""The body's logo: PNG, JPEG or SVG of at most 1 MB, checked by content;
an SVG that could run code or fetch something is refused at upload."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from gremien.logo import MAX_LOGO_BYTES
from gremien.models import Body
from tests.gremien.conftest import form_data

pytestmark = pytest.mark.django_db

SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">'
    b'<rect width="120" height="40" fill="#1f3d5c"/></svg>'
)


def image(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 20), "#1f3d5c").save(buffer, kind)
    return buffer.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def refusal(body: Body, name: str, data: bytes) -> str:
    body.logo = upload(name, data)
    with pytest.raises(ValidationError) as raised:
        body.full_clean()
    return raised.value.error_dict["logo"][0].code


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("wappen.png", image("PNG")),
        ("wappen.JPG", image("JPEG")),
        ("wappen.jpeg", image("JPEG")),
        ("wappen.svg", SVG),
        ("wappen.svg", b'<?xml version="1.0"?>\n' + SVG),
    ],
    ids=["png", "jpg", "jpeg", "svg", "svg-with-xml-declaration"],
)
def test_png_jpeg_and_plain_svg_logos_are_accepted(alpha, name, data):
    alpha.body.logo = upload(name, data)
    alpha.body.full_clean()


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("wappen.gif", image("GIF"), "logo_type"),
        ("wappen.png", image("GIF"), "logo_type"),
        ("wappen.png", image("JPEG"), "logo_type"),
        ("wappen.pdf", b"%PDF-1.7\n", "logo_type"),
        ("wappen.svg", b"<svg", "logo_svg_invalid"),
        ("wappen.svg", b"<html><body>Logo</body></html>", "logo_svg_invalid"),
        (
            "wappen.svg",
            b'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
            "logo_svg_invalid",
        ),
        (
            "wappen.svg",
            SVG.replace(b"</svg>", b"<script>alert(1)</script></svg>"),
            "logo_svg_unsafe",
        ),
        (
            "wappen.svg",
            SVG.replace(b"<rect", b'<rect onclick="alert(1)"'),
            "logo_svg_unsafe",
        ),
        (
            "wappen.svg",
            SVG.replace(b"</svg>", b'<image href="https://example.org/x.png"/></svg>'),
            "logo_svg_unsafe",
        ),
        (
            "wappen.svg",
            SVG.replace(
                b"</svg>",
                b"<style>rect { fill: url(https://example.org/p.svg#p) }</style></svg>",
            ),
            "logo_svg_unsafe",
        ),
        (
            "wappen.svg",
            SVG.replace(b"<rect", b'<rect style="fill: url(//example.org/x)"'),
            "logo_svg_unsafe",
        ),
    ],
    ids=[
        "gif",
        "gif-named-png",
        "jpeg-named-png",
        "pdf",
        "broken-svg",
        "html-named-svg",
        "svg-with-entity",
        "svg-with-script",
        "svg-with-event-handler",
        "svg-with-outside-image",
        "svg-with-outside-style",
        "svg-with-outside-style-attribute",
    ],
)
def test_other_files_and_unsafe_svgs_are_refused(alpha, name, data, code):
    assert refusal(alpha.body, name, data) == code


def test_a_logo_over_one_megabyte_is_refused(alpha):
    big = image("PNG") + b"\0" * MAX_LOGO_BYTES
    assert refusal(alpha.body, "wappen.png", big) == "logo_too_large"


def test_staff_upload_the_logo_where_the_body_is_edited(superuser_client, alpha):
    url = reverse("bodies:edit", args=[alpha.body.pk])
    page = superuser_client.get(url)
    assert 'accept="image/png,image/jpeg,image/svg+xml,.svg"' in page.text
    form = page.context["form"]

    response = superuser_client.post(
        url, form_data(form, logo=upload("wappen.png", image("PNG")))
    )

    assert response.status_code == 302, response.context["form"].errors
    alpha.body.refresh_from_db()
    assert alpha.body.logo.name.endswith(".png")
    with alpha.body.logo.open("rb") as stored:
        assert stored.read(8) == b"\x89PNG\r\n\x1a\n"


def test_a_refused_logo_is_explained_and_nothing_is_saved(superuser_client, alpha):
    url = reverse("bodies:edit", args=[alpha.body.pk])
    form = superuser_client.get(url).context["form"]
    unsafe = SVG.replace(b"</svg>", b"<script>alert(1)</script></svg>")

    response = superuser_client.post(
        url, form_data(form, name="Umbenannt", logo=upload("wappen.svg", unsafe))
    )

    assert response.status_code == 200
    assert response.context["form"].errors["logo"]
    alpha.body.refresh_from_db()
    assert alpha.body.name == "Stadt Alphaburg"
    assert not alpha.body.logo
