"""The motion's plain text: tidied on input, turned into the paper's rich
text on submission."""

import re

from django.utils.html import escape

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")


def tidy(text: str) -> str:
    """Unix line ends, no trailing spaces, no blank lines at start or end."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n")


def tidy_line(text: str) -> str:
    """One line: inner runs of white space become one space."""
    return " ".join(text.split())


def to_rich_text(text: str) -> str:
    """Escaped paragraphs (blank lines) with line breaks (single newlines),
    as Wagtail's rich text stores them. Nothing the member typed becomes
    markup."""
    paragraphs = [p for p in _PARAGRAPH_BREAK.split(tidy(text)) if p.strip()]
    return "".join(
        "<p>" + "<br/>".join(escape(line) for line in p.split("\n")) + "</p>"
        for p in paragraphs
    )
