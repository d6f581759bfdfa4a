"""Mounted at /reviews/<str:reference>/actions/ (namespace "recommendations")."""

app_name = "recommendations"

urlpatterns: list = []
