"""Consultation routing (Beratungsfolge): the path of a paper through the bodies.

A paper carries an ordered path of steps (``Consultation``), e.g.
Bauausschuss (vorberatend) → Haupt- und Finanzausschuss (vorberatend) → Rat
(beschließend). Staff put each step on a meeting of its organization, in the
order of the path (``consultation_schedule``). When a committee has dealt with
the paper its recommendation, with any amendment, is copied to the next step
(``consultation_record_result``); the deciding body's resolution concludes the
paper. A deferral (vertagt) or a referral back (zurückverwiesen) inserts new
steps, so the history of the old ones stays as it was.
"""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from documents.models import Paper
from documents.services import paper_conclude
from gremien.access import require_body_access
from gremien.models import Organization

from ..models import AgendaItem, Consultation, Meeting
from .agenda import agenda_item_add

Result = AgendaItem.Result
Role = Consultation.Role

#: Results after which the paper moves on along its path.
DEALT_WITH = (
    Result.RECOMMENDED,
    Result.ACCEPTED,
    Result.ACCEPTED_AMENDED,
    Result.REJECTED,
    Result.NOTED,
)
#: Results of the deciding step that conclude the paper, and the outcome.
OUTCOMES = {
    Result.ACCEPTED: "decided",
    Result.ACCEPTED_AMENDED: "decided",
    Result.REJECTED: "decided",
    Result.NOTED: "noted",
}
#: Results after which the same step has to be dealt with again.
AGAIN = (Result.DEFERRED, Result.NOT_DEALT_WITH)
#: Results that end a step's role in the path; steps with them stay as history.
SUPERSEDED = (Result.DEFERRED, Result.NOT_DEALT_WITH, Result.REFERRED_BACK)
CLOSED_PAPER_STATES = (Paper.State.DECIDED, Paper.State.NOTED, Paper.State.WITHDRAWN)
#: Results belong to the minutes: recordable until they are signed.
RESULT_STATES = (
    Meeting.State.RUNNING,
    Meeting.State.HELD,
    Meeting.State.MINUTES_DRAFTED,
)
UPCOMING_STATES = (Meeting.State.PLANNED, Meeting.State.INVITED)

Step = tuple[Sequence[Organization], str]


def _refuse(message: str, code: str, **params) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


def _lock_paper(paper: Paper) -> Paper:
    return Paper.objects.select_for_update().get(pk=paper.pk)


def _alive_steps(paper: Paper) -> list[Consultation]:
    return list(
        Consultation.objects.alive()
        .filter(paper=paper)
        .select_related("agenda_item", "meeting")
        .prefetch_related("organizations")
        .order_by("position")
    )


def _org_ids(step: Consultation) -> set[int]:
    return {organization.pk for organization in step.organizations.all()}


def _superseded(step: Consultation) -> bool:
    return step.agenda_item is not None and step.agenda_item.result in SUPERSEDED


# Path -----------------------------------------------------------------------


def _validate_steps(paper: Paper, steps: Sequence[Step]) -> None:
    for index, (organizations, role) in enumerate(steps, start=1):
        if role not in Role.values:
            raise _refuse(
                _("Step %(step)s has an unknown role “%(role)s”."),
                "invalid_role",
                step=index,
                role=role,
            )
        if not organizations:
            raise _refuse(
                _("Step %(step)s names no committee."),
                "step_without_organization",
                step=index,
            )
        for organization in organizations:
            if (
                organization.body_id != paper.body_id
                or organization.deleted_at is not None
            ):
                raise _refuse(
                    _("“%(organization)s” is not an organization of the paper's body."),
                    "organization_other_body",
                    organization=organization,
                )
            if not organization.is_deliberative:
                raise _refuse(
                    _(
                        "“%(organization)s” holds no meetings and cannot consult "
                        "a paper. Choose the council or a committee."
                    ),
                    "organization_not_deliberative",
                    organization=organization,
                )


def _validate_deciding(kept: list[Consultation], steps: Sequence[Step]) -> None:
    """At most one live deciding step, and it is the last one."""
    roles = [step.role for step in kept if not _superseded(step)]
    roles += [role for _organizations, role in steps[len(kept) :]]
    deciding = [index for index, role in enumerate(roles) if role == Role.DECIDING]
    if len(deciding) > 1 or (deciding and deciding[0] != len(roles) - 1):
        raise _refuse(
            _(
                "A consultation path has at most one deciding step, and it is the "
                "last one."
            ),
            "deciding_not_last",
        )


def _kept_steps(current: list[Consultation], steps: Sequence[Step]) -> int:
    """How many leading steps are scheduled or dealt with and must stay as they are."""
    scheduled = [index for index, step in enumerate(current) if step.meeting_id]
    kept = scheduled[-1] + 1 if scheduled else 0
    for index, step in enumerate(current[:kept]):
        if index >= len(steps) or (
            {o.pk for o in steps[index][0]} != _org_ids(step)
            or steps[index][1] != step.role
        ):
            raise _refuse(
                _(
                    "Step %(step)s is already on an agenda or dealt with and cannot "
                    "be changed. Change only the steps after it."
                ),
                "scheduled_step_changed",
                step=index + 1,
            )
    return kept


@transaction.atomic
def consultation_path_set(
    *, actor, paper: Paper, steps: Sequence[Step]
) -> list[Consultation]:
    """Set the paper's consultation path: ``steps`` lists every step, in order,
    as ``(organizations, role)``.

    Who: staff of the paper's body with ``meetings.change_consultation``;
    ``actor=None`` only for system jobs. Steps already on an agenda (and every
    step before them) must be given unchanged; the steps after them are
    replaced: existing rows are reused position by position (a recommendation
    already carried over stays), surplus rows are soft-deleted. Organizations
    must be deliberative organizations of the paper's body; at most one step
    decides (``authoritative``), the last. Refused for concluded or withdrawn
    papers. Locks the paper row. Emits ``wagtail.edit`` on the paper.
    """
    if actor is not None:
        require_body_access(actor, paper.body, "meetings.change_consultation")
    _validate_steps(paper, steps)
    paper = _lock_paper(paper)
    if paper.state in CLOSED_PAPER_STATES:
        raise _refuse(
            _("The paper is “%(state)s”; its consultation path is closed."),
            "paper_closed",
            state=Paper.State(paper.state).label,
        )
    current = _alive_steps(paper)
    kept = _kept_steps(current, steps)
    _validate_deciding(current[:kept], steps)
    now = timezone.now()
    reusable = current[kept:]
    for step in reusable[len(steps) - kept :]:
        step.deleted_at = now
        step.save(update_fields=["deleted_at", "modified"])
    result = current[:kept]
    start = current[kept - 1].position if kept else 0
    for offset, (organizations, role) in enumerate(steps[kept:], start=1):
        step = reusable.pop(0) if reusable else Consultation(paper=paper)
        step.position, step.role = start + offset, role
        step.authoritative = role == Role.DECIDING
        step.save()
        step.organizations.set(organizations)
        result.append(step)
    log(
        instance=paper,
        action="wagtail.edit",
        user=actor,
        data={
            "consultation_path": [
                {
                    "position": step.position,
                    "role": step.role,
                    "organizations": sorted(_org_ids(step)),
                }
                for step in result
            ]
        },
    )
    return result


# Scheduling -----------------------------------------------------------------


def _previous_step(consultation: Consultation) -> Consultation | None:
    return (
        Consultation.objects.alive()
        .filter(paper_id=consultation.paper_id, position__lt=consultation.position)
        .select_related("meeting")
        .order_by("-position")
        .first()
    )


def consultation_next_meetings(
    *, consultation: Consultation, limit: int = 5
) -> list[Meeting]:
    """Upcoming meetings this step can be put on, soonest first.

    Planned or invited, alive meetings of the paper's body held by one of the
    step's organizations, starting in the future and after the meeting of the
    previous step, and not already dealing with the paper. For staff screens;
    the caller has checked access to the paper.
    """
    after = timezone.now()
    previous = _previous_step(consultation)
    if previous is not None and previous.meeting is not None:
        after = max(after, previous.meeting.start)
    meetings = (
        Meeting.objects.alive()
        .filter(
            body_id=consultation.paper.body_id,
            state__in=UPCOMING_STATES,
            start__gt=after,
            organizations__in=consultation.organizations.values("pk"),
        )
        .exclude(
            pk__in=AgendaItem.objects.alive()
            .filter(consultation__paper_id=consultation.paper_id)
            .values("meeting_id")
        )
        .distinct()
        .order_by("start", "pk")
    )
    return list(meetings[:limit])


@transaction.atomic
def consultation_schedule(
    *,
    actor,
    consultation: Consultation,
    meeting: Meeting,
    position: int | None = None,
) -> AgendaItem:
    """Put a consultation step on the agenda of ``meeting``.

    Who: staff with ``meetings.change_meeting`` on the meeting's body. The
    meeting must belong to the paper's body and be held by one of the step's
    organizations (a joint meeting accepts a step of any of its committees);
    every earlier step must be on an earlier meeting. Everything else as in
    ``agenda_item_add``, which does the work (locks, numbering, addendum,
    paper → in_consultation). Emits ``wagtail.create`` on the new item.
    """
    if meeting.body_id != consultation.paper.body_id:
        if actor is not None:
            require_body_access(actor, meeting.body, "meetings.change_meeting")
        raise _refuse(
            _("The meeting belongs to another body than the paper."),
            "meeting_other_body",
        )
    return agenda_item_add(
        actor=actor, meeting=meeting, consultation=consultation, position=position
    )


# Results --------------------------------------------------------------------


def _shift_after(paper: Paper, position: int, by: int) -> None:
    """Make room for ``by`` new steps after ``position`` (two phases, as the
    position is unique per paper among live steps)."""
    steps = Consultation.objects.alive().filter(paper=paper)
    offset = (steps.aggregate(last=Max("position"))["last"] or 0) + by + 1
    steps.filter(position__gt=position).update(position=F("position") + offset)
    steps.filter(position__gt=offset).update(position=F("position") - offset + by)


def _new_step(
    paper: Paper,
    position: int,
    organizations: list,
    role: str,
    recommendation: str = "",
) -> Consultation:
    step = Consultation.objects.create(
        paper=paper,
        position=position,
        role=role,
        authoritative=role == Role.DECIDING,
        recommendation=recommendation,
    )
    step.organizations.set(organizations)
    return step


def _recommendation(
    consultation: Consultation, item: AgendaItem, meeting: Meeting
) -> str:
    """What travels to the next step: who decided what, when, and the text."""
    header = _("%(organizations)s, %(date)s: %(result)s") % {
        "organizations": ", ".join(str(o) for o in consultation.organizations.all()),
        "date": f"{timezone.localtime(meeting.start):%d.%m.%Y}",
        "result": item.get_result_display(),
    }
    text = strip_tags(item.resolution_text).strip()
    return "\n".join(part for part in (header, text) if part)


def _with_amendment(resolution_text: str, amendment: str) -> str:
    if not amendment:
        return resolution_text
    label = _("Amendment")
    return f"{resolution_text}<p>{escape(label)}: {escape(amendment)}</p>"


def _next_step(consultation: Consultation) -> Consultation | None:
    return (
        Consultation.objects.alive()
        .filter(paper_id=consultation.paper_id, position__gt=consultation.position)
        .order_by("position")
        .first()
    )


def _advance(
    *, actor, consultation: Consultation, item: AgendaItem, meeting: Meeting
) -> dict:
    """The path effects of a result; returns what happened, for the audit log."""
    paper = consultation.paper
    result = item.result
    following = _next_step(consultation)
    if result in DEALT_WITH:
        if following is not None and not consultation.authoritative:
            following.recommendation = _recommendation(consultation, item, meeting)
            following.save(update_fields=["recommendation", "modified"])
            return {"recommendation_to": following.pk}
        if result in OUTCOMES:
            paper_conclude(paper=paper, outcome=OUTCOMES[result], actor=actor)
            return {"concluded": OUTCOMES[result]}
        return {}
    organizations = list(consultation.organizations.all())
    if result in AGAIN:
        _shift_after(paper, consultation.position, 1)
        step = _new_step(
            paper,
            consultation.position + 1,
            organizations,
            consultation.role,
            consultation.recommendation,
        )
        return {"new_steps": [step.pk]}
    if result == Result.REFERRED_BACK:
        previous = _previous_step(consultation)
        new_steps = []
        if previous is not None:
            _shift_after(paper, consultation.position, 2)
            new_steps.append(
                _new_step(
                    paper,
                    consultation.position + 1,
                    list(previous.organizations.all()),
                    Role.PRELIMINARY,
                    _recommendation(consultation, item, meeting),
                )
            )
        else:
            _shift_after(paper, consultation.position, 1)
        new_steps.append(
            _new_step(
                paper,
                consultation.position + len(new_steps) + 1,
                organizations,
                consultation.role,
            )
        )
        return {"new_steps": [step.pk for step in new_steps]}
    return {}  # withdrawn: the step leaves the path as it is


def _check_result(consultation: Consultation | None, result: str) -> None:
    if result not in Result.values or result == Result.NONE:
        raise _refuse(
            _("“%(result)s” is not a result of an agenda item."),
            "invalid_result",
            result=result,
        )
    if (
        consultation is not None
        and consultation.authoritative
        and result == Result.RECOMMENDED
    ):
        raise _refuse(
            _(
                "This is the deciding step: record the resolution (accepted, "
                "rejected …), not a recommendation."
            ),
            "result_not_for_role",
        )


@transaction.atomic
def consultation_record_result(
    *,
    actor,
    agenda_item: AgendaItem,
    result: str,
    resolution_text: str = "",
    amendment: str = "",
) -> AgendaItem:
    """Record how the meeting dealt with an item, and move the paper along.

    Who: staff with ``meetings.change_agendaitem`` on the meeting's body, while
    the meeting runs or after it was held. Stores ``result`` and
    ``resolution_text`` (an ``amendment`` is appended to it). For a paper item:

    * recommended / accepted / accepted with amendments / rejected / noted on a
      step that does not decide: the recommendation goes to the next step;
    * accepted (with amendments) or rejected on the deciding step concludes the
      paper as "decided", noted as "noted" (so does the last step of a path
      without a deciding step);
    * deferred or not dealt with: a new step for the same organizations and
      role follows, to be scheduled again;
    * referred back: a preliminary step for the previous step's organizations
      follows, then the current step again;
    * withdrawn: nothing else.

    A result is recorded once; corrections go through the minutes. Locks the
    meeting and the paper rows. Emits ``wagtail.edit`` on the item.
    """
    meeting = agenda_item.meeting
    if actor is not None:
        require_body_access(actor, meeting.body, "meetings.change_agendaitem")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    item = AgendaItem.objects.get(pk=agenda_item.pk)
    consultation = Consultation.objects.filter(agenda_item=item).first()
    _check_result(consultation, result)
    if meeting.state not in RESULT_STATES:
        raise _refuse(
            _(
                "Results can be recorded only while the meeting runs or after it "
                "was held; it is “%(state)s”."
            ),
            "meeting_not_in_session",
            state=Meeting.State(meeting.state).label,
        )
    if item.deleted_at is not None:
        raise _refuse(
            _("This agenda item was removed from the agenda."), "item_deleted"
        )
    if item.result:
        raise _refuse(
            _(
                "The result of this item is already recorded (“%(result)s”). "
                "Correct it in the minutes."
            ),
            "result_already_recorded",
            result=item.get_result_display(),
        )
    if consultation is not None:
        _lock_paper(consultation.paper)
    item.result = result
    item.resolution_text = _with_amendment(resolution_text, amendment.strip())
    item.save(update_fields=["result", "resolution_text", "modified"])
    effects = (
        _advance(actor=actor, consultation=consultation, item=item, meeting=meeting)
        if consultation is not None
        else {}
    )
    log(
        instance=item,
        action="wagtail.edit",
        user=actor,
        data={"result": result, "amendment": amendment.strip(), **effects},
    )
    return item
