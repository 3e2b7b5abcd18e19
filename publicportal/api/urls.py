"""Addresses of the OParl 1.1 API, mounted at ``/oparl/v1.1/`` (namespace
``oparl``). Ids are primary keys; anything else under the prefix is an
OParl error object with 404, not the portal's page."""

from django.urls import path, re_path

from . import views

app_name = "oparl"

urlpatterns = [
    path("", views.system, name="system"),
    path("body", views.body_list, name="body-list"),
    path("body/<int:pk>/<str:name>", views.body_sublist, name="body-sublist"),
    path(
        "organization/<int:pk>/<str:name>",
        views.organization_sublist,
        name="organization-sublist",
    ),
    path("file/<int:pk>/access", views.file_access, name="file-access"),
    path("file/<int:pk>/download", views.file_download, name="file-download"),
    path("<str:path>/<int:pk>", views.object_detail, name="object"),
    re_path(r"^(?P<rest>.*)$", views.unknown),
]
