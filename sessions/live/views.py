"""The screens of a live session, outside the admin: the chair's console
(``/live/<pk>/leitung/``), the member's tablet (``/live/<pk>/mitglied/``) and
the projector in the room (``/live/<pk>/saal/``).

The views only decide who may open a screen and render its frame; everything
on it comes over the websocket (``ws/live/<pk>/<screen>/``), whose consumer
checks the same rules again on connect:

- console: the meeting's conductor (``voting._require_conductor``: staff of
  the body with ``meetings.change_meeting``, or the chair);
- tablet: a person of the user holding an entitled seat in one of the
  meeting's organizations on the meeting day (``access.entitled_memberships``);
- projector: whoever may read the non-public part (``access.may_read_non_public``).

Anonymous users are sent to the login; signed-in users without access get a
403 page saying why. No page is ever cached.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from accounts.guards import login_required
from gremien.models import Person

from ..access import entitled_memberships, is_staff_of, may_read_non_public
from ..models import Meeting
from ..services.voting import _require_conductor

STAFF, MEMBER, PROJECTOR = "staff", "member", "projector"


def ws_path(meeting: Meeting, screen: str) -> str:
    """The websocket address of ``screen`` (``staff|member|projector|public``)."""
    return f"/ws/live/{meeting.pk}/{screen}/"


def live_meeting(pk: int) -> Meeting:
    meeting = Meeting.objects.alive().select_related("body").filter(pk=pk).first()
    if meeting is None:
        raise Http404(_("This meeting does not exist."))
    return meeting


def is_conductor(user, meeting: Meeting) -> bool:
    """Whether ``user`` may conduct the live session (the services' rule)."""
    if not user.is_authenticated:
        return False
    try:
        _require_conductor(user, meeting)
    except PermissionDenied:
        return False
    return True


def member_person(user, meeting: Meeting) -> Person | None:
    """The user's person if it holds an entitled seat for ``meeting``."""
    if not user.is_authenticated or not user.is_active:
        return None
    membership = entitled_memberships(user, meeting).select_related("person").first()
    return membership.person if membership is not None else None


def forbidden(request: HttpRequest, meeting: Meeting, reason: str) -> HttpResponse:
    response = TemplateResponse(
        request,
        "sessions/live/forbidden.html",
        {"meeting": meeting, "reason": reason, "title": _("No access")},
        status=403,
    )
    return response


def screen_response(
    request: HttpRequest, meeting: Meeting, screen: str, template: str, **context
) -> HttpResponse:
    config = {
        "meeting": meeting.pk,
        "screen": screen,
        "ws": ws_path(meeting, screen),
        "storageKey": f"gremien-live-{meeting.pk}-{request.user.pk}",
    }
    links = {
        STAFF: reverse("live_staff", args=[meeting.pk]),
        MEMBER: reverse("live_member", args=[meeting.pk]),
        PROJECTOR: reverse("live_projector", args=[meeting.pk]),
    }
    return TemplateResponse(
        request,
        template,
        {
            "meeting": meeting,
            "screen": screen,
            "live_config": config,
            "live_texts": client_texts(),
            "screen_links": links,
            **context,
        },
    )


@never_cache
@login_required
def staff_console(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    """The console of the chair and the clerk (Sitzungsleitung)."""
    meeting = live_meeting(meeting_pk)
    if not is_conductor(request.user, meeting):
        return forbidden(
            request,
            meeting,
            _(
                "Only the chair of the meeting and the council office "
                "(Sitzungsdienst) may conduct the live session."
            ),
        )
    return screen_response(
        request,
        meeting,
        STAFF,
        "sessions/live/staff.html",
        admin_url=reverse("meetings_status", args=[meeting.pk])
        if is_staff_of(request.user, meeting)
        else "",
    )


@never_cache
@login_required
def member_tablet(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    """The tablet of a council member: item, documents, speaking, bias, vote."""
    meeting = live_meeting(meeting_pk)
    person = member_person(request.user, meeting)
    if person is None:
        return forbidden(
            request,
            meeting,
            _(
                "Only members of the committee (including deputies) can use "
                "the member screen of this meeting."
            ),
        )
    return screen_response(
        request,
        meeting,
        MEMBER,
        "sessions/live/member.html",
        person=person,
        may_conduct=is_conductor(request.user, meeting),
    )


@never_cache
@login_required
def projector(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    """The display in the room (Saalanzeige, projector)."""
    meeting = live_meeting(meeting_pk)
    if not may_read_non_public(request.user, meeting):
        return forbidden(
            request,
            meeting,
            _(
                "The room display shows the non-public part of the meeting: "
                "only members of the committee and the council office may open it."
            ),
        )
    return screen_response(request, meeting, PROJECTOR, "sessions/live/projector.html")


def client_texts() -> dict[str, str]:
    """The texts of the shared client (``static/live/live.js``), translated
    here and handed over with ``json_script``."""
    return {
        "offline": _("No connection – reconnecting …"),
        "connecting": _("Connecting …"),
        "noAccess": _(
            "You no longer have access to this screen. Please reload the page."
        ),
        "live": _("Live now"),
        "notLive": _("The live session has not started."),
        "ended": _("The live session has ended."),
        "noItem": _("No agenda item is being discussed at the moment."),
        "nonPublic": _("Non-public part – not displayed"),
        "nonPublicBadge": _("non-public"),
        "current": _("current"),
        "documents": _("Documents"),
        "noDocuments": _("No documents for this item."),
        "quorate": _("quorate"),
        "notQuorate": _("not quorate"),
        "quorumLine": _("%(present)s present, %(required)s required"),
        "biasedCount": _("%(biased)s biased"),
        "speakerNow": _("Speaking now"),
        "speakerQueue": _("Next speakers"),
        "noSpeakers": _("No requests to speak."),
        "noneSpeaking": _("Nobody is speaking."),
        "castOf": _("%(cast)s of %(total)s have voted"),
        "castCount": _("%(cast)s votes cast"),
        "voteOpen": _("Vote in progress"),
        "voteClosed": _("Result"),
        "noVote": _("No vote is open."),
        "yes": _("Yes"),
        "no": _("No"),
        "abstain": _("Abstention"),
        "kind_open": _("open vote"),
        "kind_named": _("roll-call vote"),
        "kind_secret": _("secret vote"),
        "manual": _("counted by show of hands"),
        "basis": _("Rule: %(basis)s"),
        "rollCall": _("Roll call"),
        "voteCounted": _("Your vote has been counted."),
        "yourChoice": _("Your choice: %(choice)s"),
        "receipt": _("Receipt: %(receipt)s"),
        "sending": _("Your vote is being transmitted …"),
        "secretNote": _("Secret ballot: your choice is not stored with your name."),
        "reason_not_present": _(
            "You are not recorded as present. Please check in with the clerk."
        ),
        "reason_biased": _(
            "You have declared bias on this item and take no part in the vote."
        ),
        "reason_deputy_not_standing_in": _(
            "As a deputy you can vote only while standing in for an absent member."
        ),
        "reason_not_entitled": _("You have no vote in this committee."),
        "reason_voted": _("You have already voted in this vote."),
        "requestSpeak": _("Request to speak"),
        "withdrawSpeak": _("Withdraw request to speak"),
        "speakWaiting": _("You are on the list of speakers (position %(position)s)."),
        "speakSpeaking": _("You have the floor."),
        "declareBias": _("Declare bias"),
        "withdrawBias": _("Withdraw declaration of bias"),
        "biasDeclared": _("You have declared bias on this item."),
        "start": _("Start live session"),
        "end": _("End live session"),
        "confirmEnd": _("End the live session and close the meeting?"),
        "setItem": _("Call up"),
        "setItemLabel": _("Call up item %(number)s"),
        "checkIn": _("Check in"),
        "checkOut": _("Check out"),
        "checkInLabel": _("Check in %(name)s"),
        "checkOutLabel": _("Check out %(name)s"),
        "standsInFor": _("stands in for"),
        "standsInForLabel": _("%(name)s stands in for"),
        "nobody": _("nobody"),
        "present": _("present"),
        "absent": _("absent"),
        "excused": _("excused"),
        "notRecorded": _("not recorded"),
        "bias": _("Biased"),
        "biasLabel": _("%(name)s is biased on the current item"),
        "call": _("Call"),
        "done": _("Done"),
        "remove": _("Remove"),
        "up": _("Move up"),
        "down": _("Move down"),
        "speakerActionLabel": _("%(action)s: %(name)s"),
        "waiting": _("waiting"),
        "speaking": _("speaking"),
        "closeVote": _("Close vote"),
        "saved": _("Saved."),
        "reasonRequired": _("Please give a reason."),
        "failed": _("The action failed."),
        "notConnected": _("No connection. Please try again in a moment."),
        "person_member": _("member"),
        "person_deputy": _("deputy"),
        "person_citizen_member": _("citizen member"),
        "person_advisory": _("advisory member"),
        "person_chair": _("chair"),
        "attendanceEmpty": _("No persons to check in."),
    }
