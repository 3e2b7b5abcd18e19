"""Websocket routes of the live session: ``ws/live/<meeting_id>/<screen>/``
with screen ``staff``, ``member`` or ``projector``. The ``public`` screen is
routed by ``publicportal.live`` (sessions does not import the portal);
``config/asgi.py`` joins both lists."""

from django.urls import re_path

from .live.consumers import LiveConsumer

websocket_urlpatterns: list = [
    re_path(
        r"^ws/live/(?P<meeting_id>[0-9]+)/(?P<screen>staff|member|projector)/$",
        LiveConsumer.as_asgi(),
    ),
]
