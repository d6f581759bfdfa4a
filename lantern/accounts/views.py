from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class LanternLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/placeholder.html", {"title": "Verify"})


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/placeholder.html", {"title": "Two-factor"})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/placeholder.html", {"title": "Profile"})


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/placeholder.html", {"title": "Users"})
