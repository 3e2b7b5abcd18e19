"""Admin for meetings, agenda items and consultations (Beratungsfolge)."""

from django import forms
from django.urls import include, path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, RelatedObjectsColumn
from wagtail.admin.viewsets.model import ModelViewSetGroup

from documents.models import Paper
from gremien.admin_panels import AssignedFieldPanel
from gremien.admin_scoping import (
    BodyScopedAdminForm,
    BodyScopedFilterSet,
    BodyScopedPermissionPolicy,
    BodyScopedViewSet,
    ScopedIndexView,
    ServiceCreateView,
    scoped_model_filter,
    year_filter,
)
from gremien.models import Body, Organization

from .admin_views import (
    AgendaBuilderView,
    MeetingStatusView,
    MinutesEditorView,
    PaperWorkflowView,
)
from .models import AgendaItem, Consultation, Meeting
from .services.lifecycle import meeting_create

AGENDA_ITEMS = "agenda-items"

# --- Meeting -----------------------------------------------------------------


class MeetingIndexView(ScopedIndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.append(
            MenuItem(
                _("Agenda"),
                url=reverse("meetings_agenda_builder", args=[instance.pk]),
                icon_name="list-ol",
                priority=15,
            )
        )
        buttons.append(
            MenuItem(
                _("Invitation and status"),
                url=reverse("meetings_status", args=[instance.pk]),
                icon_name="mail",
                priority=16,
            )
        )
        if instance.state in (Meeting.State.INVITED, Meeting.State.RUNNING):
            buttons.append(
                MenuItem(
                    _("Live console"),
                    url=reverse("live_staff", args=[instance.pk]),
                    icon_name="desktop",
                    priority=18,
                )
            )
        buttons.append(
            MenuItem(
                _("Minutes"),
                url=reverse("meetings_minutes", args=[instance.pk]),
                icon_name="doc-full",
                priority=17,
            )
        )
        return buttons


class MeetingForm(BodyScopedAdminForm):
    """Once invitations are out, date, place and organizations change only by
    rescheduling on the status screen, which notifies the members and raises
    the calendar SEQUENCE."""

    fixed_once_invited = ("start", "end", "location", "organizations")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.state != Meeting.State.PLANNED:
            for name in self.fixed_once_invited:
                if name in self.fields:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _(
                        "Use “Reschedule” on the invitation and status screen."
                    )


class MeetingCreateView(ServiceCreateView):
    """Meetings are planned by ``meeting_create`` (organizations that hold
    meetings, a fraction's meeting never public, audit log)."""

    def create_object(self, form) -> Meeting:
        data = form.cleaned_data
        return meeting_create(
            actor=self.request.user,
            body=data["body"],
            organizations=list(data["organizations"]),
            name=data["name"],
            start=data["start"],
            end=data.get("end"),
            location=data.get("location"),
            public=data.get("public", True),
        )


class MeetingFilterSet(BodyScopedFilterSet):
    organizations = scoped_model_filter(Organization, label=_("Organization"))
    year = year_filter("start")

    class Meta:
        model = Meeting
        fields = ["body", "organizations", "state", "public", "year"]


class MeetingViewSet(BodyScopedViewSet):
    model = Meeting
    name = "meetings"
    icon = "calendar"
    menu_order = 100
    index_view_class = MeetingIndexView
    add_view_class = MeetingCreateView
    base_form_class = MeetingForm
    list_display = [
        "name",
        "start",
        RelatedObjectsColumn("organizations", label=_("Organizations")),
        "state",
        BooleanColumn("public", label=_("public")),
        "body",
    ]
    list_select_related = ("body",)
    list_prefetch_related = ("organizations",)
    filterset_class = MeetingFilterSet
    search_fields = ["name"]
    panels = [
        MultiFieldPanel(
            [
                AssignedFieldPanel("state"),
                FieldPanel("body"),
                FieldPanel("organizations", widget=forms.CheckboxSelectMultiple),
                FieldPanel(
                    "name",
                    help_text=_("e.g. 12. Sitzung des Hauptausschusses"),
                ),
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                FieldPanel("location"),
                FieldPanel("public"),
            ],
            heading=_("Meeting"),
        ),
        MultiFieldPanel(
            [FieldPanel("participants")],
            heading=_("Participants"),
            help_text=_("Guests and administration staff besides the members."),
            classname="collapsed",
        ),
        MultiFieldPanel(
            [FieldPanel("keywords"), FieldPanel("license")],
            heading=_("OParl"),
            classname="collapsed",
        ),
    ]


# --- AgendaItem --------------------------------------------------------------


class ChangedThroughScreensPolicy(BodyScopedPermissionPolicy):
    """Agenda items and consultation steps are only listed and inspected here:
    they change through the agenda builder, the paper workflow and the minutes
    screens, whose services keep numbering, paths and minutes consistent."""

    def user_has_permission(self, user, action):
        if action in {"add", "change", "delete"}:
            return False
        return super().user_has_permission(user, action)


class ChangedThroughScreensMixin:
    @cached_property
    def permission_policy(self):
        return ChangedThroughScreensPolicy(self.model)


class AgendaItemFilterSet(BodyScopedFilterSet):
    body = scoped_model_filter(Body, field_name="meeting__body", label=_("Body"))
    meeting = scoped_model_filter(Meeting, label=_("Meeting"))

    class Meta:
        model = AgendaItem
        fields = ["body", "meeting", "public", "result"]


class AgendaItemViewSet(ChangedThroughScreensMixin, BodyScopedViewSet):
    model = AgendaItem
    name = AGENDA_ITEMS
    icon = "list-ol"
    menu_order = 200
    list_display = [
        "name",
        "number",
        "order",
        "meeting",
        BooleanColumn("public", label=_("public")),
        "result",
    ]
    list_select_related = ("meeting",)
    ordering = ["-meeting__start", "order"]
    filterset_class = AgendaItemFilterSet
    search_fields = ["name", "number", "meeting__name"]
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("meeting"),
                FieldRowPanel(
                    [
                        FieldPanel("number"),
                        FieldPanel(
                            "order",
                            help_text=_("Position on the agenda: 1, 2, 3 …"),
                        ),
                    ]
                ),
                FieldPanel("name"),
                FieldPanel(
                    "public",
                    help_text=_(
                        "Non-public items (nicht öffentlicher Teil) are shown only "
                        "to entitled members."
                    ),
                ),
            ],
            heading=_("Agenda item"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("result"),
                FieldPanel("resolution_text"),
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
            ],
            heading=_("Result"),
            classname="collapsed",
        ),
    ]


# --- Consultation ------------------------------------------------------------


class ConsultationFilterSet(BodyScopedFilterSet):
    body = scoped_model_filter(Body, field_name="paper__body", label=_("Body"))
    paper = scoped_model_filter(Paper, label=_("Paper"))
    meeting = scoped_model_filter(Meeting, label=_("Meeting"))

    class Meta:
        model = Consultation
        fields = ["body", "paper", "meeting", "role", "authoritative"]


class ConsultationViewSet(ChangedThroughScreensMixin, BodyScopedViewSet):
    model = Consultation
    name = "consultations"
    icon = "resubmit"
    menu_order = 300
    list_display = [
        "paper",
        "position",
        "role",
        RelatedObjectsColumn("organizations", label=_("Organizations")),
        "meeting",
        BooleanColumn("authoritative", label=_("authoritative")),
    ]
    list_select_related = ("paper", "meeting")
    list_prefetch_related = ("organizations",)
    filterset_class = ConsultationFilterSet
    search_fields = ["paper__reference", "paper__name"]
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("paper"),
                FieldRowPanel([FieldPanel("position"), FieldPanel("role")]),
                FieldPanel("organizations", widget=forms.CheckboxSelectMultiple),
                FieldPanel("authoritative"),
            ],
            heading=_("Consultation path"),
        ),
        MultiFieldPanel(
            [FieldPanel("meeting"), FieldPanel("agenda_item")],
            heading=_("Meeting"),
            help_text=_(
                "The meeting and agenda item where the paper is dealt with; "
                "leave empty until it is scheduled."
            ),
        ),
    ]


class SessionsViewSetGroup(ModelViewSetGroup):
    menu_label = _("Meetings")
    menu_icon = "calendar"
    menu_order = 400
    items = (MeetingViewSet, AgendaItemViewSet, ConsultationViewSet)


@hooks.register("register_admin_viewset")
def register_viewset():
    return SessionsViewSetGroup()


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "meetings/<int:pk>/agenda/",
            AgendaBuilderView.as_view(),
            name="meetings_agenda_builder",
        ),
        path(
            "meetings/<int:pk>/status/",
            MeetingStatusView.as_view(),
            name="meetings_status",
        ),
        path(
            "papers/<int:pk>/workflow/",
            PaperWorkflowView.as_view(),
            name="papers_workflow",
        ),
        path(
            "meetings/<int:pk>/minutes/",
            MinutesEditorView.as_view(),
            name="meetings_minutes",
        ),
        path("meetings/", include("sessions.pdf.urls")),
        path("meetings/", include("sessions.packs.urls")),
    ]
