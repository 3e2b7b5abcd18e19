"""Admin addresses of session packs (build state, downloads), below
``/admin/meetings/`` (included by ``sessions.wagtail_hooks``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/packs/", views.fragment, name="meetings_packs"),
    path(
        "<int:pk>/packs/rebuild/",
        views.RebuildView.as_view(),
        name="meetings_packs_rebuild",
    ),
    path(
        "<int:pk>/packs/mitglieder.pdf",
        views.PackDownloadView.as_view(audience="member"),
        name="meetings_packs_member",
    ),
    path(
        "<int:pk>/packs/oeffentlich.pdf",
        views.PackDownloadView.as_view(audience="public"),
        name="meetings_packs_public",
    ),
]
