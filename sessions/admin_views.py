"""Purpose-built admin screens of the Sitzungsdienst (beyond the model forms)."""

from django import forms
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages

from documents.models import Paper
from documents.services import (
    paper_release,
    paper_request_sign_off,
    paper_sign_off,
    paper_withdraw,
)
from gremien.admin_scoping import ActionScreen
from gremien.models import Membership, Organization, Person

from .extracts import resolution_extract
from .models import AgendaItem, Attendance, Consultation, Delivery, Meeting, Minutes
from .selectors import schedulable_consultations
from .services import agenda as agenda_services
from .services.consultations import (
    consultation_next_meetings,
    consultation_path_set,
    consultation_record_result,
    consultation_schedule,
)
from .services.invitations import meeting_invite, meeting_send_addendum
from .services.lifecycle import (
    meeting_cancel,
    meeting_end,
    meeting_reschedule,
    meeting_start,
)
from .services.minutes import (
    attendance_prefill,
    attendance_record,
    item_minutes_update,
    item_vote_outcome,
    minutes_correct,
    minutes_mark_drafted,
    minutes_open,
    minutes_publish,
    minutes_sign,
    present_at_item,
)


class FreeItemForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Title"), max_length=500)
    public = forms.BooleanField(
        label=gettext_lazy("public"), required=False, initial=True
    )


class PaperItemForm(forms.Form):
    consultation = forms.ModelChoiceField(
        label=gettext_lazy("Paper"),
        queryset=Consultation.objects.none(),
        help_text=gettext_lazy(
            "Released papers whose consultation path has an open step for one of "
            "this meeting's organizations."
        ),
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["consultation"]
        field.queryset = schedulable_consultations(meeting)
        field.label_from_instance = lambda c: (
            f"{c.paper.reference} {c.paper.name} ({c.get_role_display()})"
        )


class MeetingScreen(ActionScreen):
    model = Meeting
    permission = "meetings.change_meeting"
    index_url_name = "meetings:index"
    edit_url_name = "meetings:edit"

    @property
    def meeting(self) -> Meeting:
        return self.object


class AgendaBuilderView(MeetingScreen):
    """Build a meeting's agenda: add, move, remove items; standard items.

    Every change goes through ``sessions.services.agenda``; this view only
    turns button presses into service calls and refusals into messages.
    """

    template_name = "sessions/admin/agenda_builder.html"
    header_icon = "list-ol"
    url_name = "meetings_agenda_builder"
    breadcrumb_label = gettext_lazy("Agenda")

    def get_page_title(self) -> str:
        return _("Agenda: %(meeting)s") % {"meeting": self.meeting}

    def items(self):
        return (
            self.meeting.agenda_items.alive()
            .select_related("consultation__paper")
            .order_by("order")
        )

    def rows(self) -> list[dict]:
        """Items in order, each with its place among its siblings (same part
        and parent), which is what moving up and down works on."""
        items = list(self.items())
        rows = []
        for item in items:
            siblings = [
                other
                for other in items
                if other.parent_id == item.parent_id and other.public == item.public
            ]
            index = siblings.index(item)
            rows.append(
                {
                    "item": item,
                    "position": index + 1,
                    "first": index == 0,
                    "last": index == len(siblings) - 1,
                }
            )
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            meeting=self.meeting,
            rows=self.rows(),
            free_form=kwargs.get("free_form") or FreeItemForm(),
            paper_form=kwargs.get("paper_form") or PaperItemForm(meeting=self.meeting),
            editable=self.meeting.state in agenda_services.EDITABLE_STATES,
        )
        return context

    def _item(self, request) -> AgendaItem:
        return get_object_or_404(self.items(), pk=request.POST.get("item"))

    def do_add_free(self, request):
        form = FreeItemForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(free_form=form))
        agenda_services.agenda_item_add(
            actor=request.user,
            meeting=self.meeting,
            name=form.cleaned_data["name"],
            public=form.cleaned_data["public"],
        )
        messages.success(request, _("Item added."))
        return None

    def do_add_paper(self, request):
        form = PaperItemForm(request.POST, meeting=self.meeting)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(paper_form=form))
        consultation = form.cleaned_data["consultation"]
        agenda_services.agenda_item_add(
            actor=request.user,
            meeting=self.meeting,
            name=consultation.paper.name,
            public=consultation.paper.public,
            consultation=consultation,
        )
        messages.success(request, _("Paper put on the agenda."))
        return None

    def do_standard(self, request):
        agenda_services.agenda_apply_standard_items(
            actor=request.user, meeting=self.meeting
        )
        messages.success(request, _("Standard items added."))
        return None

    def _move(self, request, delta: int):
        position = int(request.POST.get("position", "0")) + delta
        agenda_services.agenda_item_move(
            actor=request.user, item=self._item(request), position=position
        )

    def do_up(self, request):
        self._move(request, -1)

    def do_down(self, request):
        self._move(request, +1)

    def do_toggle_public(self, request):
        item = self._item(request)
        agenda_services.agenda_item_update(
            actor=request.user, item=item, public=not item.public
        )

    def do_remove(self, request):
        agenda_services.agenda_item_remove(
            actor=request.user,
            item=self._item(request),
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, _("Item removed."))


class RescheduleForm(forms.Form):
    start = forms.DateTimeField(
        label=gettext_lazy("New start"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), required=False)
    urgent_reason = forms.CharField(
        label=gettext_lazy("Reason for urgency"),
        required=False,
        help_text=gettext_lazy("Only needed if the invitation deadline is missed."),
    )


class MeetingStatusView(MeetingScreen):
    """Invite, send an addendum, reschedule, cancel, open and close a meeting,
    and see what happened to every invitation sent (delivery log)."""

    template_name = "sessions/admin/meeting_status.html"
    header_icon = "calendar"
    url_name = "meetings_status"
    breadcrumb_label = gettext_lazy("Invitation and status")

    def get_page_title(self) -> str:
        return _("Status: %(meeting)s") % {"meeting": self.meeting}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        dispatches = self.meeting.dispatches.prefetch_related(
            Prefetch("deliveries", queryset=Delivery.objects.select_related("person"))
        ).order_by("-sent_at")
        context.update(
            meeting=self.meeting,
            dispatches=dispatches,
            reschedule_form=kwargs.get("reschedule_form") or RescheduleForm(),
            State=Meeting.State,
        )
        return context

    def do_invite(self, request):
        meeting_invite(
            actor=request.user,
            meeting=self.meeting,
            urgent_reason=request.POST.get("urgent_reason", ""),
        )
        messages.success(request, _("The invitation is being sent."))

    def do_addendum(self, request):
        meeting_send_addendum(actor=request.user, meeting=self.meeting)
        messages.success(request, _("The addendum is being sent."))

    def do_reschedule(self, request):
        form = RescheduleForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(reschedule_form=form))
        meeting_reschedule(
            actor=request.user,
            meeting=self.meeting,
            start=form.cleaned_data["start"],
            reason=form.cleaned_data["reason"],
            urgent_reason=form.cleaned_data["urgent_reason"],
        )
        messages.success(request, _("The meeting has been rescheduled."))
        return None

    def do_cancel(self, request):
        meeting_cancel(
            actor=request.user,
            meeting=self.meeting,
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, _("The meeting has been cancelled."))

    def do_start(self, request):
        meeting_start(actor=request.user, meeting=self.meeting)
        messages.success(request, _("The meeting is open."))

    def do_end(self, request):
        meeting_end(actor=request.user, meeting=self.meeting)
        messages.success(request, _("The meeting is closed."))


class PaperWorkflowView(ActionScreen):
    """A paper's way through the administration and the committees: sign-off
    (Mitzeichnung), release, withdrawal, and its consultation path with
    scheduling on the next suitable meetings."""

    model = Paper
    permission = "documents.change_paper"
    url_name = "papers_workflow"
    index_url_name = "papers:index"
    edit_url_name = "papers:edit"
    breadcrumb_label = gettext_lazy("Workflow and consultation path")
    template_name = "sessions/admin/paper_workflow.html"
    header_icon = "resubmit"

    @property
    def paper(self) -> Paper:
        return self.object

    def get_page_title(self) -> str:
        return _("Workflow: %(paper)s") % {"paper": self.paper}

    def steps(self) -> list[Consultation]:
        return list(
            self.paper.consultations.alive()
            .select_related("meeting", "agenda_item")
            .prefetch_related("organizations")
            .order_by("position")
        )

    def organizations(self, kinds) -> list[Organization]:
        return list(
            Organization.objects.alive()
            .filter(body=self.paper.body, kind__in=kinds, end_date__isnull=True)
            .order_by("name")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        steps = self.steps()
        context.update(
            paper=self.paper,
            State=Paper.State,
            sign_offs=self.paper.sign_offs.select_related(
                "organization", "decided_by"
            ).order_by("-round", "organization__name"),
            departments=self.organizations([Organization.Kind.DEPARTMENT]),
            committees=self.organizations(Organization.DELIBERATIVE_KINDS),
            roles=Consultation.Role.choices,
            steps=[
                {
                    "step": step,
                    "meetings": []
                    if step.meeting_id
                    else consultation_next_meetings(consultation=step),
                }
                for step in steps
            ],
        )
        return context

    def _ids(self, request, name: str) -> list[int]:
        return [int(value) for value in request.POST.getlist(name) if value.isdigit()]

    def do_request_sign_off(self, request):
        departments = Organization.objects.filter(
            pk__in=self._ids(request, "departments")
        )
        paper_request_sign_off(
            actor=request.user, paper=self.paper, departments=list(departments)
        )
        messages.success(request, _("Sign-off requested."))

    def _decide(self, request, approve: bool):
        sign_off = get_object_or_404(
            self.paper.sign_offs, pk=request.POST.get("sign_off")
        )
        paper_sign_off(
            actor=request.user,
            sign_off=sign_off,
            approve=approve,
            comment=request.POST.get("comment", ""),
        )

    def do_approve(self, request):
        self._decide(request, approve=True)
        messages.success(request, _("Signed off."))

    def do_refuse(self, request):
        self._decide(request, approve=False)
        messages.warning(request, _("Sign-off refused; the paper is back in draft."))

    def do_release(self, request):
        paper_release(actor=request.user, paper=self.paper)
        messages.success(request, _("The paper is released."))

    def do_withdraw(self, request):
        paper_withdraw(
            actor=request.user,
            paper=self.paper,
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, _("The paper has been withdrawn."))

    def _path(self) -> list:
        return [(list(s.organizations.all()), s.role) for s in self.steps()]

    def do_add_step(self, request):
        organizations = list(
            Organization.objects.filter(pk__in=self._ids(request, "organizations"))
        )
        steps = [*self._path(), (organizations, request.POST.get("role", ""))]
        consultation_path_set(actor=request.user, paper=self.paper, steps=steps)
        messages.success(request, _("Step added to the consultation path."))

    def do_remove_last_step(self, request):
        consultation_path_set(
            actor=request.user, paper=self.paper, steps=self._path()[:-1]
        )
        messages.success(request, _("Last step removed."))

    def do_schedule(self, request):
        step = get_object_or_404(
            self.paper.consultations.alive(), pk=request.POST.get("step")
        )
        meeting = get_object_or_404(
            Meeting.objects.alive(), pk=request.POST.get("meeting")
        )
        consultation_schedule(actor=request.user, consultation=step, meeting=meeting)
        messages.success(
            request,
            _("The paper is on the agenda of %(meeting)s.") % {"meeting": meeting},
        )


def paragraphs(text: str) -> str:
    """Plain text typed into a text area as rich-text paragraphs."""
    return "".join(
        format_html("<p>{}</p>", block.strip())
        for block in text.replace("\r\n", "\n").split("\n\n")
        if block.strip()
    )


def count(value: str) -> int | None:
    return int(value) if value.strip().isdigit() else None


class MinutesEditorView(MeetingScreen):
    """The clerk's screen for the minutes: attendance, each item's record and
    result, then drafting, the two signatures and publication."""

    template_name = "sessions/admin/minutes_editor.html"
    header_icon = "doc-full"
    url_name = "meetings_minutes"
    breadcrumb_label = gettext_lazy("Minutes")

    def get_page_title(self) -> str:
        return _("Minutes: %(meeting)s") % {"meeting": self.meeting}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        minutes = Minutes.objects.filter(meeting=self.meeting).first()
        items = (
            self.meeting.agenda_items.alive()
            .select_related("consultation__paper", "item_minutes")
            .order_by("order")
        )
        context.update(
            meeting=self.meeting,
            minutes=minutes,
            State=Meeting.State,
            attendances=self.meeting.attendances.select_related("person").order_by(
                "person__family_name", "person__given_name"
            ),
            statuses=Attendance.Status.choices,
            results=[c for c in AgendaItem.Result.choices if c[0]],
            items=[self._item_row(item) for item in items],
            agenda=items,
            deputies=Membership.objects.alive()
            .filter(
                organization__in=self.meeting.organizations.all(),
                kind=Membership.Kind.DEPUTY,
            )
            .select_related("person", "deputy_of__person")
            .order_by("person__family_name"),
            people=Person.objects.alive()
            .filter(body=self.meeting.body)
            .order_by("family_name", "given_name"),
            editable=minutes is not None
            and not (minutes.chair_signed_at or minutes.clerk_signed_at),
        )
        return context

    def _item_row(self, item: AgendaItem) -> dict:
        record = getattr(item, "item_minutes", None)
        votes = {
            str(e["person"]): e["vote"] for e in (record.roll_call if record else [])
        }
        biased = set(record.biased.values_list("pk", flat=True)) if record else set()
        return {
            "item": item,
            "record": record,
            "outcome": item_vote_outcome(record) if record else None,
            "present": [
                {
                    "person": p,
                    "vote": votes.get(str(p.pk), ""),
                    "biased": p.pk in biased,
                }
                for p in present_at_item(item).values()
            ],
        }

    def _person(self, request, name: str) -> Person | None:
        pk = request.POST.get(name, "")
        return (
            Person.objects.filter(body=self.meeting.body, pk=pk).first() if pk else None
        )

    def do_officers(self, request):
        minutes_open(
            actor=request.user,
            meeting=self.meeting,
            chair=self._person(request, "chair"),
            clerk=self._person(request, "clerk"),
        )
        messages.success(request, _("Chair and clerk saved."))

    def do_open(self, request):
        minutes_open(actor=request.user, meeting=self.meeting)
        attendance_prefill(actor=request.user, meeting=self.meeting)
        messages.success(request, _("Minutes started; tick who is present."))

    def do_attendance(self, request):
        attendance = get_object_or_404(
            self.meeting.attendances, pk=request.POST.get("attendance")
        )
        items = self.meeting.agenda_items.alive()
        arrived = request.POST.get("arrived_before", "")
        left = request.POST.get("left_after", "")
        attendance_record(
            actor=request.user,
            meeting=self.meeting,
            person=attendance.person,
            status=request.POST.get("status", ""),
            capacity=attendance.capacity,
            membership=attendance.membership,
            arrived_before=items.filter(pk=arrived).first() if arrived else None,
            left_after=items.filter(pk=left).first() if left else None,
        )

    def do_deputy(self, request):
        seat = get_object_or_404(
            Membership.objects.filter(
                organization__in=self.meeting.organizations.all(),
                kind=Membership.Kind.DEPUTY,
            ),
            pk=request.POST.get("deputy"),
        )
        attendance_record(
            actor=request.user,
            meeting=self.meeting,
            person=seat.person,
            status=Attendance.Status.PRESENT,
            capacity=Attendance.Capacity.DEPUTY,
            membership=seat,
            substitute_for=self._person(request, "substitute_for"),
        )
        messages.success(request, _("%(person)s stands in.") % {"person": seat.person})

    def do_item(self, request):
        item = get_object_or_404(
            self.meeting.agenda_items.alive(), pk=request.POST.get("item")
        )
        data = request.POST
        result = data.get("result", "")
        if result and item.result != result and hasattr(item, "consultation"):
            consultation_record_result(
                actor=request.user,
                agenda_item=item,
                result=result,
                resolution_text=paragraphs(data.get("resolution_text", "")),
            )
        present = present_at_item(item)
        roll_call = [
            {"person": pk, "vote": data[f"vote-{pk}"]}
            for pk in present
            if data.get(f"vote-{pk}") in {"yes", "no", "abstain"}
        ]
        biased = [pk for pk in present if data.get(f"biased-{pk}") == "on"]
        item_minutes_update(
            actor=request.user,
            agenda_item=item,
            roll_call=roll_call,
            biased=biased,
            discussion=paragraphs(data.get("discussion", "")),
            resolution_text=paragraphs(data.get("resolution_text", "")),
            votes_yes=count(data.get("votes_yes", "")),
            votes_no=count(data.get("votes_no", "")),
            votes_abstain=count(data.get("votes_abstain", "")),
            unanimous=data.get("unanimous") == "on",
            done=data.get("done") == "on",
        )
        messages.success(request, _("%(item)s saved.") % {"item": item.number})

    def do_drafted(self, request):
        minutes_mark_drafted(actor=request.user, meeting=self.meeting)
        messages.success(request, _("The minutes are drafted and can be signed."))

    def do_sign(self, request):
        minutes_sign(
            actor=request.user,
            meeting=self.meeting,
            as_role=request.POST.get("as_role", ""),
        )
        messages.success(request, _("Signed."))

    def do_publish(self, request):
        minutes_publish(actor=request.user, meeting=self.meeting)
        messages.success(request, _("The minutes are published."))

    def do_correct(self, request):
        item = get_object_or_404(
            self.meeting.agenda_items.alive(), pk=request.POST.get("item")
        )
        minutes_correct(
            actor=request.user,
            meeting=self.meeting,
            agenda_item=item,
            field=request.POST.get("field", ""),
            new_value=paragraphs(request.POST.get("new_value", "")),
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, _("The correction is recorded."))

    def do_extract(self, request):
        item = get_object_or_404(
            self.meeting.agenda_items.alive(), pk=request.POST.get("item")
        )
        response = HttpResponse(
            resolution_extract(item), content_type="text/plain; charset=utf-8"
        )
        name = f"Beschlussauszug_{item.number}".replace(" ", "_")
        response["Content-Disposition"] = f'attachment; filename="{name}.txt"'
        return response
