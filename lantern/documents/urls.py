"""Mounted at /reviews/<str:reference>/documents/ (namespace "documents")."""

from django.urls import path

from lantern.documents import views

app_name = "documents"

urlpatterns = [
    path("", views.documents, name="documents"),
    path("issue/", views.issue, name="issue"),
    path("briefing/", views.briefing, name="briefing"),
    path("settings/", views.settings_page, name="settings"),
]
