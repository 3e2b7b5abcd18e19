"""Key material of rendered parts: what a document's content depends on.

A generated document is the HTML its template makes of its context, laid out
with the print style sheets. So the key material of a rendered part is that
HTML itself (rendered with the document's own context function, without the
creation time), plus the *layout version*: the style sheets and other static
files of the PDF templates, the WeasyPrint version and the stored form of
parts. Whatever a document prints (a paper's text, a consultation's result,
the chair named under the invitation, the letter date) is in its HTML, and
nothing that is not printed is: an edit that does not change a document does
not render it again, and no change that does can be missed by a list of
fields kept by hand. Rendering the HTML costs a few milliseconds; laying it
out costs a hundred times that.

The body's logo is referred to by its address in the HTML; its content is
added by name, size and modification time of the stored file.
"""

import hashlib
from functools import lru_cache

import weasyprint
from django.contrib.staticfiles import finders
from django.utils import translation

from documents.pdf.render import DOCUMENT_LANGUAGE, render_html

from .parts import PART_FORMAT

#: Static folders whose files shape the generated PDFs.
STATIC_FOLDERS = ("documents/pdf/", "sessions/pdf/")


@lru_cache(maxsize=1)
def layout_version() -> str:
    """SHA-256 of the PDF style sheets and images (every static file under
    :data:`STATIC_FOLDERS`), the WeasyPrint version and the part format;
    computed once per process (a deployment restarts the processes)."""
    digest = hashlib.sha256(f"{weasyprint.__version__}\n{PART_FORMAT}\n".encode())
    seen = set()
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            normalised = path.replace("\\", "/")
            if normalised in seen or not normalised.startswith(STATIC_FOLDERS):
                continue
            seen.add(normalised)
            with storage.open(path, "rb") as handle:
                content = handle.read()
            digest.update(f"{normalised}\n".encode())
            digest.update(hashlib.sha256(content).digest())
    return digest.hexdigest()


def logo_stamp(body) -> str:
    """Name, size and modification time of ``body``'s logo ('' without)."""
    logo = getattr(body, "logo", None)
    if not logo:
        return ""
    try:
        storage, name = logo.storage, logo.name
        changed = storage.get_modified_time(name).isoformat()
        return f"{name}:{storage.size(name)}:{changed}"
    except (OSError, NotImplementedError):
        return f"{logo.name}:?"


def document_html(template: str, context: dict) -> str:
    """The HTML of a document without its creation time: what it prints,
    the same for the same content (and what the part is rendered from)."""
    with translation.override(DOCUMENT_LANGUAGE):
        return render_html(template, {**context, "created": None})


def html_material(html: str, *, logo: str = "") -> str:
    """Key material of the document whose HTML is ``html``."""
    return f"{layout_version()}\n{logo}\n{html}"
