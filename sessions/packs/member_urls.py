"""The member pack outside the admin, for council members:
``/mappe/<meeting>/mitglieder.pdf`` (until the member portal has its own
pages, issue 8). Included by ``config/urls.py``."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "<int:meeting_pk>/mitglieder.pdf",
        views.member_download,
        name="packs_member_download",
    ),
]
