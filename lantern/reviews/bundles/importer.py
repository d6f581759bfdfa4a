"""`bundle_import`: read -> parse -> validate -> persist, all or nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from lantern.accounts.models import Organisation
from lantern.chronology.importer import ParsedFile, PersonRef
from lantern.chronology.importer.pipeline import parse_file
from lantern.chronology.importer.subjects import SubjectMatcher
from lantern.chronology.models import ChronologyFile
from lantern.core.errors import Problem, ProblemsError
from lantern.core.models import AuditEvent
from lantern.core.services import audit_record
from lantern.core.uploads import UploadRefused, scan_upload
from lantern.reviews.access import Cap, capabilities
from lantern.reviews.models import (
    DeathType,
    LegalTest,
    Person,
    Review,
    ReviewAgency,
    ReviewEvent,
    ReviewType,
)
from lantern.reviews.services import organisation_get_or_create

from .archive import LIMITS, Limits, open_bundle
from .schema import YAML_NAME, AgencyRef, ReviewSpec, Vocabulary, load_yaml, parse_review


def _max_lengths() -> dict[str, int]:
    def length(model: Any, name: str) -> int:
        return model._meta.get_field(name).max_length

    lengths = {
        name: length(Review, name)
        for name in (
            "reference",
            "title",
            "pseudonym",
            "place_of_death",
            "joint_with",
            "notifier_name",
            "notifier_contact",
        )
    }
    lengths["organisation"] = length(Organisation, "name")
    lengths["agency.reason_not_in_scope"] = length(ReviewAgency, "reason_not_in_scope")
    lengths["chronology.file"] = length(ChronologyFile, "path")
    for name in ("pseudonym", "sex", "ethnicity", "relationship_to_victim"):
        lengths[f"person.{name}"] = length(Person, name)
    lengths["person.name"] = length(Person, "real_name")
    return lengths


def _organisation_type(name: str) -> str | None:
    return (
        Organisation.objects.filter(name__iexact=name.strip())
        .values_list("type", flat=True)
        .first()
    )


def bundle_vocabulary() -> Vocabulary:
    """The values a bundle may use here: configured review types, the models' choices."""
    return Vocabulary(
        review_types=tuple(ReviewType.objects.order_by("slug").values_list("slug", flat=True)),
        death_types=tuple(DeathType.values),
        person_roles=tuple(Person.Role.values),
        perpetrator_relationships=tuple(Person.Relationship.values),
        organisation_types=tuple(Organisation.Type.values),
        legal_tests=tuple(LegalTest.values),
        notification_sources=tuple(
            value for value, _label in Review._meta.get_field("notification_source").choices
        ),
        default_legal_test=settings.LANTERN["DEFAULT_LEGAL_TEST"],
        max_lengths=_max_lengths(),
        organisation_type=_organisation_type,
        default_review_type="dhr",
        default_death_type=DeathType.UNKNOWN,
        default_notification_source=Review._meta.get_field("notification_source").default,
        default_organisation_type=Organisation.Type.OTHER,
        csp_type=Organisation.Type.CSP,
        perpetrator_role=Person.Role.PERPETRATOR,
    )


def can_import_for(*, user: Any, csp_name: str) -> bool:
    """The console, an administrator, or a coordinator of the CSP the bundle names."""
    if getattr(user, "is_system", False):
        return True
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_lantern_admin:
        return True
    return bool(
        user.is_coordinator
        and user.organisation_id
        and user.organisation.is_csp
        and user.organisation.name.casefold() == csp_name.strip().casefold()
    )


def _refuse(*, by: Any, review: Review | None, summary: str) -> None:
    audit_record(
        action=AuditEvent.Action.ACCESS_DENIED,
        by=by,
        review=review,
        object_type="bundle",
        summary=summary,
    )
    raise PermissionDenied(summary)


def bundle_import(
    *,
    path: Path,
    by: Any,
    replace: bool = False,
    passphrase: str | None = None,
    limits: Limits = LIMITS,
) -> Review:
    """Create the review a bundle describes, or refuse it whole with every problem found.

    With `replace`, an existing review with the bundle's reference is deleted, with everything
    recorded on it, and the bundle imported in its place, in one transaction: if the bundle is
    refused, the existing review is untouched.
    """
    try:
        scan_upload(Path(path).read_bytes(), Path(path).name)
    except UploadRefused as refused:
        raise ProblemsError([Problem(file=refused.filename, message=refused.reason)]) from refused
    except OSError:
        pass  # open_bundle names the file and the problem
    with open_bundle(path, passphrase=passphrase, limits=limits) as bundle:
        data, problems = load_yaml(bundle.read_text(YAML_NAME))
        if problems:
            raise ProblemsError(problems)
        spec, problems = parse_review(
            data, vocabulary=bundle_vocabulary(), has_file=bundle.has_file
        )
        if problems or spec is None:
            raise ProblemsError(problems)
        # Access is checked before anything about existing reviews is revealed.
        if not can_import_for(user=by, csp_name=spec.csp):
            _refuse(by=by, review=None, summary=f"Refused: import of a review for {spec.csp}")
        existing = Review.objects.filter(reference=spec.reference).first()
        if existing is not None:
            if not replace:
                raise ProblemsError(
                    [
                        Problem(
                            file=YAML_NAME,
                            field="reference",
                            value=spec.reference,
                            message="a review with this reference already exists; import with "
                            "--replace to replace it",
                        )
                    ]
                )
            caps = capabilities(user=by, review=existing)
            if Cap.EDIT_REVIEW not in caps:
                _refuse(
                    by=by,
                    review=existing if caps else None,
                    summary=f"Refused: replace {spec.reference} from a bundle",
                )
        files = {entry.file: bundle.read(entry.file) for entry in spec.chronology}
    parsed = _parse_chronologies(spec=spec, files=files)
    try:
        return _persist(
            spec=spec, files=files, parsed=parsed, by=by, existing=existing, source=path.name
        )
    except IntegrityError as error:
        # Another import or notification got there between the check and the write.
        raise ProblemsError(
            [
                Problem(
                    file=YAML_NAME,
                    field="reference",
                    value=spec.reference,
                    message=f"could not be stored alongside what was just saved: {error}",
                )
            ]
        )


def _parse_chronologies(*, spec: ReviewSpec, files: dict[str, bytes]) -> dict[str, ParsedFile]:
    """Read every chronology file's entries; any file's error refuses the whole bundle."""
    from lantern.chronology.services import dash_bands

    matcher = SubjectMatcher(
        PersonRef(role=p.role, names=tuple(n for n in (p.name, p.pseudonym, *p.aliases) if n))
        for p in spec.people
    )
    bands = dash_bands()
    parsed: dict[str, ParsedFile] = {}
    errors: list[Problem] = []
    for entry in spec.chronology:
        one = parse_file(
            entry.file,
            files[entry.file],
            subjects=matcher,
            dash_bands=bands,
            agency=entry.agency.name,
        )
        parsed[entry.file] = one
        errors.extend(one.errors)
    if errors:
        raise ProblemsError(errors)
    return parsed


@transaction.atomic
def _persist(
    *,
    spec: ReviewSpec,
    files: dict[str, bytes],
    parsed: dict[str, ParsedFile],
    by: Any,
    existing: Review | None,
    source: str,
) -> Review:
    actor = by if getattr(by, "pk", None) else None
    replaced: dict[str, Any] = {}
    if existing is not None:
        replaced = {"replaced_review_id": existing.pk, "replaced_title": existing.title}
        try:
            existing.delete()
        except ProtectedError as error:
            kinds = sorted({str(o._meta.verbose_name) for o in error.protected_objects})
            raise ProblemsError(
                [
                    Problem(
                        file=YAML_NAME,
                        field="reference",
                        value=spec.reference,
                        message="the existing review cannot be replaced: other records depend "
                        f"on it ({', '.join(kinds)})",
                    )
                ]
            )
    csp = organisation_get_or_create(name=spec.csp, type=Organisation.Type.CSP)
    named: dict[str, Organisation] = {}
    for agency in spec.agencies:
        named[agency.name.casefold()] = organisation_get_or_create(
            name=agency.name, type=agency.type
        )
    named.setdefault(csp.name.casefold(), csp)

    def resolve(ref: AgencyRef) -> Organisation:
        org = named.get(ref.name.casefold())
        if org is None:
            org = organisation_get_or_create(
                name=ref.name, type=ref.type or Organisation.Type.OTHER
            )
            named[ref.name.casefold()] = org
        return org

    note = spec.notification
    review = Review(
        reference=spec.reference,
        title=spec.title,
        review_type=ReviewType.objects.get(slug=spec.review_type),
        csp=csp,
        pseudonym=spec.pseudonym,
        date_of_death=spec.date_of_death,
        death_type=spec.death_type,
        place_of_death=spec.place_of_death,
        notification_date=spec.notification_date,
        notification_source=note.source,
        notifying_agency=resolve(note.notifying_agency) if note.notifying_agency else None,
        notifier_name=note.notifier_name,
        notifier_contact=note.notifier_contact,
        circumstances=note.circumstances,
        legal_test=spec.legal_test,
        joint_with=spec.joint_with,
        created_by=actor,
    )
    review.full_clean()
    review.save()
    for position, person in enumerate(spec.people):
        row = Person(
            review=review,
            role=person.role,
            real_name=person.name,
            pseudonym=person.pseudonym,
            aliases=list(person.aliases),
            date_of_birth=person.date_of_birth,
            sex=person.sex,
            ethnicity=person.ethnicity,
            relationship_to_victim=person.relationship_to_victim,
            notes=person.notes,
            position=position,
        )
        row.full_clean()
        row.save()
    for position, agency in enumerate(spec.agencies):
        ReviewAgency.objects.create(
            review=review,
            organisation=named[agency.name.casefold()],
            in_scope=agency.in_scope,
            reason_not_in_scope=agency.reason_not_in_scope,
            position=position,
        )
    from lantern.chronology.services import entries_create, text_work_after_import

    entries = 0
    chronology_agencies: dict[int, Organisation] = {}
    for position, entry in enumerate(spec.chronology):
        content = files[entry.file]
        agency = resolve(entry.agency)
        stored = ChronologyFile.objects.create(
            review=review,
            agency=agency,
            path=entry.file,
            content=content,
            sha256=hashlib.sha256(content).hexdigest(),
            size=len(content),
            uploaded_by=actor,
            position=position,
        )
        rows = parsed[entry.file].rows
        entries += entries_create(review=review, agency=agency, source_file=stored, rows=rows)
        if rows:
            chronology_agencies[agency.pk] = agency
    if chronology_agencies:
        text_work_after_import(review=review, agencies=chronology_agencies.values())
    counts = {
        "people": len(spec.people),
        "agencies": len(spec.agencies),
        "chronology_files": len(spec.chronology),
        "chronology_entries": entries,
        "chronology_warnings": sum(len(p.warnings) for p in parsed.values()),
    }
    summary = f"Imported from the bundle {source}" + (
        ", replacing the review of the same reference" if existing else ""
    )
    # Not review_event_record: that writes an "update" audit record, and an import is one
    # audit record of its own kind.
    ReviewEvent.objects.create(
        review=review,
        by=actor,
        kind=ReviewEvent.Kind.IMPORTED,
        summary=summary[:500],
        data={"bundle": source, **counts, **replaced},
    )
    audit_record(
        action=AuditEvent.Action.IMPORT,
        by=by,
        review=review,
        obj=review,
        summary=summary,
        data={"bundle": source, **counts, **replaced},
    )
    if existing is None:
        from lantern.reviews.tasks import alert_coordinators_of_notification

        transaction.on_commit(
            lambda: alert_coordinators_of_notification.enqueue(review_id=review.pk)
        )
    return review
