from django.contrib.auth import views as auth_views
from django.urls import path

from lantern.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LanternLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("verify/", views.verify, name="verify"),
    path("two-factor/", views.two_factor_setup, name="two_factor_setup"),
    path("profile/", views.profile, name="profile"),
    path("users/", views.user_list, name="user_list"),
]
