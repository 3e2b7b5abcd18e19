"""Admin addresses of the meeting documents as PDF (staff downloads),
included under ``/admin/meetings/``."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "<int:pk>/pdf/einladung/",
        views.invitation,
        name="meetings_pdf_invitation",
    ),
    path(
        "<int:pk>/pdf/tagesordnung/",
        views.agenda,
        name="meetings_pdf_agenda",
    ),
    path(
        "<int:pk>/pdf/niederschrift/",
        views.minutes,
        name="meetings_pdf_minutes",
    ),
    path(
        "items/<int:pk>/pdf/beschlussauszug/",
        views.resolution_extract,
        name="meetings_pdf_extract",
    ),
]
