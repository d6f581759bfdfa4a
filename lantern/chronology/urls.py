"""Mounted at /reviews/<str:reference>/chronology/ (namespace "chronology")."""

from lantern.chronology.views import analysis, combined, imports, returns

app_name = "chronology"

urlpatterns = (
    imports.urlpatterns + combined.urlpatterns + analysis.urlpatterns + returns.urlpatterns
)
