"""Render a template to a tagged PDF with WeasyPrint.

Every generated document is a tagged PDF/UA-1 with document language and
title (from ``<html lang>`` and ``<title>``), because council documents are
published and must be accessible (BITV 2.0). Minutes may also be rendered as
PDF/A-3b for the archive (tagged as well). Documents are always German: they
are official records, whatever language the requesting user reads.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from .fetcher import BASE_URL, ProjectFetcher

#: Accessible PDF (ISO 14289-1): the default of every generated document.
PDF_UA = "pdf/ua-1"
#: Archival PDF (ISO 19005-3, level B), tagged too: the minutes' archive copy.
PDF_A = "pdf/a-3b"
#: The language of generated documents.
DOCUMENT_LANGUAGE = "de"

_shared: dict = {}


def font_config() -> FontConfiguration:
    """One font configuration per process: building it reads the system's
    fonts, and sharing it lets WeasyPrint reuse subset fonts."""
    config = _shared.get("fonts")
    if config is None:
        config = _shared["fonts"] = FontConfiguration()
    return config


def render_html(template_name: str, context: dict) -> str:
    with translation.override(DOCUMENT_LANGUAGE):
        return render_to_string(template_name, context)


def layout_html(html: str):
    """The laid-out WeasyPrint document of ``html`` (its ``pages`` can be
    counted before it is written). Needs no database: session packs lay out
    in worker processes."""
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=ProjectFetcher())
    return document.render(font_config=font_config())


def layout(template_name: str, context: dict):
    """The laid-out WeasyPrint document of a template."""
    return layout_html(render_html(template_name, context))


def write(document, *, variant: str = PDF_UA) -> bytes:
    """The PDF bytes of a laid-out document."""
    return document.write_pdf(pdf_variant=variant, pdf_tags=True)


@dataclass(frozen=True)
class RenderedPDF:
    data: bytes
    pages: int


def render_pdf(template_name: str, context: dict, *, variant: str = PDF_UA) -> bytes:
    """The PDF of ``template_name`` rendered with ``context``."""
    return write(layout(template_name, context), variant=variant)


def render_counted(
    template_name: str, context: dict, *, variant: str = PDF_UA
) -> RenderedPDF:
    """Like :func:`render_pdf`, with the number of pages."""
    document = layout(template_name, context)
    return RenderedPDF(write(document, variant=variant), len(document.pages))
