"""Template helpers of the public portal: ``{% link obj %}`` and friends."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def link(context, obj) -> str:
    """Address of a public object's page, from the ``links`` in the context."""
    return context["links"].url_for(obj)


@register.simple_tag(takes_context=True)
def route(context, name, *args, **query) -> str:
    """Address of a portal route: ``{% route 'calendar' monat='2026-11' %}``."""
    return context["links"].route(name, *args, query=query or None)


@register.simple_tag(takes_context=True)
def feed_url(context, name, fmt, organization=None) -> str:
    return context["links"].feed(name, fmt, organization)
