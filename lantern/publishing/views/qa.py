"""CSP sign-off, the Home Office submission pack and its checklist, the QA rounds, and the
publication record with the files frozen as published."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.core.errors import ProblemsError
from lantern.publishing import forms, selectors, services, services_qa
from lantern.publishing.models import PublishedFile, QaSubmission, RequiredChange
from lantern.publishing.pack import GAP, checklist
from lantern.publishing.views.common import download, page_title, render_page, require, review_for
from lantern.reviews.access import Cap
from lantern.reviews.models import Stage

ZIP_TYPE = "application/zip"


def _problems_to_form(form: forms.forms.Form, error: ProblemsError) -> None:
    for problem in error.problems:
        form.add_error(None, problem.message)


# --- CSP sign-off ------------------------------------------------------------------------------


@login_required
def signoff(request: HttpRequest, reference: str) -> HttpResponse:
    review = review_for(request, reference, Cap.VIEW_PUBLICATION, "CSP sign-off")
    caps = review.viewer_caps  # type: ignore[attr-defined]
    if request.method == "POST":
        require(request, review, Cap.EDIT_DRAFTS, "CSP sign-off")
        require(request, review, Cap.TRANSITION, "CSP sign-off")
    can_record = Cap.EDIT_DRAFTS in caps and Cap.TRANSITION in caps
    form = None
    if can_record:
        form = forms.SignOffForm(
            request.POST if request.method == "POST" else None,
            prefix="signoff",
            initial={"signed_off_on": timezone.localdate()},
        )
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.signoff_record(review=review, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(request, _("The CSP's sign-off is recorded."))
            return redirect("publishing:signoff", reference=review.reference)
    from lantern.publishing.models import CspSignOff

    return render_page(
        request,
        "publishing/signoff.html",
        review,
        "CSP sign-off",
        {
            "title": page_title(_("CSP sign-off: %(ref)s") % {"ref": review.reference}, form),
            "signoffs": list(
                CspSignOff.objects.filter(review=review).select_related("overview", "summary")
            ),
            "current": selectors.signoff_current(review),
            "finals": selectors.finals(review),
            "form": form,
            "open_stage": review.stage in (Stage.DRAFTING, Stage.CSP_SIGNOFF),
        },
    )


# --- the submission pack -----------------------------------------------------------------------


@login_required
def pack(request: HttpRequest, reference: str) -> HttpResponse:
    review = review_for(request, reference, Cap.VIEW_PUBLICATION, "submission pack")
    caps = review.viewer_caps  # type: ignore[attr-defined]
    can_build = Cap.MANAGE_PUBLICATION in caps and Cap.VIEW_DOCUMENTS in caps
    form = forms.PackForm(request.POST if request.method == "POST" else None, prefix="pack")
    if request.method == "POST":
        require(request, review, Cap.MANAGE_PUBLICATION, "submission pack")
        require(request, review, Cap.VIEW_DOCUMENTS, "submission pack")
        if form.is_valid():
            try:
                built = services_qa.pack_download(
                    review=review,
                    by=request.user,
                    include_briefing=form.cleaned_data["include_briefing"],
                )
            except ProblemsError as error:
                _problems_to_form(form, error)
            else:
                response = HttpResponse(built.content, content_type=ZIP_TYPE)
                response["Content-Disposition"] = f'attachment; filename="{built.filename}"'
                return response
    items = checklist(review)
    return render_page(
        request,
        "publishing/pack.html",
        review,
        "submission pack",
        {
            "title": page_title(
                _("Home Office submission pack: %(ref)s") % {"ref": review.reference}, form
            ),
            "items": items,
            "gaps": sum(1 for i in items if i.status == GAP),
            "form": form if can_build else None,
            "finals": selectors.finals(review),
        },
    )


# --- QA rounds ---------------------------------------------------------------------------------


@login_required
def qa(request: HttpRequest, reference: str) -> HttpResponse:
    review = review_for(request, reference, Cap.VIEW_PUBLICATION, "Home Office QA")
    caps = review.viewer_caps  # type: ignore[attr-defined]
    which = request.POST.get("form") if request.method == "POST" else None
    manage = Cap.MANAGE_PUBLICATION in caps
    if request.method == "POST":
        need = Cap.EDIT_DRAFTS if which == "resolve" else Cap.MANAGE_PUBLICATION
        require(request, review, need, "Home Office QA")
    rounds = list(selectors.submissions(review))
    latest = rounds[0] if rounds else None
    submit_form = feedback_form = change_form = resolve_form = None
    if manage and review.stage == Stage.CSP_SIGNOFF:
        submit_form = forms.SubmitForm(
            request.POST if which == "submit" else None,
            prefix="submit",
            initial={"submitted_on": timezone.localdate()},
        )
    if manage and latest is not None and not latest.outcome:
        feedback_form = forms.FeedbackForm(
            request.POST if which == "feedback" else None,
            request.FILES if which == "feedback" else None,
            prefix="feedback",
        )
    if manage and latest is not None and latest.outcome and review.stage != Stage.PUBLISHED:
        change_form = forms.ChangeForm(request.POST if which == "change" else None, prefix="change")
    if which == "submit" and submit_form is not None and submit_form.is_valid():
        data = submit_form.cleaned_data
        try:
            submission = services_qa.qa_submit(
                review=review,
                by=request.user,
                submitted_on=data["submitted_on"],
                include_briefing=data["include_briefing"],
                note=data["note"],
            )
        except ValidationError as error:
            forms.add_service_errors(submit_form, error)
        except ProblemsError as error:
            _problems_to_form(submit_form, error)
        else:
            messages.success(
                request,
                _("Round %(r)d submitted to the Home Office QA panel.") % {"r": submission.round},
            )
            return redirect("publishing:qa", reference=review.reference)
    if which == "feedback" and feedback_form is not None and feedback_form.is_valid():
        data = feedback_form.cleaned_data
        upload = data["letter"]
        try:
            services_qa.qa_feedback_record(
                submission=QaSubmission.objects.get(pk=latest.pk),  # type: ignore[union-attr]
                by=request.user,
                outcome=data["outcome"],
                letter_received_on=data["letter_received_on"],
                strengths=data["strengths"],
                notes=data["notes"],
                changes=feedback_form.change_list(),
                letter_filename=upload.name if upload else "",
                letter=upload.read() if upload else None,
            )
        except ValidationError as error:
            forms.add_service_errors(feedback_form, error)
        else:
            review.refresh_from_db()
            messages.success(
                request,
                _("The panel's letter is recorded. The review is now at the stage “%(s)s”.")
                % {"s": review.get_stage_display()},
            )
            return redirect("publishing:qa", reference=review.reference)
    if which == "change" and change_form is not None and change_form.is_valid():
        try:
            services_qa.required_change_add(
                submission=latest,
                by=request.user,
                **change_form.cleaned_data,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            forms.add_service_errors(change_form, error)
        else:
            messages.success(request, _("Change added."))
            return redirect("publishing:qa", reference=review.reference)
    if which == "resolve":
        resolve_form = forms.ResolveForm(request.POST, prefix="resolve")
        if resolve_form.is_valid():
            change = RequiredChange.objects.filter(
                submission__review=review, pk=resolve_form.cleaned_data["change"]
            ).first()
            if change is None:
                raise Http404
            try:
                services_qa.required_change_resolve(
                    change=change,
                    by=request.user,
                    resolution=resolve_form.cleaned_data["resolution"],
                    resolved_on=resolve_form.cleaned_data["resolved_on"],
                )
            except ValidationError as error:
                forms.add_service_errors(resolve_form, error)
            else:
                messages.success(request, _("Change %(n)d resolved.") % {"n": change.number})
                return redirect("publishing:qa", reference=review.reference)
    return render_page(
        request,
        "publishing/qa.html",
        review,
        "Home Office QA",
        {
            "title": page_title(
                _("Home Office QA: %(ref)s") % {"ref": review.reference},
                submit_form,
                feedback_form,
                change_form,
                resolve_form,
            ),
            "rounds": rounds,
            "submit_form": submit_form,
            "feedback_form": feedback_form,
            "change_form": change_form,
            "resolve_form": resolve_form,
            "can_resolve": Cap.EDIT_DRAFTS in caps and review.stage != Stage.PUBLISHED,
            "today": timezone.localdate(),
            "signoff_current": selectors.signoff_current(review),
        },
    )


@login_required
def qa_letter(request: HttpRequest, reference: str, submission_id: int) -> HttpResponse:
    review = review_for(request, reference, Cap.VIEW_PUBLICATION, "QA letter")
    submission = (
        QaSubmission.objects.filter(review=review, pk=submission_id)
        .exclude(letter_filename="")
        .first()
    )
    if submission is None:
        raise Http404
    return download(
        request=request,
        review=review,
        content=submission.letter,
        filename=submission.letter_filename,
        content_type=submission.letter_content_type,
        what="QA letter",
        object_id=str(submission.pk),
    )


@login_required
def qa_pack(request: HttpRequest, reference: str, submission_id: int) -> HttpResponse:
    """The pack exactly as submitted in a round (it holds the documents: VIEW_DOCUMENTS)."""
    review = review_for(request, reference, Cap.VIEW_DOCUMENTS, "submitted pack")
    submission = QaSubmission.objects.filter(review=review, pk=submission_id).first()
    if submission is None:
        raise Http404
    return download(
        request=request,
        review=review,
        content=submission.pack,
        filename=submission.pack_filename,
        content_type=ZIP_TYPE,
        what="submitted pack",
        object_id=str(submission.pk),
    )


# --- publication -------------------------------------------------------------------------------


@login_required
def publish(request: HttpRequest, reference: str) -> HttpResponse:
    review = review_for(request, reference, Cap.VIEW_PUBLICATION, "publication record")
    caps = review.viewer_caps  # type: ignore[attr-defined]
    which = request.POST.get("form") if request.method == "POST" else None
    if request.method == "POST":
        require(request, review, Cap.MANAGE_PUBLICATION, "publication record")
    publication = selectors.publication_of(review)
    manage = Cap.MANAGE_PUBLICATION in caps
    blockers = selectors.publication_blockers(review) if publication is None else []
    publish_form = copies_form = None
    if manage and publication is None:
        publish_form = forms.PublicationForm(
            request.POST if which == "publish" else None,
            prefix="publish",
            initial={"published_on": timezone.localdate()},
        )
    if manage and publication is not None:
        copies_form = forms.CopiesForm(
            request.POST if which == "copies" else None,
            prefix="copies",
            initial={
                "location": publication.location,
                "commissioner_sent_on": publication.commissioner_sent_on,
                "home_office_sent_on": publication.home_office_sent_on,
                "family_told_on": publication.family_told_on,
            },
        )
    if which == "publish" and publish_form is not None and publish_form.is_valid():
        try:
            services_qa.publication_record(
                review=review, by=request.user, **publish_form.cleaned_data
            )
        except ValidationError as error:
            forms.add_service_errors(publish_form, error)
        else:
            messages.success(
                request, _("Published. The published files are frozen as they were published.")
            )
            return redirect("publishing:publish", reference=review.reference)
    if which == "copies" and copies_form is not None and copies_form.is_valid():
        try:
            services_qa.publication_update(
                publication=publication,  # type: ignore[arg-type]
                by=request.user,
                **copies_form.cleaned_data,
            )
        except ValidationError as error:
            forms.add_service_errors(copies_form, error)
        else:
            messages.success(request, _("Publication record updated."))
            return redirect("publishing:publish", reference=review.reference)
    files = (
        list(PublishedFile.objects.filter(publication=publication).defer("content"))
        if publication
        else []
    )
    return render_page(
        request,
        "publishing/publish.html",
        review,
        "publication record",
        {
            "title": page_title(
                _("Publication: %(ref)s") % {"ref": review.reference}, publish_form, copies_form
            ),
            "publication": publication,
            "files": files,
            "blockers": blockers,
            "publish_form": publish_form,
            "copies_form": copies_form,
        },
    )


@login_required
def published_file(request: HttpRequest, reference: str, file_id: int) -> HttpResponse:
    review = review_for(request, reference, Cap.VIEW_PUBLICATION, "published file")
    file = PublishedFile.objects.filter(publication__review=review, pk=file_id).first()
    if file is None:
        raise Http404
    return download(
        request=request,
        review=review,
        content=file.content,
        filename=file.filename,
        content_type=file.content_type,
        what="published file",
        object_id=str(file.pk),
    )
