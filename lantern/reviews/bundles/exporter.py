"""`bundle_export`: write a review as a bundle that `bundle_import` reads back the same."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lantern.accounts.models import Organisation
from lantern.core.models import AuditEvent
from lantern.core.services import audit_record
from lantern.reviews.access import Cap, ensure_can
from lantern.reviews.models import Review

from .archive import write_zip
from .schema import (
    YAML_NAME,
    AgencyRef,
    AgencySpec,
    ChronologySpec,
    NotificationSpec,
    PersonSpec,
    ReviewSpec,
    dump_yaml,
    safe_member_path,
)


def _member_path(raw: str, position: int, taken: set[str]) -> str:
    """The recorded path, unless it is unsafe or taken: then a path made from the position."""
    path = safe_member_path(raw)
    if path is None or path in taken or path == YAML_NAME:
        name = (raw.replace("\\", "/").rsplit("/", 1)[-1] or "file").lstrip(".") or "file"
        path, n = f"chronology/{position + 1:02d}_{name}", 1
        while path in taken:
            n += 1
            path = f"chronology/{position + 1:02d}_{n}_{name}"
    taken.add(path)
    return path


def review_to_bundle(review: Review) -> tuple[ReviewSpec, dict[str, bytes]]:
    """The spec and the files (chronology bytes by path) that describe `review`."""
    agencies = list(review.agencies.select_related("organisation"))
    on_review = {link.organisation_id for link in agencies}

    def ref(org: Organisation) -> AgencyRef:
        # An organisation that is not one of the review's agencies carries its type, so that the
        # bundle can create it where it does not exist yet.
        return AgencyRef(name=org.name, type=None if org.pk in on_review else org.type)

    files: dict[str, bytes] = {}
    chronology = []
    taken: set[str] = set()
    for entry in review.chronology_files.select_related("agency"):
        path = _member_path(entry.path, entry.position, taken)
        files[path] = bytes(entry.content)
        chronology.append(ChronologySpec(file=path, agency=ref(entry.agency)))
    spec = ReviewSpec(
        reference=review.reference,
        title=review.title,
        review_type=review.review_type.slug,
        csp=review.csp.name,
        notification_date=review.notification_date,
        legal_test=review.legal_test,
        pseudonym=review.pseudonym,
        date_of_death=review.date_of_death,
        death_type=review.death_type,
        place_of_death=review.place_of_death,
        joint_with=review.joint_with,
        notification=NotificationSpec(
            source=review.notification_source,
            notifying_agency=ref(review.notifying_agency) if review.notifying_agency else None,
            notifier_name=review.notifier_name,
            notifier_contact=review.notifier_contact,
            circumstances=review.circumstances,
        ),
        people=tuple(
            PersonSpec(
                role=p.role,
                name=p.real_name,
                pseudonym=p.pseudonym,
                aliases=tuple(p.aliases or ()),
                date_of_birth=p.date_of_birth,
                sex=p.sex,
                ethnicity=p.ethnicity,
                relationship_to_victim=p.relationship_to_victim,
                notes=p.notes,
            )
            for p in review.people.all()
        ),
        agencies=tuple(
            AgencySpec(
                name=link.organisation.name,
                type=link.organisation.type,
                in_scope=link.in_scope,
                reason_not_in_scope=link.reason_not_in_scope,
            )
            for link in agencies
        ),
        chronology=tuple(chronology),
    )
    return spec, files


def bundle_export(*, review: Review, by: Any, output: Path, passphrase: str | None = None) -> Path:
    """Write `review` as a bundle .zip at `output`; AES-256 encrypted when given a passphrase.

    The bundle holds real names. Needs the export capability; the export is audited.
    """
    ensure_can(user=by, review=review, need=Cap.EXPORT)
    if passphrase is not None and not passphrase:
        raise ValueError("An empty passphrase would not protect the bundle.")
    spec, files = review_to_bundle(review)
    write_zip(
        output=output,
        files={YAML_NAME: dump_yaml(spec).encode("utf-8"), **files},
        passphrase=passphrase,
    )
    audit_record(
        action=AuditEvent.Action.EXPORT,
        by=by,
        review=review,
        obj=review,
        summary=f"Exported as a bundle ({'encrypted' if passphrase else 'NOT encrypted'})",
        data={
            "output": str(output),
            "encrypted": passphrase is not None,
            "people": len(spec.people),
            "chronology_files": len(files),
        },
    )
    return output
