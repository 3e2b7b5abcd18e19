"""Member downloads outside the admin, for council members: the member pack
``/mappe/<meeting>/mitglieder.pdf`` and the meeting's files
``/mappe/<meeting>/dateien/<file>/`` (until the member portal has its own
pages, issue 8). Included by ``config/urls.py``."""

from django.urls import path

from .. import member_files
from . import views

urlpatterns = [
    path(
        "<int:meeting_pk>/mitglieder.pdf",
        views.member_download,
        name="packs_member_download",
    ),
    path(
        "<int:meeting_pk>/dateien/<int:file_pk>/",
        member_files.member_file,
        name="member_file",
    ),
]
