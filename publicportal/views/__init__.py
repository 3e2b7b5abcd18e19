"""Views of the public portal, one module per kind of page.

Each view takes ``(request, portal, ...)``: the routes of
:class:`publicportal.models.PortalHomePage` hand over the body's portal page.
Every queryset starts in :mod:`publicportal.visibility`.
"""
