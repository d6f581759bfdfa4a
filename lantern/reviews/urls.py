from django.urls import path

from lantern.reviews import views

app_name = "reviews"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("notify/", views.notify, name="notify"),
    path("<str:reference>/", views.detail, name="detail"),
]
