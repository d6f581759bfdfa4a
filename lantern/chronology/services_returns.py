"""Writes about agencies' returns: scoping questions, requests for chronologies and IMRs,
receipts, chasers, sharing with the panel, and the IMR itself (sections, sign-off, documents).

Views, the API and the CLI all call these. Each is one transaction, checks the caller's
capability again, and records one timeline event (which is also an audit write).

Who may do what:
- the coordinator (MANAGE_RETURNS) asks agencies, requests chronologies and IMRs, records what
  arrived and sends chasers;
- an agency author (EDIT_OWN_AGENCY_MATERIAL, for their own agency only) answers the contact
  question for their agency and writes, signs off and uploads its IMR; the coordinator may do
  any of these for any agency;
- the coordinator and the chair (SHARE_AGENCY_MATERIAL) share an agency's material with the panel.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import zipfile
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lantern.accounts.models import Organisation, ReviewRole
from lantern.chronology import imr_template
from lantern.chronology.models import IMR, AgencyReturn, Chaser, ChronologyFile, IMRDocument
from lantern.chronology.selectors import agency_ids_visible, can_edit_agency
from lantern.chronology.selectors_returns import return_due_date
from lantern.core.uploads import UploadRefused, content_check, scan_upload
from lantern.reviews.access import Cap, ensure_can
from lantern.reviews.models import Membership, Review, ReviewEvent
from lantern.reviews.services import review_event_record

REQUEST_KINDS = ("chronology", "imr", "summary")
CHASER_ABOUT = ("answer", "chronology", "imr")
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_CONTENT_TYPE = "application/pdf"


# --- checks ------------------------------------------------------------------------------------


def _today() -> date:
    return timezone.localdate()


def _not_future(value: date | None, field: str, label: str) -> None:
    if value is not None and value > _today():
        raise ValidationError({field: _("%(label)s cannot be in the future.") % {"label": label}})


def _ensure_agency_editable(*, by: Any, review: Review, agency_id: int) -> None:
    """Agency authors only for their own agency; the coordinator for any.

    An agency whose material the caller may not even see is 404, as for the pages.
    """
    caps = ensure_can(user=by, review=review, need=Cap.EDIT_OWN_AGENCY_MATERIAL)
    if can_edit_agency(user=by, review=review, agency_id=agency_id):
        return
    visible = agency_ids_visible(user=by, review=review)
    if Cap.VIEW_CHRONOLOGY not in caps or (visible is not None and agency_id not in visible):
        raise Http404
    raise PermissionDenied


def _agencies_on_review(review: Review, agencies: Iterable[Organisation]) -> list[Organisation]:
    unique = list({a.pk: a for a in agencies}.values())
    if not unique:
        raise ValidationError({"agencies": _("Choose at least one agency.")})
    on_review = set(
        review.agencies.filter(organisation__in=unique).values_list("organisation_id", flat=True)
    ) | set(
        AgencyReturn.objects.filter(review=review, agency__in=unique).values_list(
            "agency_id", flat=True
        )
    )
    missing = [a.name for a in unique if a.pk not in on_review]
    if missing:
        raise ValidationError(
            {
                "agencies": _("Add these agencies to the review first: %(names)s")
                % {"names": ", ".join(missing)}
            }
        )
    return sorted(unique, key=lambda a: a.name)


def _return_for(review: Review, agency: Organisation) -> AgencyReturn:
    agency_return, _created = AgencyReturn.objects.select_for_update().get_or_create(
        review=review, agency=agency
    )
    return agency_return


def _names(agencies: Iterable[Organisation]) -> str:
    return ", ".join(a.name for a in agencies)


def _event(*, review: Review, by: Any, summary: str, data: dict) -> None:
    review_event_record(
        review=review, by=by, kind=ReviewEvent.Kind.AGENCY, summary=summary, data=data
    )


def _day(value: date) -> str:
    return date_format(value, "j F Y")


# --- scoping: the contact question -------------------------------------------------------------


@transaction.atomic
def returns_ask(
    *,
    review: Review,
    by: Any,
    agencies: Iterable[Organisation],
    asked_on: date,
    secure_records: bool = True,
) -> list[AgencyReturn]:
    """Ask agencies whether they had contact with the people in the review (and, by default,
    tell them to secure their records). The answer is due a configured number of working days
    later (15 by default), skipping weekends and bank holidays."""
    ensure_can(user=by, review=review, need=Cap.MANAGE_RETURNS)
    _not_future(asked_on, "asked_on", _("The date asked"))
    chosen = _agencies_on_review(review, agencies)
    due = return_due_date(asked_on)
    rows = []
    for agency in chosen:
        agency_return = _return_for(review, agency)
        agency_return.asked_on = asked_on
        agency_return.answer_due_on = due
        if secure_records:
            agency_return.records_secured_on = asked_on
        agency_return.full_clean()
        agency_return.save()
        rows.append(agency_return)
    summary = _("Asked %(agencies)s whether they had contact; answers due %(due)s") % {
        "agencies": _names(chosen),
        "due": _day(due),
    }
    if secure_records:
        summary += _("; told to secure records")
    _event(
        review=review,
        by=by,
        summary=summary,
        data={
            "action": "asked",
            "agencies": [a.pk for a in chosen],
            "asked_on": asked_on.isoformat(),
            "due_on": due.isoformat(),
            "secure_records": secure_records,
        },
    )
    return rows


@transaction.atomic
def return_answer(
    *,
    agency_return: AgencyReturn,
    by: Any,
    answer: str,
    answered_on: date,
    contact_from: date | None = None,
    contact_to: date | None = None,
) -> AgencyReturn:
    """Record an agency's answer to the contact question, with the period of contact."""
    review = agency_return.review
    _ensure_agency_editable(by=by, review=review, agency_id=agency_return.agency_id)
    if answer not in (AgencyReturn.Answer.CONTACT, AgencyReturn.Answer.NO_CONTACT):
        raise ValidationError({"answer": _("Say whether the agency had contact.")})
    _not_future(answered_on, "answered_on", _("The date answered"))
    if answer == AgencyReturn.Answer.NO_CONTACT:
        contact_from = contact_to = None
    if contact_from and contact_to and contact_from > contact_to:
        raise ValidationError(
            {"contact_to": _("The end of the contact period must be after its start.")}
        )
    if contact_to and contact_to > answered_on:
        raise ValidationError(
            {"contact_to": _("The contact period cannot end after the date of the answer.")}
        )
    agency_return = AgencyReturn.objects.select_for_update().get(pk=agency_return.pk)
    agency_return.answer = answer
    agency_return.answered_on = answered_on
    agency_return.contact_from = contact_from
    agency_return.contact_to = contact_to
    agency_return.full_clean()
    agency_return.save()
    if answer == AgencyReturn.Answer.CONTACT:
        summary = _("%(agency)s had contact") % {"agency": agency_return.agency.name}
        if contact_from or contact_to:
            start = _day(contact_from) if contact_from else "?"
            end = _day(contact_to) if contact_to else "?"
            summary += f" ({start} – {end})"
    else:
        summary = _("%(agency)s had no contact") % {"agency": agency_return.agency.name}
    _event(
        review=review,
        by=by,
        summary=summary,
        data={
            "action": "answered",
            "agency": agency_return.agency_id,
            "answer": answer,
            "answered_on": answered_on.isoformat(),
        },
    )
    return agency_return


# --- requests, receipts and chasers ------------------------------------------------------------


def _kind_label(what: str) -> str:
    return {
        "answer": _("answer to the contact question"),
        "chronology": _("chronology"),
        "imr": _("IMR"),
        "summary": _("summary of involvement"),
    }[what]


@transaction.atomic
def returns_request(
    *,
    review: Review,
    by: Any,
    agencies: Iterable[Organisation],
    what: str,
    requested_on: date,
    due_on: date | None = None,
) -> list[AgencyReturn]:
    """Request chronologies, IMRs or summaries of involvement from agencies. Without a due date
    they are due the configured number of working days after the request."""
    ensure_can(user=by, review=review, need=Cap.MANAGE_RETURNS)
    if what not in REQUEST_KINDS:
        raise ValidationError(
            {"what": _("Choose a chronology, an IMR or a summary of involvement.")}
        )
    _not_future(requested_on, "requested_on", _("The date requested"))
    due = due_on or return_due_date(requested_on)
    if due < requested_on:
        raise ValidationError({"due_on": _("The due date must be after the date requested.")})
    chosen = _agencies_on_review(review, agencies)
    rows = []
    for agency in chosen:
        agency_return = _return_for(review, agency)
        if what == "chronology":
            agency_return.chronology_requested_on = requested_on
            agency_return.chronology_due_on = due
        else:
            agency_return.imr_kind = what
            agency_return.imr_requested_on = requested_on
            agency_return.imr_due_on = due
            IMR.objects.filter(review=review, agency=agency).update(kind=what)
        agency_return.full_clean()
        agency_return.save()
        rows.append(agency_return)
    _event(
        review=review,
        by=by,
        summary=_("Requested a %(what)s from %(agencies)s, due %(due)s")
        % {"what": _kind_label(what), "agencies": _names(chosen), "due": _day(due)},
        data={
            "action": "requested",
            "what": what,
            "agencies": [a.pk for a in chosen],
            "requested_on": requested_on.isoformat(),
            "due_on": due.isoformat(),
        },
    )
    return rows


@transaction.atomic
def return_received(
    *, agency_return: AgencyReturn, by: Any, what: str, received_on: date
) -> AgencyReturn:
    """Record that an agency's chronology or IMR (or summary) arrived."""
    review = agency_return.review
    ensure_can(user=by, review=review, need=Cap.MANAGE_RETURNS)
    if what not in REQUEST_KINDS:
        raise ValidationError({"what": _("Choose a chronology or an IMR.")})
    _not_future(received_on, "received_on", _("The date received"))
    agency_return = AgencyReturn.objects.select_for_update().get(pk=agency_return.pk)
    field = "chronology" if what == "chronology" else "imr"
    requested = getattr(agency_return, f"{field}_requested_on")
    if requested and received_on < requested:
        raise ValidationError(
            {
                "received_on": _("%(agency)s's %(what)s cannot arrive before it was requested.")
                % {"agency": agency_return.agency.name, "what": _kind_label(what)}
            }
        )
    setattr(agency_return, f"{field}_received_on", received_on)
    if field == "imr" and not agency_return.imr_kind:
        agency_return.imr_kind = "summary" if what == "summary" else "imr"
    agency_return.full_clean()
    agency_return.save()
    _event(
        review=review,
        by=by,
        summary=_("Received %(agency)s's %(what)s on %(date)s")
        % {
            "agency": agency_return.agency.name,
            "what": _kind_label(agency_return.imr_kind if field == "imr" else what),
            "date": _day(received_on),
        },
        data={
            "action": "received",
            "what": field,
            "agency": agency_return.agency_id,
            "received_on": received_on.isoformat(),
        },
    )
    return agency_return


def agency_authors_to_email(agency_return: AgencyReturn) -> list[str]:
    """The email addresses of the agency's current authors on the review."""
    return sorted(
        {
            email
            for email in Membership.objects.filter(
                review_id=agency_return.review_id,
                agency_id=agency_return.agency_id,
                role=ReviewRole.AGENCY_AUTHOR,
                ended_at__isnull=True,
                user__is_active=True,
            ).values_list("user__email", flat=True)
            if email
        }
    )


def chaser_email(*, agency_return: AgencyReturn, about: str) -> tuple[str, str]:
    """The chaser's subject and body. It names the review by reference and says what is due:
    no person in the review, no title (titles can carry a name), and not the coordinator's
    note (which is for the record)."""
    reference = agency_return.review.reference
    due = {
        "answer": agency_return.answer_due_on,
        "chronology": agency_return.chronology_due_on,
        "imr": agency_return.imr_due_on,
    }[about]
    what = _kind_label(agency_return.imr_kind or "imr" if about == "imr" else about)
    subject = _("Lantern: reminder for review %(reference)s: %(what)s") % {
        "reference": reference,
        "what": what,
    }
    lines = [_("This is a reminder about review %(reference)s.") % {"reference": reference}, ""]
    if due:
        lines.append(
            _("Your agency's %(what)s was due on %(due)s.") % {"what": what, "due": _day(due)}
            if due < _today()
            else _("Your agency's %(what)s is due on %(due)s.") % {"what": what, "due": _day(due)}
        )
    else:
        lines.append(_("Your agency's %(what)s is awaited.") % {"what": what})
    lines += [
        _("Please send it, or tell the review's coordinator when it will arrive."),
        "",
        _("Sign in to Lantern to see what the review has asked for: %(path)s")
        % {"path": reverse("chronology:returns", kwargs={"reference": reference})},
    ]
    return subject, "\n".join(lines) + "\n"


@transaction.atomic
def chaser_send(
    *, agency_return: AgencyReturn, by: Any, about: str, sent_on: date, note: str = ""
) -> Chaser:
    """Record a chaser and email it to the agency's authors on the review (once the record is
    committed). The note stays in the record; the email never carries it."""
    review = agency_return.review
    ensure_can(user=by, review=review, need=Cap.MANAGE_RETURNS)
    if about not in CHASER_ABOUT:
        raise ValidationError(
            {
                "about": _(
                    "Choose what the chaser is about: the contact question, the chronology "
                    "or the IMR."
                )
            }
        )
    _not_future(sent_on, "sent_on", _("The date sent"))
    asked, done = {
        "answer": (agency_return.asked_on, agency_return.answer),
        "chronology": (
            agency_return.chronology_requested_on,
            agency_return.chronology_received_on,
        ),
        "imr": (agency_return.imr_requested_on, agency_return.imr_received_on),
    }[about]
    name = agency_return.agency.name
    if not asked:
        raise ValidationError(
            {
                "about": _("%(agency)s has not been asked for its %(what)s yet.")
                % {"agency": name, "what": _kind_label(about)}
            }
        )
    if done:
        raise ValidationError(
            {
                "about": _("%(agency)s's %(what)s has already arrived.")
                % {"agency": name, "what": _kind_label(about)}
            }
        )
    recipients = agency_authors_to_email(agency_return)
    chaser = Chaser.objects.create(
        agency_return=agency_return,
        sent_on=sent_on,
        about=about,
        note=note.strip(),
        by=by if getattr(by, "pk", None) else None,
        emailed_count=len(recipients),
    )
    _event(
        review=review,
        by=by,
        summary=_("Chased %(agency)s for its %(what)s (emailed to %(count)d)")
        % {"agency": name, "what": _kind_label(about), "count": len(recipients)},
        data={
            "action": "chased",
            "about": about,
            "agency": agency_return.agency_id,
            "sent_on": sent_on.isoformat(),
            "emailed": len(recipients),
        },
    )
    if recipients:
        subject, body = chaser_email(agency_return=agency_return, about=about)
        transaction.on_commit(
            lambda: send_mail(
                subject=subject,
                message=body,
                from_email=None,
                recipient_list=recipients,
                fail_silently=True,
            )
        )
    return chaser


# --- sharing with the panel --------------------------------------------------------------------


@transaction.atomic
def agency_share_with_panel(
    *, review: Review, agency: Organisation, by: Any, shared_on: date
) -> AgencyReturn:
    """Share an agency's material (returns, chronology files and entries, IMR) with the panel."""
    ensure_can(user=by, review=review, need=Cap.SHARE_AGENCY_MATERIAL)
    _not_future(shared_on, "shared_on", _("The date shared"))
    (agency,) = _agencies_on_review(review, [agency])
    agency_return = _return_for(review, agency)
    agency_return.shared_with_panel_on = shared_on
    agency_return.save(update_fields=["shared_with_panel_on"])
    files = ChronologyFile.objects.filter(review=review, agency=agency).update(
        shared_with_panel=True
    )
    _event(
        review=review,
        by=by,
        summary=_("Shared %(agency)s's material with the panel") % {"agency": agency.name},
        data={
            "action": "shared",
            "agency": agency.pk,
            "shared_on": shared_on.isoformat(),
            "files": files,
        },
    )
    return agency_return


@transaction.atomic
def agency_unshare(*, review: Review, agency: Organisation, by: Any) -> AgencyReturn | None:
    """Withdraw an agency's material from the panel (its own authors still see it)."""
    ensure_can(user=by, review=review, need=Cap.SHARE_AGENCY_MATERIAL)
    agency_return = (
        AgencyReturn.objects.select_for_update().filter(review=review, agency=agency).first()
    )
    if agency_return is None or agency_return.shared_with_panel_on is None:
        raise ValidationError(
            {
                "agencies": _("%(agency)s's material is not shared with the panel.")
                % {"agency": agency.name}
            }
        )
    agency_return.shared_with_panel_on = None
    agency_return.save(update_fields=["shared_with_panel_on"])
    ChronologyFile.objects.filter(review=review, agency=agency).update(shared_with_panel=False)
    _event(
        review=review,
        by=by,
        summary=_("Withdrew %(agency)s's material from the panel") % {"agency": agency.name},
        data={"action": "unshared", "agency": agency.pk},
    )
    return agency_return


# --- the IMR -----------------------------------------------------------------------------------


def _clean_sections(sections: dict[str, Any]) -> dict[str, str]:
    allowed = set(imr_template.text_codes())
    unknown = sorted(set(sections) - allowed)
    if unknown:
        raise ValidationError(
            {
                "sections": _("These are not sections of the IMR template: %(codes)s")
                % {"codes": ", ".join(unknown)}
            }
        )
    cleaned = {}
    for code in imr_template.text_codes():
        value = sections.get(code)
        if value is None:
            continue
        if not isinstance(value, str):
            raise ValidationError({"sections": _("Each section is text.")})
        if value.strip():
            cleaned[code] = value.strip()
    return cleaned


def _clean_recommendations(recommendations: Iterable[str]) -> list[str]:
    return [r.strip() for r in recommendations if isinstance(r, str) and r.strip()]


@transaction.atomic
def imr_start(*, review: Review, agency: Organisation, by: Any) -> IMR:
    """The agency's IMR, created empty if it does not exist yet (of the kind requested)."""
    _ensure_agency_editable(by=by, review=review, agency_id=agency.pk)
    (agency,) = _agencies_on_review(review, [agency])
    imr = IMR.objects.select_for_update().filter(review=review, agency=agency).first()
    if imr is not None:
        return imr
    requested = AgencyReturn.objects.filter(review=review, agency=agency).first()
    imr = IMR.objects.create(
        review=review,
        agency=agency,
        kind=(requested.imr_kind if requested and requested.imr_kind else "imr"),
    )
    _event(
        review=review,
        by=by,
        summary=_("Started %(agency)s's IMR") % {"agency": agency.name},
        data={"action": "imr_started", "agency": agency.pk, "imr": imr.pk},
    )
    return imr


@transaction.atomic
def imr_save(
    *,
    review: Review,
    agency: Organisation,
    by: Any,
    sections: dict[str, Any],
    author_name: str,
    independence_statement: str,
    recommendations: Iterable[str],
) -> IMR:
    """Save the agency's IMR text. Changing a signed-off IMR withdraws the sign-off: the senior
    manager signed what was there then."""
    _ensure_agency_editable(by=by, review=review, agency_id=agency.pk)
    cleaned = _clean_sections(sections)
    recs = _clean_recommendations(recommendations)
    imr = imr_start(review=review, agency=agency, by=by)
    imr = IMR.objects.select_for_update().get(pk=imr.pk)
    before = (imr.sections, imr.author_name, imr.independence_statement, imr.recommendations)
    imr.sections = cleaned
    imr.author_name = author_name.strip()
    imr.independence_statement = independence_statement.strip()
    imr.recommendations = recs
    after = (imr.sections, imr.author_name, imr.independence_statement, imr.recommendations)
    withdrawn = bool(before != after and imr.senior_manager_signed_off_on)
    if withdrawn:
        imr.senior_manager_signed_off_on = None
    imr.updated_at = timezone.now()
    imr.full_clean()
    imr.save()
    summary = _("Saved %(agency)s's IMR") % {"agency": agency.name}
    if withdrawn:
        summary += _("; the senior manager's sign-off was withdrawn because the IMR changed")
    _event(
        review=review,
        by=by,
        summary=summary,
        data={
            "action": "imr_saved",
            "agency": agency.pk,
            "imr": imr.pk,
            "sections": sorted(cleaned),
            "recommendations": len(recs),
            "sign_off_withdrawn": withdrawn,
        },
    )
    return imr


@transaction.atomic
def imr_sign_off(*, imr: IMR, by: Any, senior_manager_name: str, signed_off_on: date) -> IMR:
    """Record that a senior manager of the agency signed the IMR off."""
    review = imr.review
    _ensure_agency_editable(by=by, review=review, agency_id=imr.agency_id)
    imr = IMR.objects.select_for_update().get(pk=imr.pk)
    name = senior_manager_name.strip()
    if not name:
        raise ValidationError({"senior_manager_name": _("Enter the senior manager's name.")})
    _not_future(signed_off_on, "signed_off_on", _("The date of sign-off"))
    if not imr.independence_statement or not imr.author_name:
        raise ValidationError(
            _(
                "An IMR cannot be signed off without its author's name and statement of "
                "independence."
            )
        )
    imr.senior_manager_name = name
    imr.senior_manager_signed_off_on = signed_off_on
    imr.updated_at = timezone.now()
    imr.full_clean()
    imr.save()
    _event(
        review=review,
        by=by,
        summary=_("%(agency)s's IMR signed off by a senior manager on %(date)s")
        % {"agency": imr.agency.name, "date": _day(signed_off_on)},
        data={
            "action": "imr_signed_off",
            "agency": imr.agency_id,
            "imr": imr.pk,
            "signed_off_on": signed_off_on.isoformat(),
        },
    )
    return imr


def document_kind(content: bytes) -> str | None:
    """ "docx" or "pdf" from the file's own bytes (never its name); None for anything else.

    A DOCX is a zip that starts with a local file header and holds `[Content_Types].xml` and
    `word/document.xml`. (Checking the first bytes matters: a program with a zip appended to
    it still opens as a zip.) A PDF starts with `%PDF-`; whether it really is one that opens is
    `lantern.core.uploads.content_check`'s to say, after this.
    """
    if content.startswith(b"%PDF-"):
        return "pdf"
    if not content.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if {"[Content_Types].xml", "word/document.xml"} <= names:
        return "docm" if "word/vbaProject.bin" in names else "docx"
    return None


_UNSAFE = re.compile(r"[^\w.\- ()]+", re.UNICODE)


def _clean_filename(filename: str, kind: str) -> str:
    stem = os.path.splitext(os.path.basename(filename.replace("\\", "/")))[0]
    stem = _UNSAFE.sub("_", stem).strip(" ._")[:150] or "imr"
    return f"{stem}.{kind}"


@transaction.atomic
def imr_document_upload(*, imr: IMR, by: Any, filename: str, content: bytes) -> IMRDocument:
    """Keep an uploaded IMR document (DOCX or PDF, at most 20 MB) as a new version.

    The type is read from the bytes; the stored name gets the matching extension.
    """
    review = imr.review
    _ensure_agency_editable(by=by, review=review, agency_id=imr.agency_id)

    def refuse(message: str) -> ValidationError:
        # Named, so that the API and the command line say which file (the page shows it too).
        return ValidationError({"document": f"{filename}: {message}" if filename else message})

    if not content:
        raise refuse(_("The selected file is empty."))
    if len(content) > MAX_DOCUMENT_BYTES:
        raise refuse(_("The selected file must be smaller than 20 MB."))
    kind = document_kind(content)
    if kind == "docm":
        raise refuse(
            _(
                "The selected file contains macros. Save it as a Word document (.docx) "
                "without macros, or as a PDF."
            )
        )
    if kind is None:
        raise refuse(_("The selected file must be a DOCX or PDF."))
    try:
        scan_upload(content, filename)
        # A Word document must not be a zip bomb or hide parts; a PDF must open, unlocked,
        # with a page (a file that only starts with "%PDF-" is refused here).
        content_check(content, filename, kinds={kind})
    except UploadRefused as refused:
        raise ValidationError({"document": str(refused)}) from refused
    imr = IMR.objects.select_for_update().get(pk=imr.pk)
    version = (imr.documents.aggregate(v=Max("version"))["v"] or 0) + 1
    document = IMRDocument.objects.create(
        imr=imr,
        version=version,
        filename=_clean_filename(filename, kind),
        content_type=DOCX_CONTENT_TYPE if kind == "docx" else PDF_CONTENT_TYPE,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        uploaded_by=by if getattr(by, "pk", None) else None,
    )
    _event(
        review=review,
        by=by,
        summary=_("Uploaded version %(version)d of %(agency)s's IMR (%(name)s)")
        % {"version": version, "agency": imr.agency.name, "name": document.filename},
        data={
            "action": "imr_document",
            "agency": imr.agency_id,
            "imr": imr.pk,
            "version": version,
            "sha256": document.sha256,
            "size": document.size,
        },
    )
    return document
