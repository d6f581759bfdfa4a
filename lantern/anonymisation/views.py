"""Pages of the anonymisation check: the checks of a review and a new check, one check's
document with its findings marked and resolved one by one, the corrected file, and the places
the review knows of. Everything needs `check_anonymisation` (coordinator, chair, author)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lantern.anonymisation import forms, selectors, services
from lantern.anonymisation.check.findings import CATEGORY_LABELS
from lantern.anonymisation.models import Check, Finding, KnownPlace
from lantern.core.errors import ProblemsError
from lantern.core.models import AuditEvent
from lantern.core.services import audit_record
from lantern.reviews.access import Cap, review_get_for_user
from lantern.reviews.models import Review


def _review(request: HttpRequest, reference: str, what: str) -> Review:
    return review_get_for_user(
        user=request.user,
        reference=reference,
        need=Cap.CHECK_ANONYMISATION,
        what=what,
        audit=request.method == "GET",
    )


def _render(
    request: HttpRequest, template: str, review: Review, what: str, context: dict[str, Any]
) -> HttpResponse:
    if request.method != "GET":  # the page shown again after a refused POST is a read too
        audit_record(
            action=AuditEvent.Action.READ,
            by=request.user,
            review=review,
            object_type=what,
            object_id=review.reference,
            summary=f"Viewed {what}",
        )
    context.setdefault("review", review)
    context.setdefault("caps", review.viewer_caps)  # type: ignore[attr-defined]
    return render(request, template, context)


def _check_or_404(review: Review, check_id: int) -> Check:
    check = Check.objects.filter(review=review, pk=check_id).defer("content").first()
    if check is None:
        raise Http404
    return check


@login_required
def checks(request: HttpRequest, reference: str) -> HttpResponse:
    review = _review(request, reference, "anonymisation checks")
    form = forms.CheckForm(request.POST or None, request.FILES or None)
    problems: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        if upload:
            filename, data = upload.name, upload.read()
        else:
            filename, data = "pasted-text.txt", form.cleaned_data["text"].encode("utf-8")
        try:
            check = services.run_check(review=review, by=request.user, filename=filename, data=data)
        except ProblemsError as error:
            problems = error.problems
            for p in problems:
                form.add_error("file" if upload else "text", str(p))
        else:
            return redirect("anonymisation:check", reference=review.reference, check_id=check.pk)
    title = _("Anonymisation check: %(ref)s") % {"ref": review.reference}
    if form.is_bound and form.errors:
        title = _("Error: %(title)s") % {"title": title}
    return _render(
        request,
        "anonymisation/checks.html",
        review,
        "anonymisation checks",
        {"title": title, "form": form, "rows": selectors.check_rows(review=review)},
    )


@login_required
def check_detail(request: HttpRequest, reference: str, check_id: int) -> HttpResponse:
    review = _review(request, reference, "anonymisation check")
    check = _check_or_404(review, check_id)
    return _detail(request, review, check, bound=None)


def _detail(
    request: HttpRequest,
    review: Review,
    check: Check,
    *,
    bound: tuple[int, forms.ResolveForm] | None,
) -> HttpResponse:
    findings = list(check.findings.select_related("resolved_by"))
    items = []
    for f in findings:
        if bound and bound[0] == f.position:
            form = bound[1]
        else:
            form = forms.ResolveForm(
                initial={"action": "replace", "replacement": f.suggestion},
                prefix=f"f{f.position}",
            )
        items.append({"finding": f, "form": form, "label": CATEGORY_LABELS[f.category]})
    progress = services.progress(check)
    title = _("Check of %(file)s: %(ref)s") % {"file": check.filename, "ref": review.reference}
    if bound:
        title = _("Error: %(title)s") % {"title": title}
    categories = sorted(
        {(f.category, CATEGORY_LABELS[f.category]) for f in findings if f.is_open},
        key=lambda c: c[1],
    )
    return _render(
        request,
        "anonymisation/check.html",
        review,
        "anonymisation check",
        {
            "title": title,
            "check": check,
            "items": items,
            "segments": selectors.segments(check.text, findings),
            "progress": progress,
            "state": services.check_state(check),
            "open_categories": categories,
            "error_form": bound[1] if bound else None,
        },
    )


@login_required
def finding_resolve(
    request: HttpRequest, reference: str, check_id: int, position: int
) -> HttpResponse:
    review = _review(request, reference, "anonymisation finding")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    check = _check_or_404(review, check_id)
    finding = Finding.objects.filter(check_run=check, position=position).first()
    if finding is None:
        raise Http404
    if "reopen" in request.POST:
        services.finding_reopen(finding=finding, by=request.user)
        messages.success(request, _("Finding %(n)s is open again.") % {"n": position + 1})
        return _back(review, check, position)
    form = forms.ResolveForm(request.POST, prefix=f"f{position}")
    if form.is_valid():
        try:
            services.finding_resolve(
                finding=finding,
                by=request.user,
                action=form.cleaned_data["action"],
                replacement=form.cleaned_data["replacement"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            return _back(review, check, position)
    return _detail(request, review, check, bound=(position, form))


def _back(review: Review, check: Check, position: int) -> HttpResponse:
    response = redirect("anonymisation:check", reference=review.reference, check_id=check.pk)
    following = (
        check.findings.filter(status=Finding.Status.OPEN, position__gt=position)
        .values_list("position", flat=True)
        .first()
    )
    response["Location"] += f"#finding-{following + 1}" if following is not None else "#progress"
    return response


@login_required
def accept_all(request: HttpRequest, reference: str, check_id: int) -> HttpResponse:
    review = _review(request, reference, "anonymisation finding")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    check = _check_or_404(review, check_id)
    category = request.POST.get("category", "")
    reason = request.POST.get("reason", "")
    try:
        count = services.findings_accept_all(
            check=check, by=request.user, category=category, reason=reason
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(n)s findings kept as they are.") % {"n": count})
    return redirect("anonymisation:check", reference=review.reference, check_id=check.pk)


@login_required
def corrected(request: HttpRequest, reference: str, check_id: int) -> HttpResponse:
    review = _review(request, reference, "anonymisation check")
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    check = Check.objects.filter(review=review, pk=check_id).first()
    if check is None:
        raise Http404
    try:
        filename, content, content_type = services.corrected_file(check=check, by=request.user)
    except (ValidationError, ProblemsError) as error:
        text = (
            " ".join(error.messages)
            if isinstance(error, ValidationError)
            else "; ".join(str(p) for p in error.problems)
        )
        messages.error(request, text)
        return redirect("anonymisation:check", reference=review.reference, check_id=check.pk)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename.replace(chr(34), "")}"'
    return response


@login_required
def places(request: HttpRequest, reference: str) -> HttpResponse:
    review = _review(request, reference, "known places")
    form = forms.KnownPlaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.known_place_add(review=review, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(request, _("Recorded. The check now looks for it."))
            return redirect("anonymisation:places", reference=review.reference)
    title = _("Places and identifiers known to the review: %(ref)s") % {"ref": review.reference}
    if form.is_bound and form.errors:
        title = _("Error: %(title)s") % {"title": title}
    return _render(
        request,
        "anonymisation/places.html",
        review,
        "known places",
        {"title": title, "form": form, "places": list(review.known_places.all())},
    )


@login_required
def place_delete(request: HttpRequest, reference: str, place_id: int) -> HttpResponse:
    review = _review(request, reference, "known places")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    place = KnownPlace.objects.filter(review=review, pk=place_id).first()
    if place is None:
        raise Http404
    services.known_place_delete(place=place, by=request.user)
    messages.success(request, _("Removed."))
    return redirect("anonymisation:places", reference=review.reference)
