"""Websocket routes of the live session (consumers come with that work)."""

websocket_urlpatterns: list = []
