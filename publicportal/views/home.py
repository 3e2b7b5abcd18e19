"""Start page of a body's portal."""

from .base import render_portal


def home(request, portal):
    return render_portal(
        request,
        portal,
        "publicportal/home.html",
        title=portal.title,
        nav_current="home",
    )
