"""Review bundles: import all or nothing, export that imports back to the same review.

The sample bundle in tests/bundles/kerry is fictional. An XLSX chronology is generated here with
openpyxl rather than kept as a binary file.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import os
import shutil
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import Http404

from lantern.accounts.models import Organisation, User
from lantern.chronology.models import ChronologyFile
from lantern.core.errors import ProblemsError
from lantern.core.models import AuditEvent
from lantern.reviews.access import reviews_visible_to
from lantern.reviews.bundles import BUNDLE_FORMAT_VERSION, bundle_export, bundle_import
from lantern.reviews.bundles.archive import Limits
from lantern.reviews.bundles.schema import (
    HEADER,
    Vocabulary,
    load_yaml,
    parse_review,
    safe_member_path,
    spec_to_data,
)
from lantern.reviews.models import Alert, Person, Review, ReviewAgency, ReviewEvent
from lantern.reviews.services import (
    organisation_get_or_create,
    person_add,
    review_agency_add,
    review_notify,
)

SAMPLE = Path(__file__).parent / "bundles" / "kerry"
PASSPHRASE = "lamp post at midnight"
MISSING = object()


# --- helpers ----------------------------------------------------------------------------------


def sample_data() -> dict[str, Any]:
    return yaml.safe_load((SAMPLE / "review.yaml").read_text())


def write_folder(root: Path, data: dict[str, Any], files: dict[str, bytes] | None = None) -> Path:
    """A bundle folder holding `data` as review.yaml and the sample's files (or `files`)."""
    if files is None:
        shutil.copytree(SAMPLE, root)
    else:
        root.mkdir(parents=True)
        for name, content in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(content)
    (root / "review.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return root


def xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Chronology"
    sheet.append(["Northbridge Homes: chronology for the DHR into the death of Kerry"])
    sheet.append(["Date", "Subject", "What happened", "Action taken"])
    sheet.append(
        [dt.date(2024, 1, 9), "Victim", "Asked for a move; said she felt unsafe", "Priority"]
    )
    sheet.append([dt.date(2024, 5, 2), "Perpetrator", "Rent arrears letter", "None"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def kerry(tmp_path: Path) -> Path:
    """The sample bundle, plus an XLSX chronology from a second agency."""
    data = sample_data()
    data["chronology"].append({"file": "chronology/02_housing.xlsx", "agency": "Northbridge Homes"})
    root = write_folder(tmp_path / "kerry", data)
    (root / "chronology" / "02_housing.xlsx").write_bytes(xlsx_bytes())
    return root


@pytest.fixture
def console(db) -> User:  # noqa: ANN001
    return User.objects.system()


REVIEW_FIELDS = (
    "reference",
    "title",
    "pseudonym",
    "date_of_death",
    "death_type",
    "place_of_death",
    "notification_date",
    "notification_source",
    "notifier_name",
    "notifier_contact",
    "circumstances",
    "legal_test",
    "joint_with",
)
PERSON_FIELDS = (
    "role",
    "real_name",
    "pseudonym",
    "aliases",
    "date_of_birth",
    "sex",
    "ethnicity",
    "relationship_to_victim",
    "notes",
    "position",
)


def snapshot(review: Review) -> dict[str, Any]:
    """Everything a bundle carries, in comparable form."""
    review = Review.objects.get(pk=review.pk)
    data: dict[str, Any] = {f: getattr(review, f) for f in REVIEW_FIELDS}
    data["review_type"] = review.review_type.slug
    data["csp"] = (review.csp.name, review.csp.type)
    data["notifying_agency"] = (
        (review.notifying_agency.name, review.notifying_agency.type)
        if review.notifying_agency
        else None
    )
    data["people"] = [tuple(getattr(p, f) for f in PERSON_FIELDS) for p in review.people.all()]
    data["agencies"] = [
        (a.organisation.name, a.organisation.type, a.in_scope, a.reason_not_in_scope, a.position)
        for a in review.agencies.select_related("organisation")
    ]
    data["chronology"] = [
        (c.path, c.agency.name, c.agency.type, bytes(c.content), c.sha256, c.size, c.position)
        for c in review.chronology_files.select_related("agency")
    ]
    return data


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Review, Person, Organisation, ReviewAgency, ChronologyFile, ReviewEvent)
    }


def refused(call: Callable[[], Any]) -> list[Any]:
    with pytest.raises(ProblemsError) as caught:
        call()
    return caught.value.problems


# --- import -----------------------------------------------------------------------------------


def test_import_creates_the_review_with_everything_in_the_bundle(kerry: Path, console: User):
    before = AuditEvent.objects.count()

    review = bundle_import(path=kerry, by=console)

    assert review.reference == "NB-DHR-2024-07"
    assert review.stage == "notified"
    assert review.csp.name == "Northbridge Community Safety Partnership"
    assert review.csp.type == Organisation.Type.CSP
    assert review.review_type.slug == "dhr"
    assert review.date_of_death == dt.date(2024, 9, 20)
    assert review.death_type == "suicide"
    assert review.notifying_agency.name == "Northbridge Police"
    assert review.notifier_contact == "01632 960 123"
    assert "controlled her money" in review.circumstances
    people = list(review.people.all())
    assert [p.pseudonym for p in people] == ["Kerry", "Lee", "Anna"]
    assert people[0].real_name == "Joanne Whitfield"
    assert people[0].aliases == ["Jo"]
    assert people[0].date_of_birth == dt.date(1983, 6, 14)
    assert people[1].relationship_to_victim == "former_partner"
    assert people[2].notes == "Found Kerry; wants to take part in the review."
    agencies = list(review.agencies.select_related("organisation"))
    assert [(a.organisation.name, a.organisation.type, a.in_scope) for a in agencies] == [
        ("Northbridge Police", "police", True),
        ("Northbridge Homes", "housing", True),
        ("Northbridge Surgery", "gp", False),
    ]
    assert agencies[2].reason_not_in_scope == "No contact in the review period"
    files = list(review.chronology_files.select_related("agency"))
    assert [(f.path, f.agency.name) for f in files] == [
        ("chronology/01_police.csv", "Northbridge Police"),
        ("chronology/02_housing.xlsx", "Northbridge Homes"),
    ]
    assert bytes(files[0].content) == (kerry / "chronology" / "01_police.csv").read_bytes()
    assert files[1].size == len((kerry / "chronology" / "02_housing.xlsx").read_bytes())
    assert [e.kind for e in review.events.all()] == [ReviewEvent.Kind.IMPORTED]
    assert AuditEvent.objects.count() == before + 1
    audit = AuditEvent.objects.order_by("-id").first()
    assert (audit.action, audit.review, audit.actor_label) == (
        AuditEvent.Action.IMPORT,
        review,
        "console: local system administrator",
    )


def test_existing_agencies_and_csp_are_reused_case_insensitively(kerry: Path, console: User):
    police = organisation_get_or_create(name="NORTHBRIDGE POLICE", type="police")
    csp = organisation_get_or_create(name="northbridge community safety partnership", type="csp")

    review = bundle_import(path=kerry, by=console)

    assert review.csp == csp
    assert review.agencies.first().organisation == police
    assert Organisation.objects.filter(name__iexact="northbridge police").count() == 1


def test_coordinator_of_the_named_csp_imports_and_sees_the_review(
    cast: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
):
    data = sample_data()
    data["reference"] = "NB-DHR-2025-01"
    bundle = write_folder(tmp_path / "b", data)

    with django_capture_on_commit_callbacks(execute=True):
        review = bundle_import(path=bundle, by=cast.coordinator)

    assert review.csp == cast.csp
    assert review in reviews_visible_to(user=cast.coordinator)
    assert review not in reviews_visible_to(user=cast.outsider)
    assert Alert.objects.filter(user=cast.coordinator, review=review).exists()


@pytest.mark.parametrize("who", ["outsider", "chair", "board_member", "agency_author"])
def test_only_coordinators_of_the_named_csp_may_import(cast: Any, tmp_path: Path, who: str):
    data = sample_data()
    data["reference"] = "NB-DHR-2025-02"
    bundle = write_folder(tmp_path / "b", data)
    before = counts()

    with pytest.raises(PermissionDenied):
        bundle_import(path=bundle, by=getattr(cast, who))

    assert counts() == before
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ACCESS_DENIED).exists()


def test_a_coordinator_cannot_create_a_new_csp_but_an_admin_can(cast: Any, tmp_path: Path):
    data = sample_data()
    data.update(reference="WM-DHR-2025-01", csp="Westmere Community Safety Partnership")
    bundle = write_folder(tmp_path / "b", data)

    with pytest.raises(PermissionDenied):
        bundle_import(path=bundle, by=cast.coordinator)
    review = bundle_import(path=bundle, by=cast.admin)

    assert review.csp.name == "Westmere Community Safety Partnership"


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    keys: list[Any] = [int(k) if k.isdigit() else k for k in path.split(".")]
    target: Any = data
    for key in keys[:-1]:
        target = target[key]
    if value is MISSING:
        del target[keys[-1]]
    else:
        target[keys[-1]] = value


MALFORMED = [
    # (key path in review.yaml, value written, field reported, value reported, message part)
    ("reference", MISSING, "reference", "", "required"),
    ("reference", "NB DHR 2024 07", "reference", "NB DHR 2024 07", "letters, digits"),
    ("reference", "../../etc", "reference", "../../etc", "letters, digits"),
    ("title", "   ", "title", "   ", "empty"),
    ("csp", MISSING, "csp", "", "required"),
    ("review_type", "dhrr", "review_type", "dhrr", "dardr, dhr, joint_dhr_cspr"),
    ("notification_date", "2024-02-30", "notification_date", "2024-02-30", "not a date"),
    ("notification_date", "2024-09-01", "notification_date", "2024-09-01", "before the date"),
    ("date_of_death", "20/09/2024", "date_of_death", "20/09/2024", "YYYY-MM-DD"),
    ("death_type", "murder", "death_type", "murder", "homicide, suicide"),
    ("legal_test", "common_law", "legal_test", "common_law", "dvcva_2004_s9"),
    ("format", 2, "format", "2", "format 1"),
    ("titel", "Typo", "titel", "", "did you mean 'title'"),
    ("notification.source", "rumour", "notification.source", "rumour", "police"),
    (
        "notification.notifier_contact",
        1632960123,
        "notification.notifier_contact",
        "1632960123",
        "quotes",
    ),
    ("people.0.role", "victm", "people[0].role", "victm", "victim, perpetrator, child"),
    (
        "people.0.date_of_birth",
        "1983-13-45",
        "people[0].date_of_birth",
        "1983-13-45",
        "not a date (use YYYY-MM-DD)",
    ),
    ("people.0.aliases", "Jo", "people[0].aliases", "Jo", "list"),
    ("people.0.aliases", ["Jo", 7], "people[0].aliases[1]", "7", "not a name"),
    (
        "people.0.date_of_brith",
        "1983-06-14",
        "people[0].date_of_brith",
        "",
        "did you mean 'date_of_birth'",
    ),
    (
        "people.1.relationship_to_victim",
        "ex",
        "people[1].relationship_to_victim",
        "ex",
        "current_partner, former_partner",
    ),
    ("people.0.name", "x" * 201, "people[0].name", "x" * 119 + "…", "at most 200"),
    ("people", {"role": "victim"}, "people", "", "not a list"),
    ("agencies.0.type", "constabulary", "agencies[0].type", "constabulary", "police"),
    ("agencies.1.in_scope", "maybe", "agencies[1].in_scope", "maybe", "true or false"),
    ("agencies.1.name", "northbridge police", "agencies[1].name", "northbridge police", "twice"),
    ("agencies.0.phone", "101", "agencies[0].phone", "", "not a key"),
    (
        "chronology.0.file",
        "chronology/02_police.csv",
        "chronology[0].file",
        "chronology/02_police.csv",
        "no such file",
    ),
    (
        "chronology.0.agency",
        "Northbridge Fire",
        "chronology[0].agency",
        "Northbridge Fire",
        "agencies:",
    ),
    ("chronology.0.agency", MISSING, "chronology[0].agency", "", "missing"),
]


@pytest.mark.parametrize(
    ("key", "written", "field", "value", "message"),
    MALFORMED,
    ids=[f"{m[0]}={str(m[1])[:20]}" for m in MALFORMED],
)
def test_a_malformed_field_is_refused_naming_field_and_value_and_nothing_is_stored(
    console: User, tmp_path: Path, key: str, written: Any, field: str, value: str, message: str
):
    data = sample_data()
    _set(data, key, written)
    bundle = write_folder(tmp_path / "b", data)
    before = counts()

    problems = refused(lambda: bundle_import(path=bundle, by=console))

    assert counts() == before
    matching = [p for p in problems if p.field == field]
    assert matching, [str(p) for p in problems]
    assert matching[0].value == value
    assert message in matching[0].message
    assert all(p.file == "review.yaml" for p in problems)


def test_every_problem_is_reported_at_once(console: User, tmp_path: Path):
    data = sample_data()
    data["death_type"] = "murder"
    data["people"][0]["date_of_birth"] = "1983-13-45"
    data["agencies"][0]["type"] = "constabulary"
    bundle = write_folder(tmp_path / "b", data)

    problems = refused(lambda: bundle_import(path=bundle, by=console))

    assert [p.field for p in problems] == [
        "death_type",
        "people[0].date_of_birth",
        "agencies[0].type",
    ]


def test_an_unquoted_impossible_date_is_a_problem_not_a_crash(console: User, tmp_path: Path):
    bundle = shutil.copytree(SAMPLE, tmp_path / "b")
    text = (bundle / "review.yaml").read_text().replace("1983-06-14", "1983-13-45")
    (bundle / "review.yaml").write_text(text)

    problems = refused(lambda: bundle_import(path=bundle, by=console))

    assert [(p.field, p.value) for p in problems] == [("people[0].date_of_birth", "1983-13-45")]
    assert str(problems[0]).startswith("review.yaml, field 'people[0].date_of_birth': not a date")


def test_a_yaml_syntax_error_gives_line_and_column(console: User, tmp_path: Path):
    bundle = shutil.copytree(SAMPLE, tmp_path / "b")
    lines = (bundle / "review.yaml").read_text().splitlines()
    lines[4] = "title: [Domestic Homicide Review"
    (bundle / "review.yaml").write_text("\n".join(lines))

    problems = refused(lambda: bundle_import(path=bundle, by=console))

    assert len(problems) == 1
    assert "YAML syntax error at line" in problems[0].message
    assert "column" in problems[0].message


def test_a_duplicated_key_is_refused_with_its_line(console: User, tmp_path: Path):
    bundle = shutil.copytree(SAMPLE, tmp_path / "b")
    text = (bundle / "review.yaml").read_text() + "title: Another title\n"
    (bundle / "review.yaml").write_text(text)

    problems = refused(lambda: bundle_import(path=bundle, by=console))

    assert "the key 'title' appears twice" in problems[0].message
    assert "line" in problems[0].message


@pytest.mark.parametrize("text", ["", "just a sentence", "- a\n- list\n"])
def test_review_yaml_must_be_a_mapping(console: User, tmp_path: Path, text: str):
    bundle = shutil.copytree(SAMPLE, tmp_path / "b")
    (bundle / "review.yaml").write_text(text)

    problems = refused(lambda: bundle_import(path=bundle, by=console))

    assert "must be a mapping" in problems[0].message


def test_a_folder_without_review_yaml_or_a_missing_path_is_refused(console: User, tmp_path: Path):
    (tmp_path / "empty").mkdir()
    assert (
        "no review.yaml"
        in refused(lambda: bundle_import(path=tmp_path / "empty", by=console))[0].message
    )
    assert (
        "no such file"
        in refused(lambda: bundle_import(path=tmp_path / "nope", by=console))[0].message
    )
    (tmp_path / "notes.txt").write_text("hello")
    assert (
        "not a bundle"
        in refused(lambda: bundle_import(path=tmp_path / "notes.txt", by=console))[0].message
    )


def test_a_chronology_agency_can_be_created_when_given_with_its_type(console: User, tmp_path: Path):
    data = sample_data()
    data["chronology"][0]["agency"] = {"name": "Northbridge Fire and Rescue", "type": "other"}
    bundle = write_folder(tmp_path / "b", data)

    review = bundle_import(path=bundle, by=console)

    assert review.chronology_files.get().agency.name == "Northbridge Fire and Rescue"
    assert not review.agencies.filter(organisation__name="Northbridge Fire and Rescue").exists()


def test_a_csp_name_held_by_an_agency_is_refused(console: User, tmp_path: Path):
    organisation_get_or_create(name="Northbridge Community Safety Partnership", type="police")
    bundle = write_folder(tmp_path / "b", sample_data())

    problems = refused(lambda: bundle_import(path=bundle, by=console))

    assert problems[0].field == "csp"
    assert "not a Community Safety Partnership" in problems[0].message


# --- reference clashes and --replace ----------------------------------------------------------


def test_an_existing_reference_is_refused_without_replace(kerry: Path, console: User):
    bundle_import(path=kerry, by=console)
    before = counts()

    problems = refused(lambda: bundle_import(path=kerry, by=console))

    assert [(p.field, p.value) for p in problems] == [("reference", "NB-DHR-2024-07")]
    assert "--replace" in problems[0].message
    assert counts() == before


def test_replace_swaps_the_review_and_a_bad_replacement_leaves_it_intact(
    kerry: Path, console: User, tmp_path: Path
):
    original = bundle_import(path=kerry, by=console)
    data = sample_data()
    data["title"] = "Domestic Homicide Review: Kerry (revised)"
    data["people"] = data["people"][:1]
    revised = write_folder(tmp_path / "revised", data)

    replaced = bundle_import(path=revised, by=console, replace=True)

    assert Review.objects.count() == 1
    assert not Review.objects.filter(pk=original.pk).exists()
    assert replaced.title == "Domestic Homicide Review: Kerry (revised)"
    assert replaced.people.count() == 1
    assert replaced.chronology_files.count() == 1
    assert replaced.events.get().data["replaced_review_id"] == original.pk
    good = snapshot(replaced)

    data["people"][0]["date_of_birth"] = "1983-02-30"
    broken = write_folder(tmp_path / "broken", data)
    refused(lambda: bundle_import(path=broken, by=console, replace=True))

    assert snapshot(replaced) == good


def test_a_failure_while_storing_rolls_everything_back(
    kerry: Path, console: User, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    original = bundle_import(path=kerry, by=console)
    good, before = snapshot(original), counts()
    data = sample_data()
    data["agencies"].append({"name": "Northbridge Probation", "type": "probation"})
    revised = write_folder(tmp_path / "revised", data)

    def fail(**kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(ChronologyFile.objects, "create", fail)
    with pytest.raises(RuntimeError):
        bundle_import(path=revised, by=console, replace=True)

    assert counts() == before
    assert snapshot(original) == good
    assert not Organisation.objects.filter(name="Northbridge Probation").exists()


def test_replace_needs_the_right_to_edit_the_existing_review(cast: Any, tmp_path: Path):
    bundle = write_folder(tmp_path / "b", sample_data())  # the cast's review's reference

    with pytest.raises(PermissionDenied):
        bundle_import(path=bundle, by=cast.admin, replace=True)
    review = bundle_import(path=bundle, by=cast.coordinator, replace=True)

    assert review.title == "Domestic Homicide Review into the death of Kerry"
    assert review.people.count() == 3


# --- paths, archives and limits ---------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["../secret.csv", "/etc/passwd", "chronology/../../secret.csv", "C:/secret.csv", "a\\b.csv"],
)
def test_a_chronology_path_outside_the_bundle_is_refused(console: User, tmp_path: Path, path: str):
    (tmp_path / "secret.csv").write_text("not for you")
    data = sample_data()
    data["chronology"][0]["file"] = path
    bundle = write_folder(tmp_path / "b", data)

    problems = refused(lambda: bundle_import(path=bundle, by=console))

    assert [(p.field, p.value) for p in problems] == [("chronology[0].file", path)]
    assert "inside the bundle" in problems[0].message
    assert not ChronologyFile.objects.exists()


def test_a_symbolic_link_out_of_the_folder_is_refused(console: User, tmp_path: Path):
    (tmp_path / "secret.csv").write_text("not for you")
    data = sample_data()
    data["chronology"][0]["file"] = "chronology/link.csv"
    bundle = write_folder(tmp_path / "b", data)
    (bundle / "chronology" / "link.csv").symlink_to(tmp_path / "secret.csv")

    problems = refused(lambda: bundle_import(path=bundle, by=console))

    assert (problems[0].field, problems[0].message) == (
        "chronology[0].file",
        "no such file in the bundle",
    )


def zip_folder(folder: Path, out: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, prefix + path.relative_to(folder).as_posix())
    return out


def test_a_zip_is_imported_also_when_it_holds_one_folder(
    kerry: Path, console: User, tmp_path: Path
):
    archive = zip_folder(kerry, tmp_path / "kerry.zip", prefix="kerry/")

    review = bundle_import(path=archive, by=console)

    assert review.chronology_files.count() == 2


def test_a_zip_member_named_outside_the_bundle_is_never_read(console: User, tmp_path: Path):
    data = sample_data()
    data["chronology"][0]["file"] = "../evil.csv"
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("review.yaml", yaml.safe_dump(data))
        zf.writestr("../evil.csv", "x")

    problems = refused(lambda: bundle_import(path=archive, by=console))

    assert problems[0].field == "chronology[0].file"


def _declare_size(archive: bytes, member: str, size: int) -> bytes:
    """Rewrite the uncompressed size the archive declares for `member` (local and central)."""
    data = bytearray(archive)
    name = member.encode()
    local = data.find(b"PK\x03\x04")
    while local != -1:
        name_len = struct.unpack_from("<H", data, local + 26)[0]
        if bytes(data[local + 30 : local + 30 + name_len]) == name:
            struct.pack_into("<I", data, local + 22, size)
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_len = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46 : central + 46 + name_len]) == name:
            struct.pack_into("<I", data, central + 24, size)
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def test_a_zip_bomb_is_refused_from_its_declared_size(kerry: Path, console: User, tmp_path: Path):
    small = zip_folder(kerry, tmp_path / "small.zip").read_bytes()
    bomb = tmp_path / "bomb.zip"
    bomb.write_bytes(_declare_size(small, "chronology/01_police.csv", 0xF0000000))
    assert bomb.stat().st_size < 20_000
    before = counts()

    problems = refused(lambda: bundle_import(path=bomb, by=console))

    assert counts() == before
    assert problems[0].field == "chronology/01_police.csv"
    assert "inflates to 3840.0 MB" in problems[0].message


def test_a_zip_inflating_past_the_limits_is_refused(console: User, tmp_path: Path):
    data = sample_data()
    archive = tmp_path / "big.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("review.yaml", yaml.safe_dump(data))
        zf.writestr("chronology/01_police.csv", b"0" * 3_000_000)
    assert archive.stat().st_size < 10_000

    per_file = refused(
        lambda: bundle_import(path=archive, by=console, limits=Limits(per_file=1_000_000))
    )
    total = refused(lambda: bundle_import(path=archive, by=console, limits=Limits(total=2_000_000)))

    assert "over the limit of 1.0 MB a file" in per_file[0].message
    assert "over the limit of 1.9 MB a bundle" in total[0].message
    assert not Review.objects.exists()


def test_a_folder_file_over_the_limit_is_refused(kerry: Path, console: User):
    problems = refused(lambda: bundle_import(path=kerry, by=console, limits=Limits(per_file=100)))

    assert problems[0].file == "chronology/01_police.csv"
    assert "too large" in problems[0].message
    assert not Review.objects.exists()


# --- export and the round trip ----------------------------------------------------------------


def test_round_trip_into_a_fresh_database_keeps_everything(
    kerry: Path, console: User, tmp_path: Path
):
    first = snapshot(bundle_import(path=kerry, by=console))
    review = Review.objects.get()
    out = bundle_export(review=review, by=console, output=tmp_path / "out.zip")
    Review.objects.all().delete()
    Organisation.objects.all().delete()

    again = bundle_import(path=out, by=console)

    assert snapshot(again) == first


def test_round_trip_with_replace_keeps_everything(kerry: Path, console: User, tmp_path: Path):
    review = bundle_import(path=kerry, by=console)
    first = snapshot(review)
    out = bundle_export(review=review, by=console, output=tmp_path / "out.zip")

    again = bundle_import(path=out, by=console, replace=True)

    assert again.pk != review.pk
    assert snapshot(again) == first


def test_the_exported_yaml_is_marked_personal_and_in_the_documented_shape(
    kerry: Path, console: User, tmp_path: Path
):
    review = bundle_import(path=kerry, by=console)
    out = bundle_export(review=review, by=console, output=tmp_path / "out.zip")

    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        text = archive.read("review.yaml").decode()
    assert names == ["review.yaml", "chronology/01_police.csv", "chronology/02_housing.xlsx"]
    assert text.startswith(HEADER.format(version=BUNDLE_FORMAT_VERSION))
    data = yaml.safe_load(text)
    assert data["format"] == 1
    assert data["date_of_death"] == dt.date(2024, 9, 20)
    assert "date_of_birth: 1983-06-14" in text
    assert data["people"][0] == {
        "role": "victim",
        "name": "Joanne Whitfield",
        "pseudonym": "Kerry",
        "aliases": ["Jo"],
        "date_of_birth": dt.date(1983, 6, 14),
        "sex": "female",
        "ethnicity": "White British",
    }
    assert data["notification"]["notifier_contact"] == "01632 960 123"
    assert data["chronology"][0] == {
        "file": "chronology/01_police.csv",
        "agency": "Northbridge Police",
    }
    assert (out.stat().st_mode & 0o777) == 0o600


def test_a_review_built_in_lantern_round_trips(console: User, tmp_path: Path):
    csp = organisation_get_or_create(name="Eastvale CSP", type="csp")
    ambulance = organisation_get_or_create(name="Eastvale Ambulance", type="ambulance")
    review = review_notify(
        by=console,
        csp=csp,
        notification_date=dt.date(2025, 1, 10),
        reference="EV-DHR-2025-01",
        title="DHR: Sam",
        notification_source="other_agency",
        notifying_agency=ambulance,
        circumstances="Line one.\nLine two: with a colon.\n\n  indented  ",
        date_of_death=dt.date(2025, 1, 3),
        death_type="homicide",
        pseudonym="Sam",
        legal_test="da_act_2021",
    )
    review.joint_with = "Safeguarding Adults Review"
    review.save()
    person_add(
        review=review,
        by=console,
        role="victim",
        real_name="Alex Rowe",
        pseudonym="Sam",
        aliases=["Al", "2024"],
        notes="yes",
    )
    person_add(review=review, by=console, role="child", real_name="", pseudonym="Child A")
    review_agency_add(
        review=review, by=console, name="Eastvale Council", type="housing", in_scope=False
    )
    ChronologyFile.objects.create(
        review=review,
        agency=ambulance,
        path="C:\\Users\\me\\ambulance.csv",
        content=b"a,b\n",
        sha256="x",
        size=4,
        position=0,
    )
    first = snapshot(review)
    out = bundle_export(review=review, by=console, output=tmp_path / "out.zip")
    Review.objects.all().delete()
    Organisation.objects.all().delete()

    again = snapshot(bundle_import(path=out, by=console))

    chronology = first.pop("chronology")
    assert {**again, "chronology": None} == {**first, "chronology": None}
    # The unsafe recorded path is replaced by a safe one; the agency keeps its type.
    assert again["chronology"][0][:3] == (
        "chronology/01_ambulance.csv",
        "Eastvale Ambulance",
        "ambulance",
    )
    assert again["chronology"][0][3] == chronology[0][3]


def test_an_encrypted_round_trip_needs_the_passphrase(kerry: Path, console: User, tmp_path: Path):
    review = bundle_import(path=kerry, by=console)
    first = snapshot(review)
    out = bundle_export(
        review=review, by=console, output=tmp_path / "out.zip", passphrase=PASSPHRASE
    )

    raw = out.read_bytes()
    assert b"Whitfield" not in raw and b"Kerry" not in raw
    with zipfile.ZipFile(out) as archive:
        assert all(info.flag_bits & 0x1 for info in archive.infolist())
        with pytest.raises(RuntimeError):
            archive.read("review.yaml")

    no_passphrase = refused(lambda: bundle_import(path=out, by=console, replace=True))
    wrong = refused(
        lambda: bundle_import(path=out, by=console, replace=True, passphrase="not the one at all")
    )
    assert "--passphrase-stdin" in no_passphrase[0].message
    assert "passphrase is wrong" in wrong[0].message
    assert Review.objects.get().pk == review.pk

    again = bundle_import(path=out, by=console, replace=True, passphrase=PASSPHRASE)

    assert snapshot(again) == first


def test_export_needs_the_export_capability_and_is_audited(cast: Any, tmp_path: Path):
    out = tmp_path / "out.zip"
    with pytest.raises(PermissionDenied):
        bundle_export(review=cast.review, by=cast.chair, output=out)
    with pytest.raises(Http404):
        bundle_export(review=cast.review, by=cast.outsider, output=out)
    assert not out.exists()

    bundle_export(review=cast.review, by=cast.coordinator, output=out)

    event = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).get()
    assert (event.actor, event.review, event.data["encrypted"]) == (
        cast.coordinator,
        cast.review,
        False,
    )


# --- the schema on its own --------------------------------------------------------------------


def test_schema_round_trips_a_spec_without_the_database():
    vocabulary = Vocabulary(
        review_types=("dhr",),
        death_types=("suicide", "unknown"),
        person_roles=("victim", "perpetrator"),
        perpetrator_relationships=("former_partner",),
        organisation_types=("csp", "police", "other"),
        legal_tests=("dvcva_2004_s9",),
        notification_sources=("police", "other"),
        default_legal_test="dvcva_2004_s9",
    )
    files = {"chronology/01_police.csv"}
    data, problems = load_yaml((SAMPLE / "review.yaml").read_text())
    data["agencies"] = [{"name": "Northbridge Police", "type": "police"}]
    data["people"] = data["people"][:2]
    spec, problems = parse_review(data, vocabulary=vocabulary, has_file=files.__contains__)
    assert problems == [] and spec is not None

    copy_of = copy.deepcopy(spec_to_data(spec))
    again, problems = parse_review(copy_of, vocabulary=vocabulary, has_file=files.__contains__)

    assert problems == []
    assert again == spec


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("a.csv", "a.csv"),
        ("./chronology/a.csv", "chronology/a.csv"),
        ("chronology//a.csv", "chronology/a.csv"),
        ("../a.csv", None),
        ("a/../../b", None),
        ("/a.csv", None),
        ("C:/a.csv", None),
        ("a\\b", None),
        (".", None),
        ("", None),
    ],
)
def test_safe_member_path(raw: str, safe: str | None):
    assert safe_member_path(raw) == safe


# --- the command line -------------------------------------------------------------------------


@pytest.fixture
def no_lantern_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LANTERN_USER", raising=False)


def test_call_command_imports_and_reports_problems(
    kerry: Path, db: Any, tmp_path: Path, no_lantern_user: None
):
    out, err = io.StringIO(), io.StringIO()
    call_command("review", "import", str(kerry), stdout=out, stderr=err)
    assert "Imported NB-DHR-2024-07" in out.getvalue()

    data = sample_data()
    data["reference"] = "NB-DHR-2024-08"
    data["people"][0]["date_of_birth"] = "1983-13-45"
    bad = write_folder(tmp_path / "bad", data)
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was stored"):
        call_command("review", "import", str(bad), stdout=io.StringIO(), stderr=err)
    assert "field 'people[0].date_of_birth': not a date (use YYYY-MM-DD) (value: '1983-13-45')" in (
        err.getvalue()
    )
    assert Review.objects.count() == 1


def test_call_command_imports_an_encrypted_bundle_from_stdin(
    kerry: Path,
    console: User,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    no_lantern_user: None,
):
    review = bundle_import(path=kerry, by=console)
    out = bundle_export(review=review, by=console, output=tmp_path / "e.zip", passphrase=PASSPHRASE)
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSPHRASE + "\n"))
    stdout = io.StringIO()

    call_command(
        "review", "import", str(out), "--replace", "--passphrase-stdin", "--json", stdout=stdout
    )

    assert '"chronology_files": 2' in stdout.getvalue()


LANTERN = Path(sys.executable).with_name("lantern")


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A migrated embedded database in a temporary data folder, for the real `lantern` command."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "LANTERN_USER", "DJANGO_SETTINGS_MODULE"}
    }
    env["LANTERN_DATA_DIR"] = str(tmp_path_factory.mktemp("lantern-data"))
    done = subprocess.run(
        [str(LANTERN), "migrate", "--no-input", "-v0"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return env


def lantern(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LANTERN), *args], env=env, input=stdin, capture_output=True, text=True, timeout=120
    )


def test_the_lantern_command_imports_exports_and_refuses(cli_env: dict[str, str], tmp_path: Path):
    ok = lantern(cli_env, "review", "import", str(SAMPLE))
    assert (ok.returncode, ok.stdout.strip()) == (
        0,
        "Imported NB-DHR-2024-07: Domestic Homicide Review into the death of Kerry",
    )

    again = lantern(cli_env, "review", "import", str(SAMPLE))
    assert again.returncode == 1
    assert "field 'reference': a review with this reference already exists" in again.stderr

    data = sample_data()
    data["death_type"] = "murder"
    data["agencies"][0]["name"] = ""
    bad = write_folder(tmp_path / "bad", data)
    refused_ = lantern(cli_env, "review", "import", str(bad), "--replace")
    assert refused_.returncode == 1
    assert "field 'death_type': not one of: homicide, suicide" in refused_.stderr
    assert "(value: 'murder')" in refused_.stderr
    assert "field 'agencies[0].name'" in refused_.stderr
    assert "Refused: " in refused_.stderr and "nothing was stored" in refused_.stderr

    plain = lantern(cli_env, "review", "export", "NB-DHR-2024-07", "-o", str(tmp_path / "p.zip"))
    assert plain.returncode == 0
    assert "holds personal data" in plain.stderr

    secret = lantern(
        cli_env,
        "review",
        "export",
        "NB-DHR-2024-07",
        "-o",
        str(tmp_path / "s.zip"),
        "--encrypt",
        stdin=PASSPHRASE + "\n",
    )
    assert secret.returncode == 0 and "personal data" not in secret.stderr

    locked = lantern(cli_env, "review", "import", str(tmp_path / "s.zip"), "--replace")
    assert locked.returncode == 1 and "--passphrase-stdin" in locked.stderr
    wrong = lantern(
        cli_env,
        "review",
        "import",
        str(tmp_path / "s.zip"),
        "--replace",
        "--passphrase-stdin",
        stdin="a wrong passphrase\n",
    )
    assert wrong.returncode == 1 and "passphrase is wrong" in wrong.stderr
    unlocked = lantern(
        cli_env,
        "review",
        "import",
        str(tmp_path / "s.zip"),
        "--replace",
        "--passphrase-stdin",
        "--json",
        stdin=PASSPHRASE + "\n",
    )
    assert unlocked.returncode == 0, unlocked.stderr
    assert '"people": 3' in unlocked.stdout
