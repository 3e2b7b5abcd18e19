"""URLs of the reader app (``/mitglieder/dokumente/…``); included by
config/urls.py."""

from django.urls import path

from . import api, views

urlpatterns = [
    path("<int:meeting_pk>/<int:file_pk>/", views.reader_file, name="reader_file"),
    path("mappe/<int:meeting_pk>/", views.reader_pack, name="reader_pack"),
    path("export/", views.reader_export, name="reader_export"),
    path("api/csrf/", api.csrf, name="reader_api_csrf"),
    path(
        "api/<int:meeting_pk>/<int:file_pk>/notizen/",
        api.file_annotations,
        name="reader_api_file",
    ),
    path(
        "api/notizen/<uuid:uuid>/",
        api.annotation_detail,
        name="reader_api_annotation",
    ),
]
