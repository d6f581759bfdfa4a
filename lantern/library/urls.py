"""Mounted at /library/ (namespace "library")."""

from django.urls import path

from lantern.library import views

app_name = "library"

urlpatterns = [
    path("", views.home, name="home"),
    path("documents/<int:pk>/", views.document_detail, name="document"),
    path("documents/<int:pk>/original", views.document_original, name="original"),
    path("documents/<int:pk>/facts/<str:field>/", views.fact_correct, name="correct"),
    path("learning/", views.learning, name="learning"),
    path("learning.csv", views.learning_csv, name="learning_csv"),
    path("learning.xlsx", views.learning_xlsx, name="learning_xlsx"),
    path("add/", views.ingest, name="ingest"),
    path("add/<int:pk>/", views.job, name="job"),
    path("add/<int:pk>/status", views.job_status, name="job_status"),
    path("reviews/<str:reference>/similar/", views.review_similar, name="review_similar"),
]
