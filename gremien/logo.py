"""The body's logo: a small PNG, JPEG or SVG, checked by its content.

The logo is printed in the running header of every generated document and may
be shown on the portal. A file is accepted by what it is, not by its name: the
first bytes must be those of a PNG or JPEG, or the file must be an SVG
document. An SVG may not contain scripts, event handlers, embedded HTML or
references to anything outside itself (only ``#fragment`` and inline
``data:image/…`` addresses): a logo never makes a request and never runs code,
wherever it is shown. The PDF fetcher refuses outside addresses anyway; this is
the second line.
"""

import re
from pathlib import PurePath

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

#: Largest logo accepted (bytes).
MAX_LOGO_BYTES = 1024 * 1024
LOGO_ACCEPT = "image/png,image/jpeg,image/svg+xml,.svg"
_EXPECTED = {"png": "png", "jpg": "jpeg", "jpeg": "jpeg"}

_SVG_NAMESPACE = "{http://www.w3.org/2000/svg}"
_FORBIDDEN_ELEMENTS = {"script", "foreignObject", "iframe", "embed", "object"}
_LOCAL_URL = re.compile(r"^\s*(#|data:image/(png|jpeg|gif);)", re.IGNORECASE)
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]*)|@import", re.IGNORECASE)


def logo_upload_path(instance, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower().lstrip(".") or "bin"
    return f"bodies/{instance.slug or 'body'}/logo.{suffix}"


def _kind(head: bytes) -> str | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    return None


def _local_name(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _refers_outside(element) -> bool:
    for name, value in element.attrib.items():
        local = _local_name(name)
        if local.lower().startswith("on"):
            return True
        if local == "href" and not _LOCAL_URL.match(value):
            return True
        if local == "style" and _css_refers_outside(value):
            return True
    if _local_name(element.tag) == "style":
        return _css_refers_outside(element.text or "")
    return False


def _css_refers_outside(css: str) -> bool:
    for match in _CSS_URL.finditer(css):
        target = match.group(1)
        if target is None or not _LOCAL_URL.match(target):
            return True
    return False


def _check_svg(data: bytes) -> None:
    try:
        root = fromstring(data, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError) as error:
        raise ValidationError(
            _("The SVG file cannot be read: it is not a well-formed SVG document."),
            code="logo_svg_invalid",
        ) from error
    if root.tag != f"{_SVG_NAMESPACE}svg":
        raise ValidationError(
            _("The file is not an SVG image (its root element must be <svg>)."),
            code="logo_svg_invalid",
        )
    for element in root.iter():
        if _local_name(element.tag) in _FORBIDDEN_ELEMENTS or _refers_outside(element):
            raise ValidationError(
                _(
                    "The SVG logo must not contain scripts, embedded content or "
                    "references to other files. Save it as a plain SVG or as a "
                    "PNG."
                ),
                code="logo_svg_unsafe",
            )


def _read(value) -> bytes:
    value.seek(0)
    data = value.read(MAX_LOGO_BYTES + 1)
    value.seek(0)
    return data


def validate_logo(value) -> None:
    """Refuse anything but a PNG, JPEG or safe SVG of at most 1 MB.

    Only a new upload is checked; a logo already stored passed this check
    when it was uploaded (and re-reading it on every save would touch the
    storage for nothing)."""
    if getattr(value, "_committed", False):
        return
    size = getattr(value, "size", None)
    if size is not None and size > MAX_LOGO_BYTES:
        raise ValidationError(
            _("The logo is too large (at most 1 MB). Please upload a smaller file."),
            code="logo_too_large",
        )
    data = _read(value)
    if len(data) > MAX_LOGO_BYTES:
        raise ValidationError(
            _("The logo is too large (at most 1 MB). Please upload a smaller file."),
            code="logo_too_large",
        )
    suffix = PurePath(value.name or "").suffix.lower().lstrip(".")
    if suffix == "svg" and _kind(data[:8]) is None:
        _check_svg(data)
        return
    kind = _kind(data[:8])
    if kind is None or _EXPECTED.get(suffix) != kind:
        raise ValidationError(
            _(
                "The logo must be a PNG, JPEG or SVG image (file name ending in "
                ".png, .jpg, .jpeg or .svg, with matching content)."
            ),
            code="logo_type",
        )
