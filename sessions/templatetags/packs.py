"""``{% session_packs meeting %}``: the box of a meeting's session packs on
its status screen (state, progress, downloads, "Neu erstellen"). Fetches what
it needs from the meeting, so the status view needs no change."""

from django import template

from ..packs.views import packs_context

register = template.Library()


@register.inclusion_tag("sessions/admin/_packs_box.html", takes_context=True)
def session_packs(context, meeting):
    request = context["request"]
    result = packs_context(meeting, request.user)
    result["request"] = request
    result["csrf_token"] = context.get("csrf_token")
    return result
