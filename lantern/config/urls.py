from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path
from django.views.generic import RedirectView

from lantern.config.api import api


def healthz(request):  # noqa: ANN001, ANN201
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", RedirectView.as_view(pattern_name="reviews:dashboard", permanent=False)),
    path("", include("lantern.core.urls")),
    path("accounts/", include("lantern.accounts.urls")),
    path("reviews/<str:reference>/chronology/", include("lantern.chronology.urls")),
    path("reviews/<str:reference>/actions/", include("lantern.recommendations.urls")),
    path("reviews/<str:reference>/documents/", include("lantern.documents.urls")),
    path("reviews/<str:reference>/anonymisation/", include("lantern.anonymisation.urls")),
    path("reviews/<str:reference>/publication/", include("lantern.publishing.urls")),
    path("library/", include("lantern.library.urls")),
    path("oversight/", include("lantern.recommendations.urls_oversight")),
    path("reviews/", include("lantern.reviews.urls")),
    path("api/", api.urls),
    path("reference-data/", admin.site.urls),
    path("healthz", healthz),
]
