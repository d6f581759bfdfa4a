"""Mounted at /oversight/ (namespace "oversight"): the board's view across reviews."""

from django.urls import path

from lantern.recommendations.views import oversight

app_name = "oversight"

urlpatterns = [
    path("", oversight.dashboard, name="dashboard"),
    path("actions.csv", oversight.export_csv, name="export_csv"),
    path("actions.xlsx", oversight.export_xlsx, name="export_xlsx"),
]
