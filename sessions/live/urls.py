"""The live session's screens (``/live/<meeting>/…``), outside the admin;
included by ``config/urls.py``."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:meeting_pk>/leitung/", views.staff_console, name="live_staff"),
    path("<int:meeting_pk>/mitglied/", views.member_tablet, name="live_member"),
    path("<int:meeting_pk>/saal/", views.projector, name="live_projector"),
]
