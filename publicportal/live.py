"""The public live view's payload: what an anonymous visitor of a running
public meeting may see, built through :mod:`publicportal.visibility` only.

Registered into ``sessions.live.events`` by ``PublicPortalConfig.ready``.
Nothing of a non-public item goes out: not in the item list, not its title,
not a vote or its progress, not its speakers. On a non-public current item
the payload says ``{"public": false}`` and nothing more about it.
"""

from __future__ import annotations

from django.urls import re_path

from sessions.live import cache as live_cache
from sessions.live import events, snapshot
from sessions.live.consumers import LiveConsumer
from sessions.models import AgendaItem, Meeting

from . import visibility
from .links import PortalLinks


def _links(meeting: Meeting) -> PortalLinks | None:
    """Links of the body's portal (none without a live portal page)."""
    from .models import PortalHomePage

    portal = PortalHomePage.objects.live().filter(body_id=meeting.body_id).first()
    return PortalLinks(portal) if portal is not None else None


def _files(item: AgendaItem, links: PortalLinks | None) -> list[dict]:
    files = visibility.public_files().filter(agenda_item=item).order_by("order", "pk")
    result = []
    for file in files:
        url = None
        if links is not None:
            try:
                url = links.file(file)
            except Exception:
                url = None
        result.append({"name": file.name, "url": url})
    return result


def _public_speakers(item: AgendaItem, meeting: Meeting) -> list[dict]:
    """The speakers' list of a public item, with the names of persons the
    public may see (only those on the list are looked up)."""
    speakers = snapshot.speakers_of(item)
    shown = set(
        visibility.public_persons(meeting.body)
        .filter(pk__in=[speaker["person"] for speaker in speakers])
        .values_list("pk", flat=True)
    )
    return [
        {**speaker, "name": speaker["name"] if speaker["person"] in shown else ""}
        for speaker in speakers
    ]


def public_state(meeting: Meeting) -> dict | None:
    """The public ``state`` payload, or ``None`` when the meeting or its
    agenda is not public."""
    meeting = visibility.public_meetings().filter(pk=meeting.pk).first()
    if meeting is None or not visibility.agenda_published(meeting):
        return None
    live = snapshot.live_of(meeting)
    items = list(visibility.public_agenda_items(meeting))
    public_ids = {item.pk for item in items}
    item = snapshot.current_item(live)
    item_data = None
    speakers: list[dict] = []
    vote = None
    if item is not None and item.pk in public_ids:
        item_data = {
            **snapshot.item_payload(item),
            "files": _files(item, _links(meeting)),
        }
        speakers = _public_speakers(item, meeting)
    elif item is not None:
        item_data = {"public": False}
    candidate = snapshot.vote_of(meeting, item)
    if candidate is not None and candidate.agenda_item_id in public_ids:
        vote = snapshot.vote_payload(candidate)
    quorum_item = item if item is not None and item.pk in public_ids else None
    return {
        "type": "state",
        "version": live.version if live is not None else 0,
        "meeting": snapshot.meeting_payload(meeting, live),
        "items": [snapshot.item_payload(i) for i in items],
        "item": item_data,
        "quorum": snapshot.quorum_payload(meeting, quorum_item),
        "speakers": speakers,
        "vote": vote,
    }


def item_public(agenda_item: AgendaItem) -> bool:
    """Whether the progress of a vote on ``agenda_item`` may go to the
    public (one query)."""
    return visibility.public_agenda_items().filter(pk=agenda_item.pk).exists()


def register() -> None:
    """Hand the public builders to ``sessions.live.events`` (app ready)."""
    events.register_public(snapshot=public_state, item_public=item_public)


# --- the public websocket -------------------------------------------------------


class PublicLiveConsumer(LiveConsumer):
    """``ws/live/<meeting_id>/public/``: anyone, for a public meeting whose
    agenda is published. Receives only the public payload and the progress
    of votes on public items; accepts no action but ``state``."""

    rate = 2.0
    burst = 6

    def authorize(self) -> bool:
        meeting = visibility.public_meetings().filter(pk=self.meeting_id).first()
        if meeting is None or not visibility.agenda_published(meeting):
            return False
        self.audience = events.PUBLIC
        self.user = None
        return True

    def snapshot(self) -> list[dict]:
        meeting = Meeting.objects.select_related("body").get(pk=self.meeting_id)
        payload = live_cache.cached(
            meeting.pk, events.PUBLIC, lambda: public_state(meeting)
        )
        return [payload] if payload is not None else []

    def handlers(self) -> dict:
        return {}


websocket_urlpatterns = [
    re_path(r"^ws/live/(?P<meeting_id>[0-9]+)/public/$", PublicLiveConsumer.as_asgi()),
]
