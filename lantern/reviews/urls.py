from django.urls import path

from lantern.reviews.views import core, process  # noqa: F401

app_name = "reviews"

# Pages about the review's life (views/core.py).
core_patterns = [
    path("", core.dashboard, name="dashboard"),
    path("notify/", core.notify, name="notify"),
    path("<str:reference>/", core.detail, name="detail"),
]

# Pages for running the review (views/process.py).
process_patterns: list = []

urlpatterns = core_patterns + process_patterns
