"""The member portal (``/mitglieder/…``); included by ``config/urls.py``."""

from django.urls import path

from . import offline_views, views

urlpatterns = [
    path("", views.dashboard, name="members_dashboard"),
    path("sitzungen/", views.meeting_list, name="members_meetings"),
    path("sitzungen/<int:meeting_pk>/", views.meeting_detail, name="members_meeting"),
    path("offline/", offline_views.offline_status, name="members_offline"),
    path("offline/daten.json", offline_views.offline_data, name="members_offline_data"),
    path("sw.js", offline_views.service_worker, name="members_service_worker"),
    path("manifest.webmanifest", offline_views.manifest, name="members_manifest"),
]
