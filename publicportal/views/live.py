"""The public live view of a running meeting: ``/sitzungen/<slug>/live/``.

The first state is rendered on the server, only from what
:mod:`publicportal.visibility` lets the public see: the public agenda items,
the current item if it is public (otherwise a neutral notice, never its
title), and the votes on public items. ``static/live/live.js`` then follows
the session over ``ws/live/<id>/public/``, whose payload is built through the
same module (``publicportal.live``). Without JavaScript the page says to
reload it. Never kept by the page cache or a browser: the answer is private.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from sessions.live.views import client_texts, ws_path
from sessions.models import Meeting, Vote

from .. import visibility
from .base import Crumb, render_portal
from .meetings import find_meeting


def live_session(meeting: Meeting):
    """The meeting's live session, if one was started."""
    try:
        return meeting.live
    except (AttributeError, ObjectDoesNotExist):
        return None


def public_vote(meeting: Meeting, item_ids: set[int], current_id: int | None):
    """The vote the public may see: the latest one on the current item,
    which is public (``item_ids`` are the public items)."""
    if current_id is None or current_id not in item_ids:
        return None
    return (
        Vote.objects.filter(meeting=meeting, agenda_item_id=current_id)
        .order_by("-opened_at", "-pk")
        .first()
    )


def meeting_live(request, portal, slug):
    meeting = find_meeting(portal.body, slug)
    agenda_public = visibility.agenda_published(meeting)
    items = list(visibility.public_agenda_items(meeting)) if agenda_public else []
    item_ids = {item.pk for item in items}
    session = live_session(meeting)
    live = session is not None and session.ended_at is None
    current_id = session.current_item_id if live else None
    current = next((item for item in items if item.pk == current_id), None)
    vote = None
    if live and visibility.result_public(meeting):
        vote = public_vote(meeting, item_ids, current_id)
    response = render_portal(
        request,
        portal,
        "publicportal/live.html",
        title=_("%(meeting)s – live") % {"meeting": meeting.name},
        breadcrumbs=[Crumb(_("Meetings")), Crumb(meeting.name), Crumb(_("Live view"))],
        nav_current="calendar",
        meeting=meeting,
        items=items,
        live=live,
        ended=session is not None and session.ended_at is not None,
        current=current,
        current_hidden=current_id is not None and current is None,
        vote=vote,
        live_config={
            "meeting": meeting.pk,
            "screen": "public",
            "ws": ws_path(meeting, "public"),
        },
        live_texts=client_texts(),
    )
    links = response.context_data["links"]
    crumbs = response.context_data["breadcrumbs"]
    crumbs[1] = Crumb(_("Meetings"), links.route("calendar"))
    crumbs[2] = Crumb(meeting.name, links.meeting(meeting))
    add_never_cache_headers(response)
    return response
