"""Resolution extracts (Beschlussauszüge).

``resolution_extract`` is an internal document for the departments that carry
out a resolution; it may show non-public items. The public part of the
minutes lives in ``publicportal.minutes`` and reads through
``publicportal.visibility``.
"""

from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from gremien.rules import LOCAL_TIME

from .models import AgendaItem, ItemMinutes, Meeting
from .services.minutes import item_vote_outcome


def _item_minutes(agenda_item: AgendaItem) -> ItemMinutes | None:
    return ItemMinutes.objects.filter(agenda_item=agenda_item).first()


def plain_text(rich_text: str) -> str:
    return strip_tags(rich_text or "").strip()


def _paper_line(agenda_item: AgendaItem, *, public_only: bool) -> str | None:
    consultation = getattr(agenda_item, "consultation", None)
    if consultation is None or consultation.deleted:
        return None
    paper = consultation.paper
    if paper.deleted or (public_only and not paper.public):
        return None
    return _("Paper: %(reference)s %(name)s") % {
        "reference": paper.reference,
        "name": paper.name,
    }


def vote_lines(item_minutes: ItemMinutes | None) -> list[str]:
    if item_minutes is None:
        return []
    lines = []
    if item_minutes.votes_yes is not None or item_minutes.votes_no is not None:
        lines.append(
            _("Vote: %(yes)s yes, %(no)s no, %(abstain)s abstentions")
            % {
                "yes": item_minutes.votes_yes or 0,
                "no": item_minutes.votes_no or 0,
                "abstain": item_minutes.votes_abstain or 0,
            }
        )
    if item_minutes.unanimous:
        lines.append(_("Unanimous"))
    outcome = item_vote_outcome(item_minutes)
    if outcome is not None:
        lines.append(f"{outcome.explanation} ({outcome.legal_basis})")
    for entry in item_minutes.roll_call:
        lines.append(f"  {entry['name']}: {entry['vote']}")
    biased = [p.name for p in item_minutes.biased.all()]
    if biased:
        lines.append(
            _("Did not take part because of bias: %(names)s")
            % {"names": ", ".join(biased)}
        )
    return lines


def _item_text(agenda_item: AgendaItem, *, public_only: bool) -> list[str]:
    lines = [f"{agenda_item.number} {agenda_item.name}".strip()]
    paper = _paper_line(agenda_item, public_only=public_only)
    if paper:
        lines.append(paper)
    resolution = plain_text(agenda_item.resolution_text)
    if resolution:
        lines += ["", _("Resolution:"), resolution]
    if agenda_item.result_wording:
        lines.append(_("Result: %(result)s") % {"result": agenda_item.result_wording})
    lines += vote_lines(_item_minutes(agenda_item))
    return lines


def _meeting_header(meeting: Meeting) -> list[str]:
    organizations = ", ".join(o.name for o in meeting.organizations.all())
    start = meeting.start.astimezone(LOCAL_TIME)
    return [
        meeting.body.name,
        organizations,
        _("Meeting: %(name)s on %(date)s")
        % {"name": meeting.name, "date": start.strftime("%d.%m.%Y")},
    ]


def resolution_extract(agenda_item: AgendaItem) -> str:
    """Beschlussauszug of one item as plain text, for internal use.

    Body, organization, meeting date, item number and title, paper reference,
    resolution text and vote result. Non-public items are allowed: the extract
    goes to departments, never to the public.
    """
    lines = [
        _("Extract from the minutes (resolution extract)"),
        *_meeting_header(agenda_item.meeting),
        "",
        *_item_text(agenda_item, public_only=False),
    ]
    return "\n".join(lines) + "\n"
