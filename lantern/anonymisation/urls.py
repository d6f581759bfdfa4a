"""Mounted at /reviews/<str:reference>/anonymisation/ (namespace "anonymisation")."""

from django.urls import path

from lantern.anonymisation import views

app_name = "anonymisation"

urlpatterns = [
    path("", views.checks, name="checks"),
    path("places/", views.places, name="places"),
    path("places/<int:place_id>/delete/", views.place_delete, name="place_delete"),
    path("<int:check_id>/", views.check_detail, name="check"),
    path("<int:check_id>/findings/<int:position>/", views.finding_resolve, name="finding"),
    path("<int:check_id>/accept-all/", views.accept_all, name="accept_all"),
    path("<int:check_id>/corrected/", views.corrected, name="corrected"),
]
