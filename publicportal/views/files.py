"""Downloads of public files: ``/dateien/<pk>/<filename>``.

Visibility is checked on every request through
``visibility.public_files``; a restricted file, a file of something
non-public, a deleted file and a missing one all get the same 404.
"""

from urllib.parse import unquote

from django.http import HttpResponsePermanentRedirect

from .. import visibility
from ..downloads import ContentMissing, file_response
from ..links import PortalLinks, file_name
from .base import not_found


def file_download(request, portal, pk: int, filename: str):
    file = visibility.public_files(portal.body).filter(pk=pk).first()
    if file is None:
        raise not_found()
    canonical = file_name(file)
    if unquote(filename) != canonical:
        url = PortalLinks(portal, request).file(file)
        if request.GET.get("download"):
            url += "?download=1"
        return HttpResponsePermanentRedirect(url)
    try:
        return file_response(
            request, file, attachment=bool(request.GET.get("download"))
        )
    except ContentMissing:
        raise not_found() from None
