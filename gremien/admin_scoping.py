"""Per-body scoping of the Wagtail admin: one base viewset, form and filterset.

Every admin view of a body-owned model reads through ``scope_to_user`` (from
``gremien.access``, the one place deciding staff scope), so staff of body A get
a 404 for any URL of body B's objects. Form choices (ForeignKey, ManyToMany) are
limited the same way and must belong to the same body as the edited object.
Deletion is the soft deletion of ``gremien.services.object_soft_delete``; the
admin never removes rows of OParl objects.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import CharField, Model, Q, QuerySet
from django.db.models.functions import Cast
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import ModelLogEntry
from wagtail.permission_policies import ModelPermissionPolicy

from .access import body_of, scope_to_user, staff_bodies
from .models import Body
from .services import object_soft_delete


def is_body_scoped(model: type[Model]) -> bool:
    return hasattr(model, "body_lookup")


def visible_to(queryset: QuerySet, user, *, include_deleted: bool = False):
    """``queryset`` restricted to what ``user`` may see in the admin.

    Soft-deleted rows are hidden unless ``include_deleted`` (history).
    ``user=None`` sees nothing: a form built without a user offers no choices.
    """
    if user is None:
        return queryset.none()
    if not include_deleted and hasattr(queryset, "alive"):
        queryset = queryset.alive()
    return scope_to_user(queryset, user)


def user_may_access(user, obj: Model) -> bool:
    body = body_of(obj)
    return body is not None and staff_bodies(user).filter(pk=body.pk).exists()


class BodyScopedPermissionPolicy(ModelPermissionPolicy):
    """Model permissions from groups, instance access from the body scope."""

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and user_may_access(
            user, instance
        )

    def instances_user_has_any_permission_for(self, user, actions):
        return visible_to(
            super().instances_user_has_any_permission_for(user, actions), user
        )


class SuperuserOnlyPermissionPolicy(ModelPermissionPolicy):
    """For data that grants access itself (``StaffAccess``)."""

    def user_has_permission(self, user, action):
        return user.is_active and user.is_superuser

    def user_has_any_permission(self, user, actions):
        return self.user_has_permission(user, None)


# --- forms -----------------------------------------------------------------


class BodyScopedAdminForm(WagtailAdminModelForm):
    """Model form whose related-object choices are limited to the user's bodies.

    The body of an existing object cannot be changed (reference numbers,
    memberships and meetings hang on it). Related objects must belong to the
    same body as the edited object, except the fields in ``cross_body_fields``
    (e.g. the district a town belongs to).
    """

    cross_body_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField):
                field.queryset = self._scoped_choices(name, field.queryset)
        if self.instance.pk and "body" in self.fields:
            self.fields["body"].disabled = True
            self.fields["body"].help_text = _(
                "The body cannot be changed after creation."
            )

    def _scoped_choices(self, name: str, queryset: QuerySet) -> QuerySet:
        model = queryset.model
        if model is get_user_model():
            return queryset  # only shown to user administrators (FieldPanel)
        if not is_body_scoped(model):
            return queryset
        current = self._current_pks(name)
        scoped = scope_to_user(queryset, self.for_user) if self.for_user else None
        if scoped is None:
            return queryset.none()
        if hasattr(scoped, "alive"):
            # keep an already chosen, meanwhile deleted object selectable
            scoped = scoped.alive() | scoped.filter(pk__in=current)
        return scoped.distinct()

    def _current_pks(self, name: str) -> list:
        if not self.instance.pk:
            return []
        field = self.instance._meta.get_field(name)
        if field.many_to_many:
            return list(getattr(self.instance, name).values_list("pk", flat=True))
        value = getattr(self.instance, field.attname, None)
        return [value] if value is not None else []

    def _anchor_body(self) -> Body | None:
        """The body the edited object belongs to, from the cleaned data."""
        model = self._meta.model
        first = model.body_lookup.split("__")[0]
        if first == "pk":
            return self.instance if self.instance.pk else None
        value = self.cleaned_data.get(first)
        if value is None and self.instance.pk:
            return body_of(self.instance)
        return body_of(value) if value is not None else None

    def clean(self):
        cleaned = super().clean()
        # A cleared JSON list means "none", not NULL (the columns are NOT NULL).
        for name, field in self.fields.items():
            if isinstance(field, forms.JSONField) and cleaned.get(name) is None:
                model_field = self._meta.model._meta.get_field(name)
                if not model_field.null:
                    cleaned[name] = model_field.get_default()
        return cleaned

    def _post_clean(self) -> None:
        super()._post_clean()
        if not is_body_scoped(self._meta.model):
            return
        anchor = self._anchor_body()
        if anchor is None:
            return
        anchor_field = self._meta.model.body_lookup.split("__")[0]
        for name, field in self.fields.items():
            if name in (anchor_field, *self.cross_body_fields) or name in self.errors:
                continue
            if not isinstance(field, forms.ModelChoiceField):
                continue
            if not is_body_scoped(field.queryset.model):
                continue
            value = self.cleaned_data.get(name)
            values = (
                list(value)
                if isinstance(field, forms.ModelMultipleChoiceField)
                else [value]
            )
            if any(v is not None and body_of(v) != anchor for v in values):
                self.add_error(
                    name,
                    _("Choose only objects of the body %(body)s.") % {"body": anchor},
                )


# --- listing filters -------------------------------------------------------


def scoped_model_filter(model: type[Model], *, multiple=False, **kwargs):
    """A filter whose choices are the objects of ``model`` the user may see."""

    def queryset(request):
        if request is None:
            return model._default_manager.none()
        return visible_to(model._default_manager.all(), request.user)

    filter_class = (
        django_filters.ModelMultipleChoiceFilter
        if multiple
        else django_filters.ModelChoiceFilter
    )
    return filter_class(queryset=queryset, **kwargs)


def year_filter(field_name: str):
    return django_filters.NumberFilter(
        field_name=field_name, lookup_expr="year", label=_("Year")
    )


class BodyScopedFilterSet(WagtailFilterSet):
    body = scoped_model_filter(Body, label=_("Body"))


# --- views -----------------------------------------------------------------


class ScopedQuerysetMixin:
    """Objects outside the user's bodies do not exist for the view (404)."""

    include_deleted = False
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()

    def scoped_queryset(self) -> QuerySet:
        queryset = visible_to(
            self.model._default_manager.all(),
            self.request.user,
            include_deleted=self.include_deleted,
        )
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        if self.prefetch_related:
            queryset = queryset.prefetch_related(*self.prefetch_related)
        return queryset


class ScopedIndexView(ScopedQuerysetMixin, generic.IndexView):
    def get_base_queryset(self):
        return self.scoped_queryset()


class ScopedCreateView(generic.CreateView):
    pass


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's refusal on the form, on the field it names if shown."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class ServiceCreateView(ScopedCreateView):
    """Creates through a service (numbering, checksums, audit log) not ``save()``.

    Subclasses implement ``create_object(form)``; many-to-many choices of the
    form are set afterwards. The service writes the ``wagtail.create`` log entry.
    """

    def create_object(self, form) -> Model:
        raise NotImplementedError

    def save_instance(self):
        instance = self.create_object(self.form)
        data = self.form.cleaned_data
        for field in instance._meta.many_to_many:
            if field.name in data:
                getattr(instance, field.name).set(data[field.name])
        return instance

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as exc:
            add_service_errors(form, exc)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class ScopedEditView(ScopedQuerysetMixin, generic.EditView):
    def get_queryset(self):
        return self.scoped_queryset()


class ScopedDeleteView(ScopedQuerysetMixin, generic.DeleteView):
    """Confirms, then soft-deletes through the service; refusals become messages."""

    def get_queryset(self):
        return self.scoped_queryset()

    def form_valid(self, form):
        try:
            object_soft_delete(actor=self.request.user, obj=self.object)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(self.request, message)
            return HttpResponseRedirect(self._refusal_url())
        messages.success(self.request, self.get_success_message())
        return HttpResponseRedirect(self.get_success_url())

    def _refusal_url(self) -> str:
        if self.edit_url_name and self.permission_policy.user_has_permission(
            self.request.user, "change"
        ):
            return reverse(self.edit_url_name, args=(self.object.pk,))
        return reverse(self.index_url_name)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # References keep working after a soft deletion: nothing is "protected".
        context["is_protected"] = False
        return context


class ScopedHistoryView(ScopedQuerysetMixin, history.HistoryView):
    include_deleted = True  # the audit trail of a deleted object stays readable

    def get_base_object_queryset(self):
        return self.scoped_queryset()


class ScopedUsageView(ScopedQuerysetMixin, usage.UsageView):
    def get_base_object_queryset(self):
        return self.scoped_queryset()


class ScopedInspectView(ScopedQuerysetMixin, generic.InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(self.scoped_queryset(), pk=self.pk)


class BodyScopedViewSet(ModelViewSet):
    """Base of every admin viewset of an OParl model: scoped, soft-deleting.

    Listing search runs on the ORM (``search_backend_name = None``): the
    scope filters would otherwise have to be declared as index filter fields.
    Copying is off: it would bypass services such as ``paper_create``.
    """

    index_view_class = ScopedIndexView
    add_view_class = ScopedCreateView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    inspect_view_class = ScopedInspectView
    copy_view_enabled = False
    inspect_view_enabled = True
    search_backend_name = None
    base_form_class = BodyScopedAdminForm
    list_select_related: tuple[str, ...] = ()
    list_prefetch_related: tuple[str, ...] = ()

    @cached_property
    def permission_policy(self):
        return BodyScopedPermissionPolicy(self.model)

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            select_related=self.list_select_related,
            prefetch_related=self.list_prefetch_related,
            **kwargs,
        )

    def get_edit_handler(self):
        if hasattr(self, "edit_handler"):
            handler = self.edit_handler
        else:
            handler = ObjectList(self.panels)
        bound = handler.bind_to_model(self.model)
        bound.base_form_class = bound.base_form_class or self.base_form_class
        return bound

    @cached_property
    def menu_label(self):
        return capfirst(self.model_opts.verbose_name_plural)


# --- site history ----------------------------------------------------------


def log_entries_in_scope(user) -> Q:
    """Log entries about body-owned objects only for objects in the user's scope.

    Entry labels carry object titles (e.g. a non-public paper's name), so the
    audit log must be scoped like the objects themselves.
    """
    condition = Q()
    for model in apps.get_models():
        if not is_body_scoped(model):
            continue
        in_scope = (
            scope_to_user(model._default_manager.all(), user)
            .annotate(_object_id=Cast("pk", CharField()))
            .values("_object_id")
        )
        content_type = ContentType.objects.get_for_model(model)
        condition &= ~Q(content_type=content_type) | Q(object_id__in=in_scope)
    return condition


class ScopedLogEntriesView(LogEntriesView):
    """Wagtail's "site history" report, without other bodies' objects.

    Must be routed in ``config/urls.py`` before the Wagtail admin include, for
    ``admin/reports/site-history/`` and its ``results/`` URL.
    """

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        user = self.request.user
        if issubclass(queryset.model, ModelLogEntry) and not user.is_superuser:
            queryset = queryset.filter(log_entries_in_scope(user))
        return queryset


class ActionScreen(WagtailAdminTemplateMixin, TemplateView):
    """A staff screen about one object whose buttons post ``action=<name>``.

    The object is looked up through the staff scope (other bodies: 404) and
    needs ``permission``; each action is a ``do_<name>`` method calling one
    service; a refusal (``ValidationError``) becomes an error message and
    nothing changes. ``do_<name>`` may return a response (e.g. a form with
    errors); otherwise the screen is shown again.
    """

    model: type[Model]
    permission = ""
    url_name = ""
    index_url_name = ""
    edit_url_name = ""
    breadcrumb_label = ""

    def dispatch(self, request, pk: int, *args, **kwargs):
        queryset = visible_to(self.model._default_manager.all(), request.user)
        self.object = get_object_or_404(queryset, pk=pk)
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, pk, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse(self.index_url_name),
                "label": capfirst(self.model._meta.verbose_name_plural),
            },
            {
                "url": reverse(self.edit_url_name, args=[self.object.pk]),
                "label": str(self.object),
            },
            {"url": "", "label": self.breadcrumb_label},
        ]

    def post(self, request, pk: int):
        handler = getattr(self, f"do_{request.POST.get('action', '')}", None)
        if handler is None:
            messages.error(request, _("Unknown action."))
            return self.back()
        try:
            return handler(request) or self.back()
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return self.back()

    def back(self):
        return HttpResponseRedirect(reverse(self.url_name, args=[self.object.pk]))
