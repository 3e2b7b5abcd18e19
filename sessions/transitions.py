"""Which meeting state may follow which: the one table the lifecycle services use."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Meeting

State = Meeting.State

ALLOWED: dict[str, set[str]] = {
    State.PLANNED: {State.INVITED, State.CANCELLED},
    State.INVITED: {State.RUNNING, State.CANCELLED},
    State.RUNNING: {State.HELD},
    State.HELD: {State.MINUTES_DRAFTED},
    State.MINUTES_DRAFTED: {State.MINUTES_SIGNED},
    State.MINUTES_SIGNED: {State.PUBLISHED},
    State.PUBLISHED: set(),
    State.CANCELLED: set(),
}

#: States in which the date may still change or the meeting be called off.
BEFORE_RUNNING = {State.PLANNED, State.INVITED}


def check_transition(meeting: Meeting, target: str) -> None:
    """Raise a ValidationError saying why ``meeting`` cannot move to ``target``."""
    if target in ALLOWED[meeting.state]:
        return
    raise ValidationError(
        _(
            "The meeting is “%(current)s” and cannot become “%(target)s”. "
            "Possible next steps: %(allowed)s."
        )
        % {
            "current": State(meeting.state).label,
            "target": State(target).label,
            "allowed": ", ".join(
                str(State(s).label) for s in sorted(ALLOWED[meeting.state])
            )
            or _("none"),
        },
        code="illegal_transition",
    )


def move_to(meeting: Meeting, target: str) -> None:
    """Check and apply a state change; the caller saves inside its transaction."""
    check_transition(meeting, target)
    meeting.state = target
