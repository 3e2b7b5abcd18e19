"""Admin for papers (Vorlagen) and files (Anlagen)."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.viewsets.model import ModelViewSetGroup

from gremien.admin_panels import AssignedFieldPanel
from gremien.admin_scoping import (
    BodyScopedAdminForm,
    BodyScopedFilterSet,
    BodyScopedViewSet,
    ScopedIndexView,
    ServiceCreateView,
    year_filter,
)

from .models import File, Paper
from .services import file_attach, paper_create

# --- Paper -------------------------------------------------------------------


class PaperCreateView(ServiceCreateView):
    """The reference number is taken by ``paper_create`` under a row lock."""

    def create_object(self, form) -> Paper:
        data = form.cleaned_data
        text_fields = ("facts", "proposal", "financial_impact", "keywords", "license")
        return paper_create(
            actor=self.request.user,
            body=data["body"],
            name=data["name"],
            date=data["date"],
            paper_type=data["paper_type"],
            public=data["public"],
            **{name: data[name] for name in text_fields if name in data},
        )


class PaperFilterSet(BodyScopedFilterSet):
    year = year_filter("date")

    class Meta:
        model = Paper
        fields = ["body", "paper_type", "state", "public", "year"]


class PaperIndexView(ScopedIndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        # The screen belongs to sessions (it also edits the consultation path);
        # it is linked by URL name so that documents does not import sessions.
        buttons.append(
            MenuItem(
                _("Workflow and consultation path"),
                url=reverse("papers_workflow", args=[instance.pk]),
                icon_name="resubmit",
                priority=15,
            )
        )
        return buttons


class PaperViewSet(BodyScopedViewSet):
    model = Paper
    index_view_class = PaperIndexView
    name = "papers"
    icon = "doc-full"
    menu_order = 100
    add_view_class = PaperCreateView
    list_display = [
        "reference",
        "name",
        "paper_type",
        "state",
        "date",
        BooleanColumn("public", label=_("public")),
        "body",
    ]
    list_select_related = ("body",)
    filterset_class = PaperFilterSet
    search_fields = ["reference", "name"]
    panels = [
        MultiFieldPanel(
            [
                AssignedFieldPanel(
                    "reference",
                    help_text=_("Assigned automatically when the paper is created."),
                ),
                AssignedFieldPanel("state"),
                FieldPanel("body"),
                FieldPanel("name"),
                FieldRowPanel([FieldPanel("paper_type"), FieldPanel("date")]),
                FieldPanel("public"),
            ],
            heading=_("Paper"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("facts"),
                FieldPanel("proposal"),
                FieldPanel("financial_impact"),
            ],
            heading=_("Text"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("under_direction_of", widget=forms.CheckboxSelectMultiple),
                FieldPanel(
                    "originator_organizations", widget=forms.CheckboxSelectMultiple
                ),
                FieldPanel("originator_persons"),
            ],
            heading=_("Originators"),
            help_text=_(
                "Lead department and who submitted the paper (e.g. a fraction "
                "for a motion)."
            ),
        ),
        MultiFieldPanel(
            [
                FieldPanel("related_papers"),
                FieldPanel("superordinated_papers"),
                FieldPanel("locations"),
            ],
            heading=_("Related papers and locations"),
            classname="collapsed",
        ),
        MultiFieldPanel(
            [FieldPanel("keywords"), FieldPanel("license")],
            heading=_("OParl"),
            classname="collapsed",
        ),
    ]


# --- File --------------------------------------------------------------------


class FileForm(BodyScopedAdminForm):
    """Upload on creation; the stored blob is never replaced afterwards."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "content" in self.fields:
            if self.instance.pk:
                del self.fields["content"]
            else:
                self.fields["content"].required = True
                self.fields["name"].required = False

    def clean(self):
        cleaned = super().clean()
        owners = [cleaned.get(f) for f in ("paper", "meeting", "agenda_item")]
        if sum(owner is not None for owner in owners) != 1:
            raise forms.ValidationError(
                _("Choose exactly one paper, meeting or agenda item.")
            )
        return cleaned


class FileCreateView(ServiceCreateView):
    """Checksums, storage path and the upload check belong to ``file_attach``."""

    def create_object(self, form) -> File:
        data = form.cleaned_data
        upload = data["content"]
        owner = data.get("paper") or data.get("meeting") or data.get("agenda_item")
        return file_attach(
            actor=self.request.user,
            owner=owner,
            upload=upload,
            name=data.get("name", ""),
            role=data["role"],
            mime_type=getattr(upload, "content_type", "") or "",
            date=data.get("date"),
            restricted=data.get("restricted", False),
            order=data.get("order") or 0,
        )


class FileFilterSet(BodyScopedFilterSet):
    class Meta:
        model = File
        fields = ["body", "role", "restricted"]


class FileViewSet(BodyScopedViewSet):
    model = File
    name = "files"
    icon = "doc-empty"
    menu_order = 200
    add_view_class = FileCreateView
    base_form_class = FileForm
    list_display = [
        "name",
        "role",
        Column("owner", label=_("attached to"), accessor="owner"),
        "date",
        BooleanColumn("restricted", label=_("restricted")),
        "body",
    ]
    list_select_related = ("body", "paper", "meeting", "agenda_item")
    filterset_class = FileFilterSet
    search_fields = ["name", "file_name"]
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("content"),
                AssignedFieldPanel("file_name"),
                AssignedFieldPanel("mime_type"),
                AssignedFieldPanel("size"),
                FieldPanel(
                    "name",
                    help_text=_("Shown to readers; the file name if left empty."),
                ),
                FieldRowPanel([FieldPanel("role"), FieldPanel("date")]),
                FieldPanel("order"),
                FieldPanel("restricted"),
            ],
            heading=_("File"),
        ),
        MultiFieldPanel(
            [FieldPanel("paper"), FieldPanel("meeting"), FieldPanel("agenda_item")],
            heading=_("Attached to"),
            help_text=_("Exactly one paper, meeting or agenda item."),
        ),
    ]


class DocumentsViewSetGroup(ModelViewSetGroup):
    menu_label = _("Papers")
    menu_icon = "doc-full"
    menu_order = 300
    items = (PaperViewSet, FileViewSet)


@hooks.register("register_admin_viewset")
def register_viewset():
    return DocumentsViewSetGroup()
