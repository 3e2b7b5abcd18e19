"""Which paper state may follow which: the one table the paper workflow uses.

draft → sign_off (Mitzeichnung) → released → in_consultation → decided / noted;
sign_off goes back to draft on a refusal; every state that is not final may be
withdrawn. The services in ``documents.services`` move papers only through
:func:`move_to`.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Paper

State = Paper.State

ALLOWED: dict[str, set[str]] = {
    State.DRAFT: {State.SIGN_OFF, State.RELEASED, State.WITHDRAWN},
    State.SIGN_OFF: {State.RELEASED, State.DRAFT, State.WITHDRAWN},
    State.RELEASED: {State.IN_CONSULTATION, State.WITHDRAWN},
    State.IN_CONSULTATION: {State.DECIDED, State.NOTED, State.WITHDRAWN},
    State.DECIDED: set(),
    State.NOTED: set(),
    State.WITHDRAWN: set(),
}

#: States a paper never leaves.
FINAL = frozenset(state for state, targets in ALLOWED.items() if not targets)

#: States in which a paper may be put on an agenda.
SCHEDULABLE = frozenset({State.RELEASED, State.IN_CONSULTATION})

#: What the user can do instead, by the paper's current state.
NEXT_STEP_HINTS = {
    State.DRAFT: gettext_lazy(
        "Request sign-off from the departments involved, or release the paper."
    ),
    State.SIGN_OFF: gettext_lazy(
        "Wait until every department has signed off; a refusal sends the paper "
        "back to draft."
    ),
    State.RELEASED: gettext_lazy(
        "Put the paper on an agenda to begin its consultation, or withdraw it."
    ),
    State.IN_CONSULTATION: gettext_lazy(
        "Record the resolution of the deciding body, or withdraw the paper."
    ),
    State.DECIDED: gettext_lazy(
        "The paper is concluded; create a new paper (e.g. an amendment) instead."
    ),
    State.NOTED: gettext_lazy(
        "The paper is concluded; create a new paper (e.g. an amendment) instead."
    ),
    State.WITHDRAWN: gettext_lazy(
        "The paper was withdrawn; create a new paper instead."
    ),
}


def check_transition(paper: Paper, target: str) -> None:
    """Raise a ValidationError (code ``illegal_transition``) saying what to do."""
    if target in ALLOWED[paper.state]:
        return
    raise ValidationError(
        _("The paper is “%(current)s” and cannot become “%(target)s”. %(hint)s"),
        code="illegal_transition",
        params={
            "current": State(paper.state).label,
            "target": State(target).label,
            "hint": NEXT_STEP_HINTS[paper.state],
        },
    )


def move_to(paper: Paper, target: str) -> str:
    """Check and apply a state change; return the old state. The caller saves."""
    check_transition(paper, target)
    old = paper.state
    paper.state = target
    return old
