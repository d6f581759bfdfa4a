from django.urls import path

from lantern.core import views

app_name = "core"

urlpatterns = [
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    path("privacy/", views.privacy_notice, name="privacy"),
]
