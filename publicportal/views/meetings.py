"""The meeting calendar (list and month view) and the page of one meeting."""

import calendar as pycalendar
import datetime as dt
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from gremien.models import Organization
from gremien.rules import LOCAL_TIME
from sessions.models import Meeting

from .. import visibility
from ..minutes import public_minutes_items
from .base import Crumb, FeedLink, not_found, render_portal

MEETINGS_PER_PAGE = 25
ICS = "text/calendar"


def meetings_with_organizations(queryset):
    """Meetings with their location and public organizations (as
    ``public_organizations``), two queries for any number of meetings."""
    return queryset.select_related("location").prefetch_related(
        Prefetch(
            "organizations",
            queryset=visibility.public_organizations().order_by("name"),
            to_attr="public_organizations",
        )
    )


def local_today() -> dt.date:
    return timezone.now().astimezone(LOCAL_TIME).date()


def day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=LOCAL_TIME)


def upcoming_meetings(body):
    """Public meetings from today on (cancelled ones included), soonest first."""
    return meetings_with_organizations(
        visibility.public_meetings(body)
        .filter(start__gte=day_start(local_today()))
        .order_by("start", "pk")
    )


# --- calendar ------------------------------------------------------------


@dataclass
class Day:
    date: dt.date
    in_month: bool
    today: bool
    meetings: list = field(default_factory=list)


def _parse_month(value: str) -> dt.date | None:
    try:
        year, month = (int(part) for part in value.split("-"))
        return dt.date(year, month, 1)
    except ValueError:
        return None


def _shift_month(first: dt.date, months: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _month_weeks(first: dt.date, meetings) -> list[list[Day]]:
    by_day: dict[dt.date, list] = {}
    for meeting in meetings:
        by_day.setdefault(meeting.start.astimezone(LOCAL_TIME).date(), []).append(
            meeting
        )
    today = local_today()
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(
        first.year, first.month
    )
    return [
        [
            Day(
                date=day,
                in_month=day.month == first.month,
                today=day == today,
                meetings=by_day.get(day, []) if day.month == first.month else [],
            )
            for day in week
        ]
        for week in weeks
    ]


def _organization_filter(request, body) -> tuple[Organization | None, list[str]]:
    value = request.GET.get("gremium", "").strip()
    if not value:
        return None, []
    organization = None
    if value.isdigit():
        organization = (
            visibility.public_organizations(body).filter(pk=int(value)).first()
        )
    if organization is None:
        return None, [_("The selected committee does not exist; showing all meetings.")]
    return organization, []


def calendar(request, portal):
    body = portal.body
    notices: list[str] = []
    organization, org_notices = _organization_filter(request, body)
    notices += org_notices
    meetings = visibility.public_meetings(body)
    if organization is not None:
        meetings = meetings.filter(organizations=organization)
    month_view = request.GET.get("ansicht") == "monat"
    context = {}
    if month_view:
        today = local_today()
        first = dt.date(today.year, today.month, 1)
        if request.GET.get("monat"):
            parsed = _parse_month(request.GET["monat"])
            if parsed is None or not 1900 <= parsed.year <= 2200:
                notices.append(
                    _("The month could not be read; showing the current month.")
                )
            else:
                first = parsed
        following = _shift_month(first, 1)
        month_meetings = list(
            meetings_with_organizations(
                meetings.filter(
                    start__gte=day_start(first), start__lt=day_start(following)
                ).order_by("start", "pk")
            )
        )
        # Headers of the week, Monday first (2 November 2026 was a Monday).
        weekdays = [
            dt.date(2026, 11, 2) + dt.timedelta(days=offset) for offset in range(7)
        ]
        context.update(
            month=first,
            weeks=_month_weeks(first, month_meetings),
            weekdays=weekdays,
            previous_month=_shift_month(first, -1).strftime("%Y-%m"),
            next_month=following.strftime("%Y-%m"),
            month_meetings=month_meetings,
        )
    else:
        past = request.GET.get("zeitraum") == "vergangen"
        start = day_start(local_today())
        if past:
            meetings = meetings.filter(start__lt=start).order_by("-start", "-pk")
        else:
            meetings = meetings.filter(start__gte=start).order_by("start", "pk")
        page = Paginator(
            meetings_with_organizations(meetings), MEETINGS_PER_PAGE
        ).get_page(request.GET.get("seite"))
        context.update(past=past, page_obj=page, meetings=page.object_list)
    # Offered in the filter: organizations with public meetings (a link from
    # an organization's page may still name any public organization).
    organizations = (
        visibility.public_organizations(body)
        .filter(
            Exists(
                visibility.public_meetings(body).filter(organizations=OuterRef("pk"))
            )
        )
        .order_by("name")
    )
    response = render_portal(
        request,
        portal,
        "publicportal/calendar.html",
        title=_("Meetings"),
        breadcrumbs=[Crumb(_("Meetings"))],
        nav_current="calendar",
        month_view=month_view,
        organization=organization,
        organizations=organizations,
        notices=notices,
        **context,
    )
    links = response.context_data["links"]
    feeds = [FeedLink(_("All meetings (iCal)"), links.feed("sitzungen", "ics"), ICS)]
    if organization is not None:
        feeds.append(
            FeedLink(
                _("Meetings of %(organization)s (iCal)")
                % {"organization": organization.name},
                links.feed("sitzungen", "ics", organization),
                ICS,
            )
        )
    response.context_data["feeds"] = feeds
    return response


# --- one meeting -----------------------------------------------------------


def find_meeting(body, slug: str) -> Meeting:
    """The public meeting at ``/sitzungen/<slug>/`` (digits only: its number),
    with location and public organizations; 404 for anything else."""
    meetings = meetings_with_organizations(visibility.public_meetings(body))
    meeting = meetings.filter(slug=slug).first()
    if meeting is None and slug.isdigit():
        meeting = meetings.filter(pk=int(slug)).first()
    if meeting is None:
        raise not_found()
    return meeting


def agenda_with_papers(meeting: Meeting):
    """The public agenda with each item's public consultation and paper
    (``public_consultation``), the paper's public files (``public_files`` on
    the paper) and the item's public files (``public_files``): a fixed
    number of queries for any number of items."""
    files = visibility.public_files(meeting.body_id).order_by("order", "pk")
    return visibility.public_agenda_items(meeting).prefetch_related(
        Prefetch(
            "consultation",
            queryset=visibility.public_consultations()
            .select_related("paper")
            .prefetch_related(
                Prefetch("paper__files", queryset=files, to_attr="public_files")
            ),
            to_attr="public_consultation",
        ),
        Prefetch("files", queryset=files, to_attr="public_files"),
    )


def meeting_detail(request, portal, slug):
    body = portal.body
    meeting = find_meeting(body, slug)
    agenda_public = visibility.agenda_published(meeting)
    items = list(agenda_with_papers(meeting)) if agenda_public else []
    minutes_public = visibility.minutes_published(meeting)
    minutes_items = list(public_minutes_items(meeting)) if minutes_public else []
    minutes = None
    if minutes_public:
        minutes = visibility.public_minutes(body).filter(meeting=meeting).first()
    files = list(
        visibility.public_files(body).filter(meeting=meeting).order_by("order", "pk")
    )
    response = render_portal(
        request,
        portal,
        "publicportal/meeting.html",
        title=meeting.name,
        breadcrumbs=[Crumb(_("Meetings"), ""), Crumb(meeting.name)],
        nav_current="calendar",
        meeting=meeting,
        items=items,
        agenda_public=agenda_public,
        result_public=visibility.result_public(meeting),
        minutes_public=minutes_public,
        minutes=minutes,
        minutes_items=minutes_items,
        meeting_files=files,
    )
    context = response.context_data
    links = context["links"]
    ical = links.route("feed", f"sitzung-{meeting.slug or meeting.pk}", "ics")
    context["ical_url"] = ical
    context["breadcrumbs"][1] = Crumb(_("Meetings"), links.route("calendar"))
    context["feeds"] = [FeedLink(_("This meeting (iCal)"), ical, ICS)]
    return response
