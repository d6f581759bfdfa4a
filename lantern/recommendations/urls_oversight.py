"""Mounted at /oversight/ (namespace "oversight"): the board's view across reviews."""

app_name = "oversight"

urlpatterns: list = []
