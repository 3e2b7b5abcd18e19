"""Reads of the member portal for the signed-in member (``user``).

Who may see a meeting's non-public part is decided by ``sessions.access``
(``meetings_entitled`` for lists, ``may_read_non_public`` for one meeting);
everything here starts from those.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.models import File, Paper, PaperType
from gremien.fractions import fractions_of
from gremien.models import Organization
from sessions.access import meetings_entitled
from sessions.models import AgendaItem, Consultation, Dispatch, Meeting, Minutes

from .models import MeetingOpened

#: The dashboard's news reach back to meetings this long ago.
NEWS_MEETINGS_SINCE = dt.timedelta(days=90)
NEWS_LIMIT = 40
#: Kinds of paper a fraction brings in.
FRACTION_PAPER_TYPES = (PaperType.MOTION, PaperType.AMENDMENT, PaperType.INQUIRY)


def start_of_today() -> dt.datetime:
    today = timezone.localdate()
    return timezone.make_aware(dt.datetime.combine(today, dt.time.min))


def _with_reading(meetings: QuerySet[Meeting], user) -> QuerySet[Meeting]:
    """Annotate when ``user`` last opened each meeting and the latest notice
    (invitation, addendum, rescheduling, cancellation) sent for it."""
    opened = MeetingOpened.objects.filter(user=user, meeting=OuterRef("pk"))
    notices = Dispatch.objects.filter(meeting=OuterRef("pk")).order_by("-sent_at")
    return meetings.annotate(
        last_opened_at=Subquery(opened.values("last_opened_at")[:1]),
        last_notice_at=Subquery(notices.values("sent_at")[:1]),
        last_notice_kind=Subquery(notices.values("kind")[:1]),
    )


def unopened(meeting: Meeting) -> bool:
    """Whether a notice came for ``meeting`` after the member last opened it
    (needs :func:`_with_reading`)."""
    notice = meeting.last_notice_at
    return notice is not None and (
        meeting.last_opened_at is None or meeting.last_opened_at < notice
    )


def _listed(
    meetings: QuerySet[Meeting], user, order: tuple[str, ...], limit: int | None
) -> list[Meeting]:
    """``meetings`` with what a list shows; each knows if it is ``unopened``."""
    listed = _with_reading(
        meetings.select_related("location", "body").prefetch_related(
            Prefetch(
                "organizations",
                queryset=Organization.objects.alive().order_by("name"),
                to_attr="listed_organizations",
            )
        ),
        user,
    )
    rows = list(listed.order_by(*order)[:limit])
    for meeting in rows:
        meeting.unopened = unopened(meeting)
    return rows


def upcoming_meetings(*, user) -> list[Meeting]:
    """Meetings from today on in which ``user`` holds a seat on the meeting
    day (member, deputy, citizen or advisory member), soonest first;
    cancelled ones stay listed, marked."""
    meetings = meetings_entitled(user).filter(start__gte=start_of_today())
    return _listed(meetings, user, ("start", "pk"), None)


def past_meetings(*, user, limit: int = 20) -> list[Meeting]:
    """The latest meetings before today in which ``user`` held a seat."""
    meetings = meetings_entitled(user).filter(start__lt=start_of_today())
    return _listed(meetings, user, ("-start", "-pk"), limit)


def unopened_invitations(meetings: list[Meeting]) -> list[Meeting]:
    """Of ``meetings`` (from :func:`upcoming_meetings`), those with a notice
    the member has not opened yet."""
    return [m for m in meetings if m.unopened]


# News since the last visit ---------------------------------------------------


@dataclass(frozen=True)
class News:
    """One change since the member's last visit."""

    when: dt.datetime
    kind: str
    label: str
    text: str
    meeting: Meeting | None = None
    paper: Paper | None = None


def news_since(*, user, since: dt.datetime) -> list[News]:
    """What changed after ``since`` in the meetings ``user`` holds a seat in
    (from 90 days ago on) and in their fractions' papers, newest first:
    notices sent, addenda to agendas, new documents, published minutes."""
    meetings = {
        m.pk: m
        for m in meetings_entitled(user).filter(
            start__gte=timezone.now() - NEWS_MEETINGS_SINCE
        )
    }
    ids = list(meetings)
    news = (
        _notice_news(meetings, ids, since)
        + _addendum_news(meetings, ids, since)
        + _file_news(meetings, ids, since)
        + _minutes_news(meetings, ids, since)
        + _paper_news(user, since)
    )
    news.sort(key=lambda entry: entry.when, reverse=True)
    return news[:NEWS_LIMIT]


def _notice_news(meetings, ids, since) -> list[News]:
    labels = {
        Dispatch.Kind.INVITATION: _("Invitation"),
        Dispatch.Kind.ADDENDUM: _("Addendum to the agenda"),
        Dispatch.Kind.RESCHEDULE: _("Meeting rescheduled"),
        Dispatch.Kind.CANCELLATION: _("Meeting cancelled"),
    }
    dispatches = Dispatch.objects.filter(meeting_id__in=ids, sent_at__gt=since)
    return [
        News(
            d.sent_at,
            d.kind,
            labels.get(d.kind, d.get_kind_display()),
            d.subject,
            meeting=meetings[d.meeting_id],
        )
        for d in dispatches.only("meeting_id", "kind", "sent_at", "subject")
    ]


def _addendum_news(meetings, ids, since) -> list[News]:
    items = AgendaItem.objects.alive().filter(
        meeting_id__in=ids, addendum=True, addendum_at__gt=since
    )
    return [
        News(
            item.addendum_at,
            "addendum_item",
            _("New agenda item"),
            f"{item.number} {item.name}".strip(),
            meeting=meetings[item.meeting_id],
        )
        for item in items.only("meeting_id", "number", "name", "addendum_at")
    ]


def _file_news(meetings, ids, since) -> list[News]:
    """Documents added after ``since``: attached to a meeting, to one of its
    items or to a paper on its agenda (once per meeting)."""
    alive_items = Q(agenda_item__deleted_at__isnull=True)
    routes = [
        ("meeting_id", Q(meeting_id__in=ids)),
        ("agenda_item__meeting_id", Q(agenda_item__meeting_id__in=ids) & alive_items),
        (
            "paper__consultations__agenda_item__meeting_id",
            Q(paper__consultations__agenda_item__meeting_id__in=ids)
            & Q(paper__consultations__agenda_item__deleted_at__isnull=True)
            & Q(paper__consultations__deleted_at__isnull=True),
        ),
    ]
    seen: set[tuple[int, int]] = set()
    news = []
    for meeting_path, condition in routes:
        rows = (
            File.objects.alive()
            .filter(condition, created__gt=since)
            .values_list("pk", "name", "created", meeting_path)
        )
        for pk, name, created, meeting_id in rows:
            if (pk, meeting_id) in seen:
                continue
            seen.add((pk, meeting_id))
            news.append(
                News(
                    created,
                    "file",
                    _("New document"),
                    name,
                    meeting=meetings[meeting_id],
                )
            )
    return news


def _minutes_news(meetings, ids, since) -> list[News]:
    minutes = Minutes.objects.filter(meeting_id__in=ids, published_at__gt=since)
    return [
        News(
            m.published_at,
            "minutes",
            _("Minutes published"),
            str(meetings[m.meeting_id]),
            meeting=meetings[m.meeting_id],
        )
        for m in minutes.only("meeting_id", "published_at")
    ]


def _paper_news(user, since) -> list[News]:
    papers = fraction_papers(user=user).filter(modified__gt=since)
    return [
        News(
            paper.modified,
            "paper",
            _("Paper of your fraction: %(state)s")
            % {"state": paper.get_state_display()},
            f"{paper.reference} {paper.name}".strip(),
            paper=paper,
        )
        for paper in papers
    ]


# Fractions -------------------------------------------------------------------


def fraction_papers(*, user) -> QuerySet[Paper]:
    """Motions, amendments and inquiries brought in by the user's fractions,
    newest first, with their state and next consultation."""
    fractions = fractions_of(user)
    next_step = (
        Consultation.objects.alive()
        .filter(paper=OuterRef("pk"), meeting__isnull=False)
        .filter(meeting__start__gte=start_of_today(), meeting__deleted_at__isnull=True)
        .order_by("meeting__start")
    )
    return (
        Paper.objects.alive()
        .filter(
            paper_type__in=FRACTION_PAPER_TYPES,
            originator_organizations__in=fractions,
        )
        .select_related("fraction_motion")
        .annotate(
            next_meeting_id=Subquery(next_step.values("meeting_id")[:1]),
            next_meeting_start=Subquery(next_step.values("meeting__start")[:1]),
            next_meeting_name=Subquery(next_step.values("meeting__name")[:1]),
        )
        .distinct()
        .order_by("-date", "-pk")
    )


# One meeting -------------------------------------------------------------------


@dataclass
class MemberItem:
    """An agenda item as a member sees it."""

    item: AgendaItem
    paper: Paper | None
    files: list[File] = field(default_factory=list)
    new: bool = False
    new_file_ids: set[int] = field(default_factory=set)


@dataclass
class MemberAgenda:
    meeting: Meeting
    public_items: list[MemberItem]
    non_public_items: list[MemberItem]
    meeting_files: list[File]
    notices: list[Dispatch]
    new_since: dt.datetime | None

    @property
    def items(self) -> list[MemberItem]:
        return self.public_items + self.non_public_items


def _files(queryset):
    return queryset.alive().order_by("order", "pk")


def member_agenda(*, meeting: Meeting, new_since: dt.datetime | None) -> MemberAgenda:
    """Everything of ``meeting`` for a member who may read its non-public
    part (the caller checks ``may_read_non_public``): the items of both
    parts in order, each with its paper and every file of paper and item;
    the meeting's own files; the notices sent. Items and files added after
    ``new_since`` are marked new (none when it is ``None``). A fixed number
    of queries."""
    items = (
        AgendaItem.objects.alive()
        .filter(meeting=meeting)
        .order_by("order")
        .prefetch_related(
            Prefetch(
                "consultation",
                queryset=Consultation.objects.alive()
                .filter(paper__deleted_at__isnull=True)
                .select_related("paper")
                .prefetch_related(
                    Prefetch(
                        "paper__files", queryset=_files(File.objects), to_attr="listed"
                    )
                ),
                to_attr="live_consultation",
            ),
            Prefetch("files", queryset=_files(File.objects), to_attr="listed"),
        )
    )
    public, non_public = [], []
    for item in items:
        entry = _member_item(item, new_since)
        (public if item.public else non_public).append(entry)
    return MemberAgenda(
        meeting=meeting,
        public_items=public,
        non_public_items=non_public,
        meeting_files=list(_files(File.objects.filter(meeting=meeting))),
        notices=list(Dispatch.objects.filter(meeting=meeting).order_by("sent_at")),
        new_since=new_since,
    )


def _member_item(item: AgendaItem, new_since) -> MemberItem:
    found = item.live_consultation
    consultation = found[0] if isinstance(found, list) and found else found or None
    paper = consultation.paper if consultation is not None else None
    files = (paper.listed if paper is not None else []) + item.listed
    entry = MemberItem(item=item, paper=paper, files=files)
    if new_since is not None:
        changed = item.addendum_at or item.created
        entry.new = changed > new_since
        entry.new_file_ids = {f.pk for f in files if f.created > new_since}
    return entry
