"""URLs of the motions app (``/mitglieder/antraege/…``); included by
config/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.motion_list, name="motions_list"),
    path("neu/", views.motion_create, name="motions_create"),
    path("<int:pk>/", views.motion_detail, name="motions_detail"),
    path("<int:pk>/bearbeiten/", views.motion_edit, name="motions_edit"),
    path("<int:pk>/mitzeichnen/", views.motion_sign, name="motions_sign"),
    path("<int:pk>/kommentieren/", views.motion_comment, name="motions_comment"),
    path("<int:pk>/einreichen/", views.motion_submit, name="motions_submit"),
    path("<int:pk>/zurueckziehen/", views.motion_withdraw, name="motions_withdraw"),
]
