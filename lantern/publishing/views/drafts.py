"""The publication area's overview (the step list), the author's drafts, circulation for
factual-accuracy comments, and the family's reading of the draft."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.accounts.models import Organisation
from lantern.core.errors import ProblemsError
from lantern.publishing import forms, selectors, services
from lantern.publishing.models import DraftComment, DraftKind, DraftVersion
from lantern.publishing.views.common import (
    download,
    page_title,
    render_page,
    require,
    review_for,
)
from lantern.reviews.access import Cap, user_agencies_on_review
from lantern.reviews.models import Review


def _tag(status: str) -> dict[str, str]:
    words = {
        "done": (_("Done"), "green"),
        "in_progress": (_("In progress"), "light-blue"),
        "not_started": (_("Not started"), "blue"),
        "blocked": (_("Cannot start yet"), "grey"),
    }
    text, colour = words.get(status, (status, ""))
    return {"text": str(text), "colour": colour}


def _saved(request: HttpRequest, message: str, name: str, review: Review) -> HttpResponse:
    messages.success(request, message)
    return redirect(f"publishing:{name}", reference=review.reference)


def _errors(form: Any, error: Exception) -> None:
    if isinstance(error, ProblemsError):
        for problem in error.problems:
            form.add_error(None, problem.message)
    else:
        forms.add_service_errors(form, error)  # type: ignore[arg-type]


# --- overview ----------------------------------------------------------------------------------


@login_required
def index(request: HttpRequest, reference: str) -> HttpResponse:
    review = review_for(request, reference, Cap.VIEW_PUBLICATION, "publication")
    if request.method != "GET":
        return redirect("publishing:index", reference=review.reference)
    steps = selectors.steps(review)
    upcoming = selectors.next_step(steps)
    caps = review.viewer_caps  # type: ignore[attr-defined]
    pages = {
        "drafts": Cap.VIEW_DOCUMENTS,
        "comments": Cap.COMMENT_ON_DRAFTS,
        "family": Cap.VIEW_FAMILY,
        "signoff": Cap.VIEW_PUBLICATION,
        "pack": Cap.VIEW_PUBLICATION,
        "qa": Cap.VIEW_PUBLICATION,
        "publish": Cap.VIEW_PUBLICATION,
        "dissemination": Cap.VIEW_PUBLICATION,
    }
    rows = [
        {
            "step": step,
            "tag": _tag(step.status),
            "url_name": step.url_name if pages.get(step.url_name) in caps else "",
            "next": upcoming is not None and step.key == upcoming.key,
        }
        for step in steps
    ]
    return render_page(
        request,
        "publishing/index.html",
        review,
        "publication",
        {
            "title": _("Publication: %(ref)s") % {"ref": review.reference},
            "rows": rows,
            "upcoming": upcoming,
        },
    )


# --- drafts ------------------------------------------------------------------------------------


@login_required
def drafts(request: HttpRequest, reference: str) -> HttpResponse:
    review = review_for(request, reference, Cap.VIEW_DOCUMENTS, "drafts")
    caps = review.viewer_caps  # type: ignore[attr-defined]
    which = request.POST.get("form") if request.method == "POST" else None
    if request.method == "POST":
        require(request, review, Cap.EDIT_DRAFTS, "drafts")
    versions = list(selectors.versions(review))
    can_edit = Cap.EDIT_DRAFTS in caps
    upload_form = circulate_form = None
    if can_edit:
        upload_form = forms.UploadForm(
            request.POST if which == "upload" else None,
            request.FILES if which == "upload" else None,
            prefix="upload",
        )
        circulate_form = forms.CirculateForm(
            request.POST if which == "circulate" else None,
            review=review,
            versions=versions,
            prefix="circulate",
            initial={"circulated_on": timezone.localdate()},
        )
    if which == "upload" and upload_form is not None and upload_form.is_valid():
        data = upload_form.cleaned_data
        try:
            version = services.draft_upload(
                review=review,
                by=request.user,
                kind=data["kind"],
                filename=data["file"].name,
                content=data["file"].read(),
                note=data["note"],
                final=data["final"],
            )
        except ValidationError as error:
            forms.add_service_errors(upload_form, error)
        else:
            return _saved(
                request,
                _("Version %(n)d of the %(doc)s uploaded.")
                % {"n": version.version, "doc": str(version.get_kind_display()).lower()},
                "drafts",
                review,
            )
    if which == "final":
        version = _version(review, request.POST.get("version"))
        try:
            services.draft_mark_final(version=version, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Version %(n)d of the %(doc)s is now the final.")
                % {"n": version.version, "doc": str(version.get_kind_display()).lower()},
            )
        return redirect("publishing:drafts", reference=review.reference)
    if which == "circulate" and circulate_form is not None and circulate_form.is_valid():
        data = circulate_form.cleaned_data
        agencies, members = circulate_form.chosen()
        try:
            services.circulation_create(
                version=_version(review, data["version"]),
                by=request.user,
                circulated_on=data["circulated_on"],
                due_on=data["due_on"],
                agencies=agencies,
                panel_members=members,
                note=data["note"],
            )
        except ValidationError as error:
            forms.add_service_errors(circulate_form, error)
        else:
            return _saved(request, _("The draft has been circulated."), "comments", review)
    statuses = selectors.anonymisation_statuses(review)
    have = selectors.finals(review)
    groups = []
    for kind, label in DraftKind.choices:
        of_kind = [v for v in versions if v.kind == kind]
        final = have.get(kind)
        groups.append(
            {
                "kind": kind,
                "label": label,
                "versions": of_kind,
                "final": final,
                "anonymisation": statuses.get(kind) if final else None,
            }
        )
    return render_page(
        request,
        "publishing/drafts.html",
        review,
        "drafts",
        {
            "title": page_title(
                _("Drafts: %(ref)s") % {"ref": review.reference}, upload_form, circulate_form
            ),
            "groups": groups,
            "upload_form": upload_form,
            "circulate_form": circulate_form if versions else None,
            "can_edit": can_edit,
            "published": selectors.publication_of(review) is not None,
            "anonymisation_url": _anonymisation_url(review, caps),
        },
    )


def _anonymisation_url(review: Review, caps: frozenset[str]) -> str | None:
    if Cap.CHECK_ANONYMISATION not in caps:
        return None
    from django.urls import reverse

    return reverse("anonymisation:checks", kwargs={"reference": review.reference})


def _version(review: Review, value: Any) -> DraftVersion:
    try:
        return DraftVersion.objects.defer("content").get(review=review, pk=int(value))
    except (TypeError, ValueError, DraftVersion.DoesNotExist):
        raise Http404


@login_required
def draft_download(request: HttpRequest, reference: str, version_id: int) -> HttpResponse:
    review = review_for(request, reference, Cap.VIEW_DOCUMENTS, "draft")
    version = DraftVersion.objects.filter(review=review, pk=version_id).first()
    if version is None:
        raise Http404
    return download(
        request=request,
        review=review,
        content=version.content,
        filename=f"{review.reference}-{version.kind.replace('_', '-')}-v{version.version}"
        f".{version.format}",
        content_type=version.content_type,
        what="draft",
        object_id=str(version.pk),
    )


# --- circulation and comments ------------------------------------------------------------------


@login_required
def comments(request: HttpRequest, reference: str) -> HttpResponse:
    review = review_for(request, reference, Cap.COMMENT_ON_DRAFTS, "factual-accuracy comments")
    caps = review.viewer_caps  # type: ignore[attr-defined]
    user = request.user
    which = request.POST.get("form") if request.method == "POST" else None
    circulations = list(
        selectors.circulations_visible(review=review, user=user, caps=caps).prefetch_related(
            "agencies", "panel_members"
        )
    )
    sees_all = selectors.sees_every_agency(caps)
    on_behalf = Cap.MANAGE_PUBLICATION in caps
    agencies = forms.review_agencies(review) if on_behalf else []
    comment_form = forms.CommentForm(
        request.POST if which == "comment" else None,
        circulations=circulations,
        agencies=agencies,
        prefix="comment",
    )
    respond_form = None
    if which == "comment" and comment_form.is_valid():
        data = comment_form.cleaned_data
        circulation = next((c for c in circulations if c.pk == data["circulation"]), None)
        if circulation is None:
            raise Http404
        agency = Organisation.objects.filter(pk=data["agency"]).first() if data["agency"] else None
        try:
            services.comment_add(
                circulation=circulation,
                by=user,
                text=data["text"],
                section=data["section"],
                agency=agency,
                received_on=data["received_on"],
            )
        except ValidationError as error:
            forms.add_service_errors(comment_form, error)
        else:
            return _saved(request, _("Comment saved."), "comments", review)
    if which == "respond":
        require(request, review, Cap.EDIT_DRAFTS, "factual-accuracy comments")
        respond_form = forms.RespondForm(request.POST, prefix="respond")
        if respond_form.is_valid():
            comment = (
                DraftComment.objects.filter(
                    circulation__review=review, pk=respond_form.cleaned_data["comment"]
                )
                .select_related("circulation", "agency")
                .first()
            )
            if comment is None:
                raise Http404
            try:
                services.comment_respond(
                    comment=comment,
                    by=user,
                    response=respond_form.cleaned_data["response"],
                    reason=respond_form.cleaned_data["reason"],
                )
            except ValidationError as error:
                forms.add_service_errors(respond_form, error)
            else:
                return _saved(request, _("Response saved."), "comments", review)
    visible = list(selectors.comments_visible(review=review, user=user, caps=caps))
    own = user_agencies_on_review(user=user, review=review)
    rows = []
    for circulation in circulations:
        reached = services.circulation_recipient_agencies(circulation=circulation)
        rows.append(
            {
                "circulation": circulation,
                "comments": [c for c in visible if c.circulation_id == circulation.pk],
                "may_comment": bool(reached & own) or on_behalf,
                "overdue": circulation.due_on < timezone.localdate(),
            }
        )
    return render_page(
        request,
        "publishing/comments.html",
        review,
        "factual-accuracy comments",
        {
            "title": page_title(
                _("Factual-accuracy comments: %(ref)s") % {"ref": review.reference},
                comment_form,
                respond_form,
            ),
            "rows": rows,
            "comment_form": comment_form if circulations else None,
            "respond_form": respond_form,
            "respond_choices": forms.RespondForm.base_fields["response"].choices,
            "can_respond": Cap.EDIT_DRAFTS in caps,
            "sees_all": sees_all,
            "on_behalf": on_behalf,
        },
    )


@login_required
def circulation_download(request: HttpRequest, reference: str, circulation_id: int) -> HttpResponse:
    """The circulated version, for those it was circulated to (and those who run the report)."""
    review = review_for(request, reference, Cap.COMMENT_ON_DRAFTS, "circulated draft")
    caps = review.viewer_caps  # type: ignore[attr-defined]
    circulation = (
        selectors.circulations_visible(review=review, user=request.user, caps=caps)
        .filter(pk=circulation_id)
        .first()
    )
    if circulation is None:
        raise Http404
    version = DraftVersion.objects.get(pk=circulation.version_id)
    return download(
        request=request,
        review=review,
        content=version.content,
        filename=f"{review.reference}-{version.kind.replace('_', '-')}-v{version.version}-draft"
        f".{version.format}",
        content_type=version.content_type,
        what="circulated draft",
        object_id=str(version.pk),
    )


# --- the family's reading ----------------------------------------------------------------------


@login_required
def family(request: HttpRequest, reference: str) -> HttpResponse:
    review = review_for(request, reference, Cap.VIEW_FAMILY, "family reading")
    caps = review.viewer_caps  # type: ignore[attr-defined]
    which = request.POST.get("form") if request.method == "POST" else None
    if request.method == "POST":
        require(request, review, Cap.MANAGE_PUBLICATION, "family reading")
    versions = list(selectors.versions(review))
    can_record = Cap.MANAGE_PUBLICATION in caps
    form = None
    if can_record:
        form = forms.FamilyReadingForm(
            request.POST if which == "reading" else None,
            review=review,
            versions=versions,
            prefix="reading",
        )
    if which == "reading" and form is not None and form.is_valid():
        data = dict(form.cleaned_data)
        version = _version(review, data.pop("version")) if data.get("version") else None
        data.pop("version", None)
        person_id = data.pop("person")
        person = review.people.filter(pk=person_id).first() if person_id else None
        try:
            services.family_reading_record(
                review=review, by=request.user, version=version, person=person, **data
            )
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            return _saved(request, _("The family's reading recorded."), "family", review)
    if which == "update":
        reading = selectors.family_readings(review).filter(pk=request.POST.get("reading")).first()
        if reading is None:
            raise Http404
        update = forms.FamilyUpdateForm(request.POST, prefix=f"r{reading.pk}")
        if update.is_valid():
            data = update.cleaned_data
            try:
                services.family_reading_update(
                    reading=reading,
                    by=request.user,
                    read_on=data["read_on"],
                    declined=data["declined"],
                    comments=data["comments"],
                    how_addressed=data["how_addressed"],
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The family's reading updated."))
        else:
            messages.error(request, _("Check the dates and try again."))
        return redirect("publishing:family", reference=review.reference)
    readings = list(selectors.family_readings(review))
    for reading in readings:
        reading.update_form = (
            forms.FamilyUpdateForm(
                prefix=f"r{reading.pk}",
                initial={
                    "read_on": reading.read_on,
                    "declined": reading.declined,
                    "comments": reading.comments,
                    "how_addressed": reading.how_addressed,
                },
            )
            if can_record
            else None
        )
    return render_page(
        request,
        "publishing/family.html",
        review,
        "family reading",
        {
            "title": page_title(
                _("The family's reading of the draft: %(ref)s") % {"ref": review.reference}, form
            ),
            "readings": readings,
            "form": form,
        },
    )
