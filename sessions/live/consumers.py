"""Websocket endpoints of the live session: thin by design.

``connect`` authenticates (close code 4403 when the user may not see this
screen), joins the audience's group and sends a full ``state`` snapshot (the
member screen also its ``me``) on every (re)connect. Each message from the
client is rate-limited, validated, and handed to a service through
``db_call`` (``database_sync_to_async`` on a kept connection, see :mod:`.db`);
the reply says ``ok`` or gives a ``code`` and a
German ``message``. Broadcasts from :mod:`.events` are forwarded as they are,
with no database work per connection.

Screens and who may open them:

- ``staff``: the conductor (``voting._require_conductor``: staff of the body
  with ``meetings.change_meeting``, or the chair);
- ``member``: a user whose person holds an entitled seat in the meeting's
  organizations (``access.entitled_memberships``);
- ``projector``: whoever may read the non-public part
  (``access.may_read_non_public``);
- ``public``: see ``publicportal.live.PublicLiveConsumer``.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.core.exceptions import (
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.utils import translation
from django.utils.translation import gettext as _

from gremien.models import Person

from .. import access
from ..models import AgendaItem, Meeting, SpeakerRequest, Vote
from ..services import live as live_services
from ..services import voting
from . import cache, events, fanout, snapshot
from .db import db_call
from .throttle import TokenBucket

logger = logging.getLogger(__name__)

#: Close code when the user may not open the screen (like HTTP 403).
FORBIDDEN_CLOSE = 4403
#: Longest accepted ``ref`` of a client message.
MAX_REF = 64

SCREENS = {
    "staff": events.STAFF,
    "member": events.MEMBERS,
    "projector": events.PROJECTOR,
}


class Invalid(Exception):
    """A message with missing or malformed parameters."""


# --- parameter helpers --------------------------------------------------------


def _int(params: dict, name: str, *, required: bool = True) -> int | None:
    value = params.get(name)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise Invalid(name)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Invalid(name) from None
    if number < 0 or number > 2**31:
        raise Invalid(name)
    return number


def _bool(params: dict, name: str, *, default: bool | None = None) -> bool:
    value = params.get(name, default)
    if not isinstance(value, bool):
        raise Invalid(name)
    return value


def _str(params: dict, name: str, *, default: str | None = None, limit=500) -> str:
    value = params.get(name, default)
    if not isinstance(value, str) or len(value) > limit:
        raise Invalid(name)
    return value


# --- the consumer -------------------------------------------------------------


class LiveConsumer(AsyncJsonWebsocketConsumer):
    """One websocket of a live screen: ``ws/live/<meeting_id>/<screen>/``."""

    audience: str = ""
    rate: float = 5.0
    burst: int = 15

    # connect / disconnect -----------------------------------------------------

    async def connect(self) -> None:
        events.bind_loop()
        kwargs = self.scope["url_route"]["kwargs"]
        self.meeting_id = int(kwargs["meeting_id"])
        self.screen = kwargs.get("screen", "public")
        self.groups_joined: list[str] = []
        self.bucket = TokenBucket(self.rate, self.burst)
        self.person_id: int | None = None
        allowed = await db_call(self.authorize)()
        # Accept, then close with the code: a refused handshake would reach
        # the browser as 1006, which the client could not tell from a
        # network error (and would retry).
        await self.accept()
        if not allowed:
            await self.close(code=FORBIDDEN_CLOSE)
            return
        self.outbox = asyncio.Queue(maxsize=fanout.OUTBOX_LIMIT)
        self.writer = asyncio.get_running_loop().create_task(
            fanout.write_outbox(self, self.send)
        )
        name = events.group(self.meeting_id, self.audience)
        await fanout.relay().join(name, self)
        self.groups_joined.append(name)
        await self.send_snapshot()

    async def disconnect(self, code: int) -> None:
        for name in getattr(self, "groups_joined", []):
            await fanout.relay().leave(name, self)
        writer = getattr(self, "writer", None)
        if writer is not None:
            writer.cancel()

    def authorize(self) -> bool:
        """Runs in a worker thread: may the user open this screen?"""
        audience = SCREENS.get(self.screen)
        if audience is None:
            return False
        meeting = (
            Meeting.objects.filter(pk=self.meeting_id, deleted_at__isnull=True)
            .select_related("body")
            .first()
        )
        user = self.scope.get("user")
        if meeting is None or user is None or not user.is_authenticated:
            return False
        if not user.is_active:
            return False
        self.user = user
        if audience == events.STAFF:
            try:
                voting._require_conductor(user, meeting)
            except PermissionDenied:
                return False
        elif audience == events.MEMBERS:
            seat = (
                access.entitled_memberships(user, meeting)
                .select_related("person")
                .first()
            )
            if seat is None:
                return False
            self.person_id = seat.person_id
        elif not access.may_read_non_public(user, meeting):
            return False
        self.audience = audience
        return True

    # outgoing -----------------------------------------------------------------

    async def send_snapshot(self) -> None:
        for payload in await db_call(self.snapshot)():
            await self.send_json(payload)

    def snapshot(self) -> list[dict]:
        """The messages sent on connect and on ``state``."""
        meeting = Meeting.objects.select_related("body").get(pk=self.meeting_id)
        audience = (
            events.MEMBERS if self.audience == events.PROJECTOR else self.audience
        )
        messages = [
            cache.cached(
                meeting.pk, audience, lambda: snapshot.build(meeting, audience)
            )
        ]
        if self.audience == events.MEMBERS and self.person_id is not None:
            person = Person.objects.get(pk=self.person_id)
            messages.append(snapshot.me(meeting, person))
        return messages

    @classmethod
    async def encode_json(cls, content) -> str:
        return json.dumps(content, ensure_ascii=False)

    # incoming -----------------------------------------------------------------

    async def receive_json(self, content: Any, **kwargs) -> None:
        ref = content.get("ref") if isinstance(content, dict) else None
        if not isinstance(ref, str | int) or isinstance(ref, bool):
            ref = None
        elif isinstance(ref, str) and len(ref) > MAX_REF:
            ref = ref[:MAX_REF]
        if not self.bucket.take():
            await self.reply_error(
                ref, "rate_limited", _("Too many messages. Please wait a moment.")
            )
            return
        if not isinstance(content, dict) or not isinstance(content.get("action"), str):
            await self.reply_error(ref, "invalid", _("The message is invalid."))
            return
        action = content["action"]
        if action == "ping":
            # The client's heartbeat: a half-open connection (a tablet that
            # lost the Wi-Fi without a close) shows as a missing answer.
            await self.reply_ok(ref, {})
            return
        if action == "state":
            await self.send_snapshot()
            await self.reply_ok(ref, {})
            return
        handler = self.handlers().get(action)
        if handler is None:
            await self.reply_error(ref, "forbidden", _("This is not allowed here."))
            return
        await self.run(ref, handler, content)

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        if text_data is None:
            await self.reply_error(None, "invalid", _("The message is invalid."))
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            if not self.bucket.take():
                return
            await self.reply_error(None, "invalid", _("The message is invalid."))
            return
        await self.receive_json(content)

    def handlers(self) -> dict[str, Callable[[dict], dict]]:
        if self.audience == events.STAFF:
            return staff_actions(self)
        if self.audience == events.MEMBERS:
            return member_actions(self)
        return {}

    async def run(self, ref, handler: Callable[[dict], dict], params: dict) -> None:
        try:
            data = await db_call(self.call)(handler, params)
        except Invalid as error:
            await self.reply_error(
                ref,
                "invalid",
                _("Invalid or missing value: %(field)s.") % {"field": error.args[0]},
            )
        except ValidationError as error:
            code = getattr(error, "code", None) or "invalid"
            if hasattr(error, "error_dict"):
                code = next(
                    (
                        e.code
                        for errs in error.error_dict.values()
                        for e in errs
                        if e.code
                    ),
                    "invalid",
                )
            await self.reply_error(ref, code, " ".join(error.messages))
        except PermissionDenied:
            await self.reply_error(ref, "forbidden", _("This is not allowed here."))
        except ObjectDoesNotExist:
            await self.reply_error(ref, "not_found", _("Not found."))
        except Exception:
            logger.exception("live: action %s failed", params.get("action"))
            await self.reply_error(ref, "error", _("Something went wrong. Try again."))
        else:
            await self.reply_ok(ref, data)

    def call(self, handler: Callable[[dict], dict], params: dict) -> dict:
        """Runs in a worker thread, in the site's language."""
        with translation.override(settings.LANGUAGE_CODE):
            try:
                return handler(params)
            except ValidationError as error:
                # Render the messages while the language is active.
                raise ValidationError(
                    " ".join(error.messages), code=_first_code(error)
                ) from None

    async def reply_ok(self, ref, data: dict) -> None:
        await self.send_json({"type": "reply", "ref": ref, "ok": True, "data": data})

    async def reply_error(self, ref, code: str, message: str) -> None:
        await self.send_json(
            {"type": "reply", "ref": ref, "ok": False, "code": code, "message": message}
        )

    # lookups (in the worker thread) ---------------------------------------------

    def meeting(self) -> Meeting:
        return Meeting.objects.select_related("body").get(pk=self.meeting_id)

    def current_item(self, meeting: Meeting) -> AgendaItem:
        live = snapshot.live_of(meeting)
        item = snapshot.current_item(live)
        if item is None:
            raise ValidationError(
                _("No agenda item is being dealt with. Choose the current item first."),
                code="no_current_item",
            )
        return item

    def person(self, meeting: Meeting, params: dict, name: str = "person"):
        return Person.objects.get(pk=_int(params, name), body_id=meeting.body_id)

    def request(self, meeting: Meeting, params: dict) -> SpeakerRequest:
        return SpeakerRequest.objects.get(pk=_int(params, "request"), meeting=meeting)

    def open_vote(self, meeting: Meeting) -> Vote:
        vote = Vote.objects.filter(meeting=meeting, state=Vote.State.OPEN).first()
        if vote is None:
            raise ValidationError(_("No vote is open."), code="no_open_vote")
        return vote


def _first_code(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        for errors in error.error_dict.values():
            for item in errors:
                if item.code:
                    return item.code
        return "invalid"
    if hasattr(error, "error_list") and error.error_list:
        return error.error_list[0].code or getattr(error, "code", None) or "invalid"
    return getattr(error, "code", None) or "invalid"


def _request_data(request: SpeakerRequest | None) -> dict:
    if request is None:
        return {"request": None}
    return {"request": request.pk, "state": request.state}


# --- actions ------------------------------------------------------------------


def staff_actions(consumer: LiveConsumer) -> dict[str, Callable[[dict], dict]]:
    """Actions of the chair's console; each runs in a worker thread."""
    user = consumer.user

    def live_start(params):
        live = live_services.live_start(actor=user, meeting=consumer.meeting())
        return {"version": live.version}

    def live_end(params):
        live_services.live_end(actor=user, meeting=consumer.meeting())
        return {}

    def item_set(params):
        meeting = consumer.meeting()
        item = AgendaItem.objects.get(pk=_int(params, "item"), meeting=meeting)
        live = live_services.live_item_set(
            actor=user, meeting=meeting, agenda_item=item
        )
        return {"item": item.pk, "version": live.version}

    def attendance_set(params):
        meeting = consumer.meeting()
        person = consumer.person(meeting, params)
        present = _bool(params, "present")
        substitute = None
        if params.get("substitute_for") is not None:
            substitute = consumer.person(meeting, params, "substitute_for")
        row = live_services.live_attendance_set(
            actor=user,
            meeting=meeting,
            person=person,
            present=present,
            substitute_for=substitute,
        )
        return {"person": person.pk, "status": row.status}

    def speaker_add(params):
        meeting = consumer.meeting()
        person = consumer.person(meeting, params)
        request = live_services.speaker_add(actor=user, meeting=meeting, person=person)
        return _request_data(request)

    def by_request(service):
        def action(params):
            request = consumer.request(consumer.meeting(), params)
            return _request_data(service(actor=user, request=request))

        return action

    def speaker_move(params):
        request = consumer.request(consumer.meeting(), params)
        position = _int(params, "position")
        result = live_services.speaker_move(
            actor=user, request=request, position=position
        )
        return _request_data(result if isinstance(result, SpeakerRequest) else request)

    def vote_open(params):
        meeting = consumer.meeting()
        item = consumer.current_item(meeting)
        vote = voting.vote_open(
            actor=user,
            agenda_item=item,
            kind=_str(params, "kind", limit=20),
            name=_str(params, "name", default=""),
            is_election=_bool(params, "is_election", default=False),
            secret_requested_by=_int(params, "secret_requested_by", required=False)
            or 0,
        )
        return {"vote": vote.pk}

    def vote_close(params):
        meeting = consumer.meeting()
        vote = voting.vote_close(actor=user, vote=consumer.open_vote(meeting))
        return {"vote": vote.pk, "result": vote.result}

    def vote_manual(params):
        meeting = consumer.meeting()
        item = consumer.current_item(meeting)
        vote = voting.vote_record_manual(
            actor=user,
            agenda_item=item,
            yes=_int(params, "yes"),
            no=_int(params, "no"),
            abstain=_int(params, "abstain"),
            reason=_str(params, "reason", limit=2000),
            name=_str(params, "name", default=""),
        )
        return {"vote": vote.pk, "result": vote.result}

    def vote_correct(params):
        meeting = consumer.meeting()
        vote = Vote.objects.get(pk=_int(params, "vote"), meeting=meeting)
        voting.vote_correct(
            actor=user,
            vote=vote,
            yes=_int(params, "yes"),
            no=_int(params, "no"),
            abstain=_int(params, "abstain"),
            reason=_str(params, "reason", limit=2000),
        )
        return {"vote": vote.pk}

    def bias_set(params):
        meeting = consumer.meeting()
        item = consumer.current_item(meeting)
        person = consumer.person(meeting, params)
        service = (
            live_services.bias_declare
            if _bool(params, "biased")
            else live_services.bias_withdraw
        )
        service(actor=user, agenda_item=item, person=person)
        return {"person": person.pk}

    return {
        "live.start": live_start,
        "live.end": live_end,
        "item.set": item_set,
        "attendance.set": attendance_set,
        "speaker.add": speaker_add,
        "speaker.call": by_request(live_services.speaker_call),
        "speaker.done": by_request(live_services.speaker_done),
        "speaker.remove": by_request(live_services.speaker_remove),
        "speaker.move": speaker_move,
        "vote.open": vote_open,
        "vote.close": vote_close,
        "vote.manual": vote_manual,
        "vote.correct": vote_correct,
        "bias.set": bias_set,
    }


def member_actions(consumer: LiveConsumer) -> dict[str, Callable[[dict], dict]]:
    """Actions of a member's tablet: only for themself."""
    user = consumer.user

    def ballot_cast(params):
        # A reference: the service reads the vote, of this meeting only.
        vote = Vote(pk=_int(params, "vote"), meeting_id=consumer.meeting_id)
        choice = _str(params, "choice", limit=20)
        client_id = _str(params, "client_id", limit=64)
        confirmation = voting.ballot_cast(
            actor=user, vote=vote, choice=choice, client_id=client_id
        )
        return {
            "vote": confirmation.vote_id,
            "receipt": str(confirmation.receipt),
            "client_id": str(confirmation.client_id),
            "choice": confirmation.choice,
        }

    def speaker_request(params):
        request = live_services.speaker_request(actor=user, meeting=consumer.meeting())
        return _request_data(request)

    def speaker_withdraw(params):
        request = live_services.speaker_withdraw(actor=user, meeting=consumer.meeting())
        return _request_data(request)

    def bias(service):
        def action(params):
            meeting = consumer.meeting()
            item = consumer.current_item(meeting)
            service(actor=user, agenda_item=item)
            return {"item": item.pk}

        return action

    return {
        "ballot.cast": ballot_cast,
        "speaker.request": speaker_request,
        "speaker.withdraw": speaker_withdraw,
        "bias.declare": bias(live_services.bias_declare),
        "bias.withdraw": bias(live_services.bias_withdraw),
    }
