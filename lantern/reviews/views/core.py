from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lantern.reviews.access import review_get_for_user
from lantern.reviews.selectors import dashboard_rows


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "reviews/dashboard.html", {"rows": dashboard_rows(user=request.user)})


@login_required
def notify(request: HttpRequest) -> HttpResponse:
    return render(request, "reviews/dashboard.html", {"rows": []})


@login_required
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    review = review_get_for_user(user=request.user, reference=reference)
    return render(request, "reviews/dashboard.html", {"rows": [], "review": review})
