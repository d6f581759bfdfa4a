from django.urls import path

from lantern.accounts import oidc, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("sso/start/", oidc.oidc_start, name="oidc_authentication_init"),
    path("sso/callback/", oidc.oidc_callback, name="oidc_authentication_callback"),
    path("logout/", views.logout_view, name="logout"),
    path("verify/", views.verify, name="verify"),
    path("two-factor/", views.two_factor_setup, name="two_factor_setup"),
    path("profile/", views.profile, name="profile"),
    path("api-tokens/", views.api_tokens, name="api_tokens"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_new, name="user_new"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/leaver/", views.leaver, name="leaver"),
    path("invite/", views.invite, name="invite"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
