"""URLs of the notifications app; included by config/urls.py at
``/mitglieder/benachrichtigungen/``."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.notification_list, name="notifications_list"),
    path(
        "alle-gelesen/",
        views.notifications_mark_all_read,
        name="notifications_mark_all_read",
    ),
    path("einstellungen/", views.notification_settings, name="notifications_settings"),
    path("<int:pk>/", views.notification_open, name="notifications_open"),
]
