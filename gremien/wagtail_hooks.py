"""Admin for bodies, terms, organizations, persons, memberships and locations."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .admin_scoping import (
    BodyScopedAdminForm,
    BodyScopedFilterSet,
    BodyScopedViewSet,
    SuperuserOnlyPermissionPolicy,
    scoped_model_filter,
)
from .logo import LOGO_ACCEPT
from .models import (
    Body,
    LegislativeTerm,
    Location,
    Membership,
    Organization,
    Person,
    StaffAccess,
)


def oparl_panel(*extra: str) -> MultiFieldPanel:
    """Rarely touched fields for the OParl interface and imports, collapsed."""
    return MultiFieldPanel(
        [FieldPanel(name) for name in (*extra, "keywords", "license", "external_id")],
        heading=_("OParl and import"),
        classname="collapsed",
    )


def period_row() -> FieldRowPanel:
    return FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")])


# --- Body --------------------------------------------------------------------


class BodyForm(BodyScopedAdminForm):
    cross_body_fields = ("superordinate_body",)


class BodyViewSet(BodyScopedViewSet):
    model = Body
    name = "bodies"
    icon = "site"
    menu_order = 100
    list_display = ["name", "short_name", "classification", "ags", "slug"]
    list_filter = ["classification"]
    search_fields = ["name", "short_name", "ags", "slug"]
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldRowPanel([FieldPanel("short_name"), FieldPanel("slug")]),
                FieldPanel("classification"),
                FieldPanel("superordinate_body"),
                FieldPanel(
                    "logo",
                    widget=forms.ClearableFileInput(attrs={"accept": LOGO_ACCEPT}),
                ),
            ],
            heading=_("Body"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("ags"), FieldPanel("rgs")])],
            heading=_("Official keys"),
            help_text=_(
                "Official municipality key (AGS) and regional key (RGS) from "
                "the statistical offices."
            ),
        ),
        MultiFieldPanel(
            [
                FieldPanel("contact_name"),
                FieldPanel("contact_email"),
                FieldPanel("website"),
                FieldPanel("location"),
            ],
            heading=_("Contact"),
        ),
        MultiFieldPanel(
            [FieldPanel("paper_reference_prefix")],
            heading=_("Papers"),
            help_text=_("Changing the prefix affects only papers created afterwards."),
        ),
        MultiFieldPanel(
            [
                FieldPanel("municipal_code"),
                FieldPanel("invitation_period_days"),
                FieldRowPanel(
                    [
                        FieldPanel("agenda_public_prefix"),
                        FieldPanel("agenda_nonpublic_prefix"),
                    ]
                ),
                FieldPanel("agenda_nonpublic_continues"),
                FieldPanel("invitation_template"),
            ],
            heading=_("Standing orders"),
            help_text=_(
                "Rules of the municipal code and the standing orders that meetings, "
                "agendas and invitations follow."
            ),
        ),
        MultiFieldPanel(
            [FieldPanel("require_two_factor")],
            heading=_("Sign-in"),
            help_text=_(
                "Takes effect at once: signed-in users without a second factor "
                "are asked to sign in again."
            ),
        ),
        oparl_panel("equivalent", "license_valid_since", "oparl_since"),
    ]
    base_form_class = BodyForm


class LegislativeTermFilterSet(BodyScopedFilterSet):
    class Meta:
        model = LegislativeTerm
        fields = ["body"]


class LegislativeTermViewSet(BodyScopedViewSet):
    model = LegislativeTerm
    name = "legislative-terms"
    icon = "date"
    menu_order = 200
    list_display = ["name", "body", "start_date", "end_date"]
    list_select_related = ("body",)
    filterset_class = LegislativeTermFilterSet
    search_fields = ["name"]
    panels = [
        FieldPanel("body"),
        FieldPanel("name", help_text=_("e.g. Wahlperiode 2026–2031")),
        period_row(),
        oparl_panel(),
    ]


# --- Organization ------------------------------------------------------------


class OrganizationFilterSet(BodyScopedFilterSet):
    class Meta:
        model = Organization
        fields = ["body", "kind"]


class OrganizationViewSet(BodyScopedViewSet):
    model = Organization
    name = "organizations"
    icon = "group"
    menu_order = 300
    list_display = ["name", "short_name", "kind", "body", "start_date", "end_date"]
    list_select_related = ("body",)
    filterset_class = OrganizationFilterSet
    search_fields = ["name", "short_name", "classification"]
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("body"),
                FieldPanel("name"),
                FieldPanel("short_name"),
                FieldRowPanel([FieldPanel("kind"), FieldPanel("classification")]),
                FieldPanel(
                    "sub_organization_of",
                    help_text=_("e.g. the committee a sub-committee belongs to."),
                ),
            ],
            heading=_("Organization"),
        ),
        MultiFieldPanel(
            [period_row()],
            heading=_("Period"),
            help_text=_(
                "An organization that has ended keeps its history: set an end "
                "date instead of deleting it."
            ),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("statutory_members"),
                        FieldPanel("invitation_period_days"),
                    ]
                ),
                FieldPanel("standard_agenda"),
            ],
            heading=_("Meetings"),
        ),
        MultiFieldPanel(
            [FieldPanel("location"), FieldPanel("website"), FieldPanel("posts")],
            heading=_("Details"),
        ),
        oparl_panel("external_body"),
    ]


# --- Person ------------------------------------------------------------------


class PersonFilterSet(BodyScopedFilterSet):
    class Meta:
        model = Person
        fields = ["body", "gender"]


class PersonViewSet(BodyScopedViewSet):
    model = Person
    name = "persons"
    icon = "user"
    menu_order = 400
    list_display = ["family_name", "given_name", "form_of_address", "body"]
    list_select_related = ("body",)
    filterset_class = PersonFilterSet
    search_fields = ["family_name", "given_name"]
    ordering = ["family_name", "given_name"]
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("body"),
                FieldRowPanel([FieldPanel("form_of_address"), FieldPanel("gender")]),
                FieldPanel("title"),
                FieldRowPanel(
                    [
                        FieldPanel("given_name"),
                        FieldPanel("affix"),
                        FieldPanel("family_name"),
                    ]
                ),
                FieldPanel("status"),
            ],
            heading=_("Name"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("phone", help_text=_('e.g. ["+49 1234 5678"]')),
                FieldPanel("phone_public"),
                FieldPanel("email", help_text=_('e.g. ["name@example.org"]')),
                FieldPanel("email_public"),
                FieldPanel("location"),
                FieldPanel("location_public"),
            ],
            heading=_("Contact"),
            help_text=_(
                "Contact data is shown publicly only where it is marked public."
            ),
        ),
        MultiFieldPanel(
            [
                FieldPanel("life"),
                FieldPanel("life_source"),
                FieldPanel("life_public"),
            ],
            heading=_("Curriculum vitae"),
            classname="collapsed",
        ),
        # Linking a login is the job of whoever manages user accounts.
        FieldPanel("user", permission="auth.change_user"),
        oparl_panel(),
    ]


# --- Membership --------------------------------------------------------------


class MembershipFilterSet(BodyScopedFilterSet):
    body = scoped_model_filter(Body, field_name="organization__body", label=_("Body"))
    organization = scoped_model_filter(Organization, label=_("Organization"))

    class Meta:
        model = Membership
        fields = ["body", "organization", "kind", "voting_right"]


class MembershipViewSet(BodyScopedViewSet):
    model = Membership
    name = "memberships"
    icon = "link"
    menu_order = 500
    list_display = [
        "person",
        "organization",
        "kind",
        "role",
        "start_date",
        "end_date",
    ]
    list_select_related = ("person", "organization")
    filterset_class = MembershipFilterSet
    search_fields = [
        "person__family_name",
        "person__given_name",
        "organization__name",
        "role",
    ]
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("organization"),
                FieldPanel("person"),
                FieldRowPanel([FieldPanel("kind"), FieldPanel("role")]),
                FieldPanel("voting_right"),
            ],
            heading=_("Membership"),
        ),
        MultiFieldPanel(
            [period_row()],
            heading=_("Period"),
            help_text=_("Must lie within the lifetime of the organization."),
        ),
        MultiFieldPanel(
            [FieldPanel("on_behalf_of"), FieldPanel("deputy_of")],
            heading=_("Representation"),
            classname="collapsed",
        ),
        oparl_panel(),
    ]


# --- Location ----------------------------------------------------------------


class LocationFilterSet(BodyScopedFilterSet):
    class Meta:
        model = Location
        fields = ["body"]


class LocationViewSet(BodyScopedViewSet):
    model = Location
    name = "locations"
    icon = "globe"
    menu_order = 600
    list_display = ["__str__", "room", "locality", "body"]
    list_select_related = ("body",)
    filterset_class = LocationFilterSet
    search_fields = ["description", "room", "street_address", "locality"]
    panels = [
        FieldPanel("body"),
        FieldPanel("description", help_text=_("e.g. Rathaus, Ratssaal")),
        FieldPanel("room"),
        FieldPanel("street_address"),
        FieldRowPanel([FieldPanel("postal_code"), FieldPanel("locality")]),
        FieldPanel("sub_locality"),
        MultiFieldPanel(
            [FieldPanel("geojson")], heading=_("Map"), classname="collapsed"
        ),
        oparl_panel(),
    ]


# --- StaffAccess -------------------------------------------------------------


class StaffAccessViewSet(ModelViewSet):
    """Which staff user works on which body; only superusers grant it.

    A grant is not an OParl object: revoking it removes the row.
    """

    model = StaffAccess
    name = "staff-access"
    icon = "key"
    menu_order = 900
    copy_view_enabled = False
    search_backend_name = None
    list_display = ["user", "body", "created"]
    list_filter = ["body"]
    search_fields = ["user__username", "user__last_name", "body__name"]
    panels = [
        FieldPanel("user"),
        FieldPanel(
            "body",
            help_text=_("The user sees and edits this body's data in the admin."),
        ),
    ]

    @property
    def permission_policy(self):
        return SuperuserOnlyPermissionPolicy(self.model)


class GremienViewSetGroup(ModelViewSetGroup):
    menu_label = _("Bodies and members")
    menu_icon = "group"
    menu_order = 200
    items = (
        BodyViewSet,
        LegislativeTermViewSet,
        OrganizationViewSet,
        PersonViewSet,
        MembershipViewSet,
        LocationViewSet,
        StaffAccessViewSet,
    )


@hooks.register("register_admin_viewset")
def register_viewset():
    return GremienViewSetGroup()
