"""News feeds (RSS 2.0 and Atom 1.0) of a body: new papers, invited or
changed meetings, published minutes; each for the whole body or one
organization.

Built on ``django.contrib.syndication``: one :class:`PortalFeed` instance per
request, knowing its portal, links and organization. Item ids are
``urn:uuid:`` names that never change with the address or the language of the
page, so a feed reader keeps an item it has already seen.
"""

import uuid

from django.contrib.syndication.views import Feed
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import formats, timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from documents.models import Paper
from gremien.models import Organization
from sessions.models import Meeting, Minutes

from .. import visibility
from ..links import PortalLinks
from .ical import address

#: Items per feed: enough for a reader that looks once a week.
ITEMS = 50
#: Characters of a paper's facts shown in its item.
SUMMARY_CHARS = 400
FEED_TYPES = {"rss": Rss201rev2Feed, "atom": Atom1Feed}
#: Namespace of the item ids of papers (meetings have their calendar UID).
PAPER_NAMESPACE = uuid.UUID("6d1c3f0e-56a7-4c55-9a7e-0b8f1f0c2a11")


def _organizations_prefetch(lookup: str = "organizations") -> Prefetch:
    return Prefetch(
        lookup,
        queryset=visibility.public_organizations().only("pk", "name"),
        to_attr="public_organizations",
    )


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


class PortalFeed(Feed):
    """A feed of one portal, optionally narrowed to one organization."""

    #: The feed's name in ``/feeds/<name>.<fmt>``.
    name = ""

    def __init__(self, portal, links: PortalLinks, fmt: str, organization=None):
        super().__init__()
        self.portal = portal
        self.body = portal.body
        self.links = links
        self.fmt = fmt
        self.organization: Organization | None = organization
        self.feed_type = FEED_TYPES[fmt]

    @property
    def scope(self) -> str:
        if self.organization is None:
            return self.body.name
        return f"{self.body.name} – {self.organization.name}"

    def link(self) -> str:
        if self.organization is not None:
            return self.links.absolute(self.links.organization(self.organization))
        return self.links.absolute(self.list_path())

    def list_path(self) -> str:
        return self.links.home()

    def feed_url(self) -> str:
        return self.links.absolute(
            self.links.feed(self.name, self.fmt, self.organization)
        )

    def author_name(self) -> str:
        return self.body.name

    def item_guid_is_permalink(self) -> bool:
        return False


class PapersFeed(PortalFeed):
    """Newly released public papers; for an organization: those it
    consults on (publicly) or that it brought in."""

    name = "vorlagen"

    def title(self) -> str:
        return _("{scope}: new papers").format(scope=self.scope)

    def description(self) -> str:
        return _("Papers as they are published in the council information system.")

    def list_path(self) -> str:
        return self.links.route("papers")

    def items(self) -> QuerySet[Paper]:
        papers = visibility.public_papers(self.body)
        if self.organization is not None:
            consulted = visibility.public_consultations().filter(
                paper=OuterRef("pk"), organizations=self.organization
            )
            originated = Paper.originator_organizations.through.objects.filter(
                paper=OuterRef("pk"), organization=self.organization
            )
            papers = papers.filter(Q(Exists(consulted)) | Q(Exists(originated)))
        return papers.order_by("-released_at", "-pk")[:ITEMS]

    def item_title(self, paper: Paper) -> str:
        return str(paper)

    def item_link(self, paper: Paper) -> str:
        return self.links.absolute(self.links.paper(paper))

    def item_guid(self, paper: Paper) -> str:
        return uuid.uuid5(PAPER_NAMESPACE, str(paper.pk)).urn

    def item_pubdate(self, paper: Paper):
        return paper.released_at

    def item_updateddate(self, paper: Paper):
        return max(paper.modified, paper.released_at)

    def item_categories(self, paper: Paper) -> list[str]:
        return [paper.get_paper_type_display()]

    def item_description(self, paper: Paper) -> str:
        head = f"{paper.get_paper_type_display()}, {formats.date_format(paper.date)}"
        facts = Truncator(strip_tags(paper.facts or "").strip()).chars(SUMMARY_CHARS)
        return f"{head}. {facts}" if facts else head


class MeetingsFeed(PortalFeed):
    """Meetings once invited (the agenda is public then), newest change
    first; a cancellation is a change."""

    name = "sitzungen"

    def title(self) -> str:
        return _("{scope}: meetings").format(scope=self.scope)

    def description(self) -> str:
        return _("Meetings as they are invited, moved or cancelled.")

    def list_path(self) -> str:
        return self.links.route("calendar")

    def items(self) -> QuerySet[Meeting]:
        meetings = visibility.public_meetings(self.body).filter(
            invitation_sent_at__isnull=False
        )
        if self.organization is not None:
            meetings = meetings.filter(organizations=self.organization)
        return (
            meetings.select_related("location")
            .prefetch_related(_organizations_prefetch())
            .order_by("-modified", "-pk")[:ITEMS]
        )

    def item_title(self, meeting: Meeting) -> str:
        title = (
            f"{meeting.name}, {formats.date_format(timezone.localtime(meeting.start))}"
        )
        if meeting.cancelled:
            return _("Cancelled: {meeting}").format(meeting=title)
        return title

    def item_link(self, meeting: Meeting) -> str:
        return self.links.absolute(self.links.meeting(meeting))

    def item_guid(self, meeting: Meeting) -> str:
        return meeting.uid.urn

    def item_pubdate(self, meeting: Meeting):
        return meeting.invitation_sent_at

    def item_updateddate(self, meeting: Meeting):
        return max(meeting.modified, meeting.invitation_sent_at)

    def item_categories(self, meeting: Meeting) -> list[str]:
        return [o.name for o in meeting.public_organizations]

    def item_description(self, meeting: Meeting) -> str:
        parts = [_when(meeting.start)]
        if meeting.location_id:
            parts.append(address(meeting.location))
        parts.append(", ".join(o.name for o in meeting.public_organizations))
        if meeting.cancelled:
            parts.insert(0, _("This meeting has been cancelled."))
        return "\n".join(p for p in parts if p)


class MinutesFeed(PortalFeed):
    """Minutes as they are published."""

    name = "niederschriften"

    def title(self) -> str:
        return _("{scope}: published minutes").format(scope=self.scope)

    def description(self) -> str:
        return _("Minutes of meetings as they are published.")

    def list_path(self) -> str:
        return self.links.route("calendar")

    def items(self) -> QuerySet[Minutes]:
        minutes = visibility.public_minutes(self.body)
        if self.organization is not None:
            minutes = minutes.filter(meeting__organizations=self.organization)
        return (
            minutes.select_related("meeting")
            .prefetch_related(_organizations_prefetch("meeting__organizations"))
            .order_by("-published_at", "-pk")[:ITEMS]
        )

    def item_title(self, minutes: Minutes) -> str:
        meeting = minutes.meeting
        return _("Minutes: {meeting}, {date}").format(
            meeting=meeting.name,
            date=formats.date_format(timezone.localtime(meeting.start)),
        )

    def item_link(self, minutes: Minutes) -> str:
        return self.links.absolute(self.links.meeting(minutes.meeting))

    def item_guid(self, minutes: Minutes) -> str:
        return uuid.uuid5(minutes.meeting.uid, "minutes").urn

    def item_pubdate(self, minutes: Minutes):
        return minutes.published_at

    def item_updateddate(self, minutes: Minutes):
        return minutes.published_at

    def item_categories(self, minutes: Minutes) -> list[str]:
        return [o.name for o in minutes.meeting.public_organizations]

    def item_description(self, minutes: Minutes) -> str:
        meeting = minutes.meeting
        organizations = ", ".join(o.name for o in meeting.public_organizations)
        return _("The minutes of the meeting on {date} ({organizations}).").format(
            date=_when(meeting.start), organizations=organizations
        )


#: The news feeds by name.
NEWS_FEEDS: dict[str, type[PortalFeed]] = {
    feed.name: feed for feed in (PapersFeed, MeetingsFeed, MinutesFeed)
}
