import mimetypes

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReaderConfig(AppConfig):
    """The document reader of the member portal (PDF.js) and the members'
    private annotations, synchronised also after offline work."""

    name = "reader"
    verbose_name = _("Document reader and annotations")

    def ready(self) -> None:
        # PDF.js is a set of ES modules: browsers load a module only with a
        # JavaScript type, and a system's mime.types may not know ".mjs".
        mimetypes.add_type("text/javascript", ".mjs")
