"""Chronology pages: imports. Mounted under /reviews/<reference>/chronology/.

- `import/`: choose an agency (only those whose material the viewer may change), upload one or
  more XLSX/CSV files, and see either what was imported (with any warnings) or every problem
  that refused the files, with "nothing was stored". Below, the files already imported for the
  agencies whose material the viewer may see.
- `template.xlsx`, `template.csv`: the template agencies fill in.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantern.accounts.models import Organisation
from lantern.chronology import services
from lantern.chronology.models import ChronologyFile
from lantern.chronology.selectors import agency_ids_editable, agency_ids_visible
from lantern.chronology.templates_xlsx import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    template_csv,
    template_filename,
    template_xlsx,
)
from lantern.core.models import AuditEvent
from lantern.core.services import audit_record
from lantern.reviews.access import Cap, review_get_for_user
from lantern.reviews.models import Review, ReviewAgency

ACCEPT = ".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """One or more files from one <input type="file" multiple>."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            if not data and self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class ImportForm(forms.Form):
    agency = forms.TypedChoiceField(
        label=gettext_lazy("Agency"),
        coerce=int,
        help_text=gettext_lazy("The agency whose chronology this is"),
        error_messages={
            "required": gettext_lazy("Select the agency whose chronology this is"),
            "invalid_choice": gettext_lazy("Select one of the agencies listed"),
        },
    )
    files = MultipleFileField(
        label=gettext_lazy("Chronology files"),
        help_text=gettext_lazy(
            "Excel workbooks (.xlsx) or CSV files, up to 20 MB each. You can choose more than "
            "one file. A corrected file replaces the agency's earlier entries; entries that did "
            "not change keep their analyst comments."
        ),
        error_messages={"required": gettext_lazy("Choose at least one file to import")},
    )

    def __init__(self, *args: Any, agencies: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[Any, str]] = [(a.pk, a.name) for a in agencies]
        if len(choices) != 1:
            choices.insert(0, ("", _("Select an agency")))
        self.fields["agency"].choices = choices

    def clean_files(self) -> list[Any]:
        files = self.cleaned_data["files"]
        if len(files) > services.MAX_FILES:
            raise forms.ValidationError(
                _("Import at most %(max)d files at a time") % {"max": services.MAX_FILES}
            )
        if sum(upload.size for upload in files) > services.MAX_TOTAL_SIZE:
            raise forms.ValidationError(
                _("The files come to more than %(size)d MB: import them in smaller groups")
                % {"size": services.MAX_TOTAL_SIZE // (1024 * 1024)}
            )
        for upload in files:
            if upload.size > services.MAX_FILE_SIZE:
                raise forms.ValidationError(
                    _("%(name)s is larger than 20 MB: split it into smaller files")
                    % {"name": upload.name}
                )
        return files


def _editable_agencies(review: Review, user: Any) -> list[Organisation]:
    """Agencies the viewer may import for: the review's agencies (all of them for the
    coordinator, chair and author; an agency author's own)."""
    editable = agency_ids_editable(user=user, review=review)
    on_review = ReviewAgency.objects.filter(review=review).values("organisation")
    if editable is None:
        queryset = Organisation.objects.filter(pk__in=on_review)
    else:
        queryset = Organisation.objects.filter(pk__in=editable).exclude(type=Organisation.Type.CSP)
    return list(queryset.order_by("name"))


def _previous_imports(review: Review, user: Any) -> list[ChronologyFile]:
    visible = agency_ids_visible(user=user, review=review)
    files = (
        ChronologyFile.objects.filter(review=review)
        .defer("content")
        .select_related("agency", "uploaded_by")
        .annotate(entry_count=Count("entries"))
        .order_by("agency__name", "-uploaded_at", "-id")
    )
    if visible is not None:
        files = files.filter(agency_id__in=visible)
    return list(files)


def _problem_rows(problems: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "file": p.file,
            "sheet": p.sheet,
            "row": p.row,
            "column": p.column,
            "message": p.message,
            "value": p.value,
        }
        for p in problems
    ]


@login_required
def import_page(request: HttpRequest, reference: str) -> HttpResponse:
    review = review_get_for_user(
        user=request.user,
        reference=reference,
        need=Cap.VIEW_CHRONOLOGY,
        what="chronology imports",
        audit=request.method == "GET",
    )
    agencies = _editable_agencies(review, request.user)
    result = None
    form = None
    if agencies:
        initial = {}
        wanted = request.GET.get("agency", "")
        if wanted.isdigit() and any(a.pk == int(wanted) for a in agencies):
            initial["agency"] = int(wanted)
        form = ImportForm(
            request.POST or None,
            request.FILES or None,
            agencies=agencies,
            initial=initial,
        )
    if request.method == "POST":
        if form is None:
            audit_record(
                action=AuditEvent.Action.ACCESS_DENIED,
                by=request.user,
                review=review,
                object_type="chronology",
                summary="Refused: import a chronology",
            )
            raise PermissionDenied
        if form.is_valid():
            agency = next(a for a in agencies if a.pk == form.cleaned_data["agency"])
            uploads = [(u.name, u.read()) for u in form.cleaned_data["files"]]
            result = services.chronology_import(
                review=review, agency=agency, files=uploads, by=request.user
            )
            if result.stored:
                form = ImportForm(agencies=agencies, initial={"agency": agency.pk})
        # What follows shows agencies' material again: recorded as a read, like the GET.
        audit_record(
            action=AuditEvent.Action.READ,
            by=request.user,
            review=review,
            object_type="chronology imports",
            object_id=review.reference,
            summary="Viewed chronology imports",
        )
    refused = result is not None and not result.stored
    title = _("Import a chronology") if form is not None else _("Chronology files")
    if refused or (form is not None and form.is_bound and form.errors):
        title = _("Error: %(title)s") % {"title": title}
    return render(
        request,
        "chronology/import_page.html",
        {
            "review": review,
            "caps": review.viewer_caps,
            "title": title,
            "form": form,
            "result": result,
            "refused": refused,
            "errors": _problem_rows(result.errors) if result else [],
            "warnings": _problem_rows(result.warnings) if result else [],
            "previous": _previous_imports(review, request.user),
        },
        status=200,
    )


def _template_review(request: HttpRequest, reference: str) -> Review:
    # The template holds no review data, but access is checked and the read recorded like every
    # other review URL.
    return review_get_for_user(
        user=request.user,
        reference=reference,
        need=Cap.VIEW_CHRONOLOGY,
        what="chronology template",
    )


@login_required
def template_xlsx_download(request: HttpRequest, reference: str) -> HttpResponse:
    review = _template_review(request, reference)
    response = HttpResponse(template_xlsx(reference=review.reference), XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{template_filename("xlsx", review.reference)}"'
    )
    return response


@login_required
def template_csv_download(request: HttpRequest, reference: str) -> HttpResponse:
    review = _template_review(request, reference)
    response = HttpResponse(template_csv(), CSV_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{template_filename("csv", review.reference)}"'
    )
    return response


urlpatterns: list = [
    path("import/", import_page, name="import"),
    path("template.xlsx", template_xlsx_download, name="template_xlsx"),
    path("template.csv", template_csv_download, name="template_csv"),
]
