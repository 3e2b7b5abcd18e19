"""Pages of the fraction motions (``/mitglieder/antraege/…``): the list of
the fraction's drafts and submitted motions, the form to write one, a motion
with its history and signatures, submitting and withdrawing.

Who: signed-in members of the motion's fraction today
(``motions.selectors``); anyone else gets the same 404 as for a motion that
does not exist. No page is cached outside the member's browser.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.guards import login_required
from gremien.fractions import fractions_of

from . import selectors, services
from .forms import CommentForm, MotionForm, WithdrawForm
from .models import FIELD_LABELS, Motion

NAV = "motions"


def _page(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    response = render(request, template, {"nav": NAV, **context}, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


def _motion_or_404(user, pk: int) -> Motion:
    motion = selectors.motion_for(user=user, pk=pk)
    if motion is None:
        raise Http404(
            _("This motion does not exist, or you are not a member of its fraction.")
        )
    return motion


def _refusal(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@never_cache
@login_required
def motion_list(request: HttpRequest) -> HttpResponse:
    """The drafts and submitted motions of the member's fractions."""
    motions = list(selectors.fraction_motions(user=request.user))
    fractions = list(fractions_of(request.user))
    return _page(
        request,
        "motions/list.html",
        {
            "title": _("Motions of my fraction"),
            "fractions": fractions,
            "show_fraction": len(fractions) > 1,
            "drafts": [m for m in motions if m.is_draft],
            "others": [m for m in motions if not m.is_draft],
        },
    )


@never_cache
@login_required
def motion_create(request: HttpRequest) -> HttpResponse:
    """Start a draft for one of the member's fractions."""
    fractions = list(fractions_of(request.user))
    if not fractions:
        return _page(
            request,
            "motions/no_fraction.html",
            {"title": _("New motion")},
            status=403,
        )
    form = MotionForm(
        request.POST or None,
        fractions=fractions,
        organizations=selectors.addressable_organizations(fractions=fractions),
        editing=False,
    )
    if request.method == "POST" and form.is_valid():
        fraction = form.cleaned_data.get("fraction") or fractions[0]
        try:
            motion = services.motion_create(
                actor=request.user, fraction=fraction, **form.text()
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(
                request,
                _(
                    "The draft is saved. Your colleagues in %(fraction)s can now "
                    "read, change and sign it."
                )
                % {"fraction": fraction.name},
            )
            return redirect("motions_detail", motion.pk)
    return _page(
        request,
        "motions/form.html",
        {
            "title": _("New motion"),
            "form": form,
            "fractions": fractions,
        },
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
def motion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a draft. A save based on an older revision is merged with a
    colleague's save when they changed different fields; when both changed
    the same field nothing is saved, the form keeps the member's text and
    shows the colleague's next to it."""
    motion = _motion_or_404(request.user, pk)
    if not motion.is_draft:
        messages.info(request, _("This motion can no longer be changed."))
        return redirect("motions_detail", motion.pk)
    initial = {
        "paper_type": motion.paper_type,
        "title": motion.title,
        "addressed_to": motion.addressed_to_id,
        "proposal": motion.proposal,
        "reasoning": motion.reasoning,
        "revision": motion.revision,
    }
    form = MotionForm(
        request.POST or None,
        initial=initial,
        fractions=[motion.fraction],
        organizations=selectors.addressable_organizations(fractions=[motion.fraction]),
        editing=True,
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        base = form.cleaned_data["revision"]
        try:
            saved = services.motion_update(
                actor=request.user, motion=motion, base_revision=base, **form.text()
            )
        except services.MotionConflict as error:
            conflict = error
            form.add_refusal(error)
            form.take_over(error.merged, keep=error.fields)
            form.set_revision(error.current.revision)
        except ValidationError as error:
            form.add_refusal(error)
        else:
            _saved_message(request, saved, base)
            return redirect("motions_detail", saved.pk)
    return _page(
        request,
        "motions/form.html",
        {
            "title": _("Edit: %(title)s") % {"title": motion.title},
            "motion": motion,
            "form": form,
            "conflict": conflict,
            "conflict_fields": [FIELD_LABELS[name] for name in conflict.fields]
            if conflict
            else [],
        },
        status=409 if conflict else 400 if form.errors else 200,
    )


def _saved_message(request, saved: Motion, base: int) -> None:
    if saved.revision == base:
        messages.info(request, _("You did not change anything; nothing was saved."))
    elif saved.revision == base + 1:
        messages.success(
            request, _("Saved as version %(revision)s.") % {"revision": saved.revision}
        )
    else:
        messages.success(
            request,
            _(
                "Saved as version %(revision)s. A colleague had changed other "
                "parts in the meantime; both changes are kept. Please read the "
                "whole text again."
            )
            % {"revision": saved.revision},
        )


@never_cache
@login_required
def motion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The motion's text, its signatures (with the button to sign), the
    history of versions and the colleagues' comments."""
    motion = _motion_or_404(request.user, pk)
    return _detail(request, motion, CommentForm())


def _detail(request, motion: Motion, comment_form, status: int = 200):
    page = selectors.motion_page(user=request.user, motion=motion)
    return _page(
        request,
        "motions/detail.html",
        {
            "title": motion.title,
            "motion": motion,
            "page": page,
            "comment_form": comment_form,
            "problems": _problems(motion) if motion.is_draft else [],
            "may_withdraw": motion.state == Motion.State.DRAFT
            or (
                motion.state == Motion.State.SUBMITTED
                and motion.paper.state == motion.paper.State.DRAFT
            ),
        },
        status=status,
    )


def _problems(motion: Motion) -> list[str]:
    return [
        message
        for problem in services.submission_problems(motion)
        for message in problem.messages
    ]


def _posted_revision(request) -> int:
    try:
        return int(request.POST.get("revision", ""))
    except ValueError:
        return -1


@never_cache
@login_required
@require_POST
def motion_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign the text the member read (``revision``), or take the signature
    back (``action=unsign``)."""
    motion = _motion_or_404(request.user, pk)
    try:
        if request.POST.get("action") == "unsign":
            services.motion_unsign(actor=request.user, motion=motion)
            messages.success(request, _("Your signature has been taken back."))
        else:
            signature = services.motion_sign(
                actor=request.user, motion=motion, revision=_posted_revision(request)
            )
            messages.success(
                request,
                _("You have signed version %(revision)s.")
                % {"revision": signature.revision},
            )
    except ValidationError as error:
        _refusal(request, error)
    return redirect("motions_detail", motion.pk)


@never_cache
@login_required
@require_POST
def motion_comment(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a comment for the colleagues."""
    motion = _motion_or_404(request.user, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.motion_comment(
                actor=request.user, motion=motion, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(request, _("Your comment has been added."))
            return redirect("motions_detail", motion.pk)
    return _detail(request, motion, form, status=400)


@never_cache
@login_required
def motion_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation page (the text as it will be submitted, the
    signers, what is still missing) and the submission."""
    motion = _motion_or_404(request.user, pk)
    if not motion.is_draft:
        messages.info(request, _("This motion is no longer a draft."))
        return redirect("motions_detail", motion.pk)
    errors: list[str] = []
    if request.method == "POST":
        try:
            motion = services.motion_submit(
                actor=request.user, motion=motion, revision=_posted_revision(request)
            )
        except ValidationError as error:
            errors = error.messages
            motion = _motion_or_404(request.user, pk)
        else:
            messages.success(
                request,
                _(
                    "Submitted. The council office has received it as "
                    "%(reference)s and will check and release it."
                )
                % {"reference": motion.paper.reference},
            )
            return redirect("motions_detail", motion.pk)
    return _page(
        request,
        "motions/submit.html",
        {
            "title": _("Submit: %(title)s") % {"title": motion.title},
            "motion": motion,
            "signatures": services.current_signatures(motion),
            "errors": errors,
            "problems": _problems(motion),
        },
        status=400 if errors else 200,
    )


@never_cache
@login_required
def motion_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Discard a draft, or withdraw a submitted motion before its release."""
    motion = _motion_or_404(request.user, pk)
    if motion.state == Motion.State.WITHDRAWN:
        messages.info(request, _("This motion has already been withdrawn."))
        return redirect("motions_detail", motion.pk)
    submitted = motion.state == Motion.State.SUBMITTED
    form = WithdrawForm(request.POST or None, submitted=submitted)
    if request.method == "POST" and form.is_valid():
        try:
            services.motion_withdraw(
                actor=request.user, motion=motion, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_refusal(error)
        else:
            messages.success(
                request,
                _("The motion has been withdrawn; the council office is informed.")
                if submitted
                else _("The draft has been discarded."),
            )
            return redirect("motions_detail", motion.pk)
    return _page(
        request,
        "motions/withdraw.html",
        {
            "title": _("Withdraw: %(title)s") % {"title": motion.title},
            "motion": motion,
            "form": form,
            "submitted": submitted,
        },
        status=400 if form.errors else 200,
    )
