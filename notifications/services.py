"""State changes of the notifications app.

Two kinds of caller:

- the signed-in member, for themselves only (views pass ``request.user`` as
  ``actor``): :func:`preferences_update`, :func:`notification_open`,
  :func:`notifications_mark_all_read`;
- the system, after a committed event (``notifications.tasks``, no actor):
  :func:`notify_notice`, :func:`notify_minutes`, :func:`notify_files`. They
  create one notification per entitled member with a login
  (:mod:`notifications.audience`) and event, in the portal and/or for the
  member's e-mail as each chose, and queue the e-mails on commit. Running one
  twice notifies nobody twice (``Notification.key``).
"""

from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.models import File
from sessions.member_files import meeting_files
from sessions.models import AgendaItem, Consultation, Dispatch, Meeting

from . import content as contents
from .audience import Recipient, notice_recipients, seat_recipients
from .models import Notification, NotificationPreference
from .selectors import preferences, preferences_of_users
from .topics import KIND_OF_DISPATCH, RULES, TOPIC_OF_KIND, Choice, Kind

#: Meeting states in which new documents are announced: after the
#: invitation, until the meeting ends. Before the invitation the agenda and
#: its documents are the Sitzungsdienst's work in progress; afterwards new
#: documents are for the minutes.
FILE_NOTICE_STATES = (Meeting.State.INVITED, Meeting.State.RUNNING)

Status = Notification.EmailStatus


def _require_user(actor) -> None:
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied(_("Please sign in."))


# --- the member's own changes ---------------------------------------------------


@transaction.atomic
def preferences_update(*, actor, choices: Mapping[str, Choice]) -> dict[str, Choice]:
    """Save ``actor``'s channels per topic (topics not given keep theirs).

    Who: the signed-in user, for themselves. The e-mail of the formal
    notices is not theirs to choose (``TopicRule.formal_email``) and stays
    on. Refuses an unknown topic (``unknown_topic``). Locks nothing (one row
    per user and topic, written with ``update_or_create``); emits nothing.
    """
    _require_user(actor)
    for topic, choice in choices.items():
        rule = RULES.get(topic)
        if rule is None:
            raise ValidationError(
                _("There is no notification “%(topic)s”.") % {"topic": topic},
                code="unknown_topic",
            )
        NotificationPreference.objects.update_or_create(
            user=actor,
            topic=topic,
            defaults={
                "in_app": bool(choice.in_app),
                "email": True if rule.formal_email else bool(choice.email),
            },
        )
    return preferences(user=actor)


@transaction.atomic
def notification_open(*, actor, notification: Notification) -> Notification:
    """Mark ``notification`` read (the first time it is opened).

    Who: the user it belongs to; anyone else gets ``PermissionDenied`` (the
    view answers 404 before that). Emits nothing.
    """
    _require_user(actor)
    if notification.user_id != actor.pk:
        raise PermissionDenied(_("This notification is not yours."))
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=now
        )
        notification.read_at = now
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor) -> int:
    """Mark every unread notification of ``actor`` read; return how many.

    Who: the signed-in user, for themselves. Emits nothing."""
    _require_user(actor)
    return Notification.objects.filter(user=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- notifications of events (system) ------------------------------------------


def _email_status(choice: Choice, formal_email: bool, address: str) -> str:
    if formal_email or not choice.email:
        return Status.NONE
    return Status.QUEUED if address else Status.NO_ADDRESS


def _create(
    *,
    kind: str,
    meeting: Meeting,
    key: str,
    recipients: list[Recipient],
    content_for,
    dispatch: Dispatch | None = None,
) -> list[Notification]:
    """One notification per recipient who wants it on some channel; the
    e-mails are queued on commit. Members notified of ``key`` already are
    left out."""
    rule = RULES[TOPIC_OF_KIND[kind]]
    done = set(Notification.objects.filter(key=key).values_list("user_id", flat=True))
    choices = preferences_of_users([r.user.pk for r in recipients])
    rows = []
    for recipient in recipients:
        if recipient.user.pk in done:
            continue
        choice = choices[recipient.user.pk][rule.topic]
        email_status = _email_status(choice, rule.formal_email, recipient.email)
        if not choice.in_app and email_status == Status.NONE:
            continue
        content = content_for(recipient)
        rows.append(
            Notification(
                user=recipient.user,
                kind=kind,
                meeting=meeting,
                dispatch=dispatch,
                key=key,
                title=content.title[:500],
                text=content.text,
                url=content.url,
                in_app=choice.in_app,
                email_status=email_status,
                email_address=recipient.email if email_status != Status.NONE else "",
            )
        )
    # A concurrent run of the same event may have written some rows since.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    if any(row.email_status == Status.QUEUED for row in rows):
        from .tasks import notification_mails_send

        transaction.on_commit(lambda: notification_mails_send.enqueue(key))
    return rows


@transaction.atomic
def notify_notice(*, dispatch_id: int) -> list[Notification]:
    """Notify the recipients of a formal notice (invitation, addendum,
    rescheduling, cancellation) who have a login, in the portal as each
    chose. Never by e-mail: the Sitzungsdienst's e-mail is the notice
    (``sessions.tasks.dispatch_send``, logged in ``Delivery``).

    Who: the system, after ``sessions.hooks.NOTICE_SENT``. Locks nothing.
    """
    dispatch = (
        Dispatch.objects.select_related("meeting__location")
        .filter(pk=dispatch_id, meeting__deleted_at__isnull=True)
        .first()
    )
    if dispatch is None or dispatch.kind not in KIND_OF_DISPATCH:
        return []
    addresses = dict(dispatch.deliveries.values_list("person_id", "email"))
    kind = KIND_OF_DISPATCH[dispatch.kind]
    return _create(
        kind=kind,
        meeting=dispatch.meeting,
        key=f"dispatch:{dispatch.pk}",
        recipients=notice_recipients(dispatch),
        content_for=lambda r: contents.notice_content(
            dispatch, kind, delivery_email=addresses.get(r.person.pk, "")
        ),
        dispatch=dispatch,
    )


@transaction.atomic
def notify_minutes(*, meeting_id: int) -> list[Notification]:
    """Notify the members of the meeting's organizations (on its day) who
    have a login that its minutes are published, in the portal and by
    e-mail as each chose.

    Who: the system, after ``sessions.hooks.MINUTES_PUBLISHED``. Locks
    nothing; queues the e-mails on commit (queue ``mail``).
    """
    meeting = (
        Meeting.objects.alive()
        .select_related("location")
        .filter(pk=meeting_id, minutes__published_at__isnull=False)
        .first()
    )
    if meeting is None:
        return []
    content = contents.minutes_content(meeting)
    return _create(
        kind=Kind.MINUTES,
        meeting=meeting,
        key=f"minutes:{meeting.pk}",
        recipients=seat_recipients(meeting),
        content_for=lambda r: content,
    )


def _meetings_of_files(file_ids: Iterable[int]) -> set[int]:
    """Meetings a file may belong to: attached to the meeting, to one of its
    items, or to a paper on its agenda (``meeting_files`` decides)."""
    files = File.objects.filter(pk__in=file_ids)
    meetings = {pk for pk in files.values_list("meeting_id", flat=True) if pk}
    meetings |= set(
        AgendaItem.objects.filter(
            pk__in=files.exclude(agenda_item=None).values("agenda_item_id")
        ).values_list("meeting_id", flat=True)
    )
    meetings |= set(
        Consultation.objects.alive()
        .filter(
            paper_id__in=files.exclude(paper=None).values("paper_id"),
            agenda_item__isnull=False,
        )
        .values_list("agenda_item__meeting_id", flat=True)
    )
    return meetings


@transaction.atomic
def notify_files(*, file_ids: list[int]) -> list[Notification]:
    """Notify the members of each meeting the new files belong to, once per
    meeting and batch, if the invitation has gone out and the meeting has
    not ended (:data:`FILE_NOTICE_STATES`). Files added before the
    invitation were part of it and are left out.

    Who: the system, after files were attached (``file_attach``). Locks
    nothing; queues the e-mails on commit.
    """
    created: list[Notification] = []
    meetings = (
        Meeting.objects.alive()
        .select_related("location")
        .filter(
            pk__in=_meetings_of_files(file_ids),
            state__in=FILE_NOTICE_STATES,
            invitation_sent_at__isnull=False,
        )
        .order_by("start", "pk")
    )
    for meeting in meetings:
        files = list(
            meeting_files(meeting)
            .filter(pk__in=file_ids, created__gt=meeting.invitation_sent_at)
            .distinct()
            .order_by("pk")
        )
        if not files:
            continue
        content = contents.files_content(
            meeting, [f.name or f.file_name for f in files]
        )
        # Files are announced once, so the newest one names the batch.
        created += _create(
            kind=Kind.DOCUMENTS,
            meeting=meeting,
            key=f"files:{meeting.pk}:{files[-1].pk}",
            recipients=seat_recipients(meeting),
            content_for=lambda r, content=content: content,
        )
    return created
