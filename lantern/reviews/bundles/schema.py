"""The `review.yaml` format: read it, check every field, and write it back.

No Django here. What the database knows (the configured review types, which organisations
already exist, how long each field may be) comes in as a `Vocabulary`, so this module can be
tested on its own and the rules live in one place for the importer and the exporter.

Every problem is collected and returned as a `Problem` naming the field and the value; nothing is
refused on the first problem, so a user fixing a bundle sees them all at once.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import yaml

from lantern.core.errors import Problem

BUNDLE_FORMAT_VERSION = 1
YAML_NAME = "review.yaml"

# Reference: letters, digits, hyphen and underscore. A slash would be sensible on paper, but the
# reference is a URL segment (`reviews/<str:reference>/`) and a file name in exports.
REFERENCE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_VALUE_SHOWN_MAX = 120

TOP_KEYS = (
    "format",
    "reference",
    "title",
    "review_type",
    "csp",
    "pseudonym",
    "date_of_death",
    "notification_date",
    "death_type",
    "place_of_death",
    "legal_test",
    "joint_with",
    "notification",
    "people",
    "agencies",
    "chronology",
)
NOTIFICATION_KEYS = (
    "source",
    "notifying_agency",
    "notifier_name",
    "notifier_contact",
    "circumstances",
)
PERSON_KEYS = (
    "role",
    "name",
    "pseudonym",
    "aliases",
    "date_of_birth",
    "sex",
    "ethnicity",
    "relationship_to_victim",
    "notes",
)
AGENCY_KEYS = ("name", "type", "in_scope", "reason_not_in_scope")
AGENCY_REF_KEYS = ("name", "type")
CHRONOLOGY_KEYS = ("file", "agency")


@dataclass(frozen=True)
class Vocabulary:
    """What the importer's database allows. `organisation_type(name)` returns the type of the
    organisation with that name (case-insensitive), or None if there is none."""

    review_types: tuple[str, ...]
    death_types: tuple[str, ...]
    person_roles: tuple[str, ...]
    perpetrator_relationships: tuple[str, ...]
    organisation_types: tuple[str, ...]
    legal_tests: tuple[str, ...]
    notification_sources: tuple[str, ...]
    default_legal_test: str
    max_lengths: Mapping[str, int] = field(default_factory=dict)
    organisation_type: Callable[[str], str | None] = lambda name: None
    default_review_type: str = "dhr"
    default_death_type: str = "unknown"
    default_notification_source: str = "police"
    default_organisation_type: str = "other"
    csp_type: str = "csp"
    perpetrator_role: str = "perpetrator"


@dataclass(frozen=True)
class AgencyRef:
    """An organisation named by a chronology entry or the notification.

    A bare name must be an agency of the bundle or an organisation Lantern already has; a name
    with a type is created if it does not exist (the exporter writes that form for an
    organisation that is not one of the review's agencies, so the bundle imports anywhere).
    """

    name: str
    type: str | None = None


@dataclass(frozen=True)
class NotificationSpec:
    source: str = "police"
    notifying_agency: AgencyRef | None = None
    notifier_name: str = ""
    notifier_contact: str = ""
    circumstances: str = ""


@dataclass(frozen=True)
class PersonSpec:
    role: str
    name: str = ""
    pseudonym: str = ""
    aliases: tuple[str, ...] = ()
    date_of_birth: date | None = None
    sex: str = ""
    ethnicity: str = ""
    relationship_to_victim: str = ""
    notes: str = ""


@dataclass(frozen=True)
class AgencySpec:
    name: str
    type: str = "other"
    in_scope: bool = True
    reason_not_in_scope: str = ""


@dataclass(frozen=True)
class ChronologySpec:
    file: str
    agency: AgencyRef


@dataclass(frozen=True)
class ReviewSpec:
    reference: str
    title: str
    review_type: str
    csp: str
    notification_date: date
    legal_test: str
    pseudonym: str = ""
    date_of_death: date | None = None
    death_type: str = "unknown"
    place_of_death: str = ""
    joint_with: str = ""
    notification: NotificationSpec = NotificationSpec()
    people: tuple[PersonSpec, ...] = ()
    agencies: tuple[AgencySpec, ...] = ()
    chronology: tuple[ChronologySpec, ...] = ()


# --- Reading YAML -----------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """Safe loading, with two changes.

    Timestamps stay text, because PyYAML raises on `1983-13-45` instead of handing it over, and
    we want to report that as a bad date in a named field. Duplicate keys are an error, because
    PyYAML would otherwise keep the last `people:` and silently drop the first.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=deep)
            try:
                duplicate = key in seen
            except TypeError:
                continue  # unhashable: the base class reports it
            if duplicate:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping",
                    node.start_mark,
                    f"the key '{key}' appears twice",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_Loader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)


def load_yaml(text: str, *, file: str = YAML_NAME) -> tuple[Any, list[Problem]]:
    """Parse YAML text; a syntax error is one problem giving the line and column."""
    try:
        return yaml.load(text, Loader=_Loader), []  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown place"
        what = error.problem or error.context or "not valid YAML"
        return None, [Problem(file=file, message=f"YAML syntax error at {where}: {what}")]
    except yaml.YAMLError as error:
        return None, [Problem(file=file, message=f"not valid YAML: {error}")]
    except RecursionError:
        return None, [Problem(file=file, message="not valid YAML: nested too deeply")]


# --- Checking ---------------------------------------------------------------------------------


def show(value: Any) -> str:
    """A short text form of a value for a message; never expands a nested structure."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return "(a mapping)"
    if isinstance(value, list | tuple):
        return "(a list)"
    if value is None:
        return ""
    text = str(value)
    return text if len(text) <= _VALUE_SHOWN_MAX else text[: _VALUE_SHOWN_MAX - 1] + "…"


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a yes/no value"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def safe_member_path(raw: str) -> str | None:
    """The normalised form of a path inside a bundle, or None if it is absolute or escapes it."""
    if not raw or "\x00" in raw or "\\" in raw:
        return None
    if raw.startswith("/") or re.match(r"^[A-Za-z]:", raw):
        return None
    if ".." in raw.split("/"):
        return None
    path = posixpath.normpath(raw)
    if path in (".", "") or path.startswith("../"):
        return None
    return path


class _Checker:
    def __init__(
        self, vocabulary: Vocabulary, has_file: Callable[[str], bool], file: str = YAML_NAME
    ) -> None:
        self.vocab = vocabulary
        self.has_file = has_file
        self.file = file
        self.problems: list[Problem] = []

    def problem(self, where: str, message: str, value: Any = None) -> None:
        self.problems.append(
            Problem(file=self.file, field=where, value=show(value), message=message)
        )

    def unknown_keys(self, data: Mapping, allowed: tuple[str, ...], prefix: str) -> None:
        for key in data:
            if key in allowed:
                continue
            name = str(key)
            close = difflib.get_close_matches(name, allowed, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            self.problem(
                f"{prefix}{name}",
                f"not a key a bundle can have here{hint}; allowed: {', '.join(allowed)}",
            )

    def text(
        self,
        data: Mapping,
        key: str,
        where: str,
        *,
        required: bool = False,
        length_key: str | None = None,
        strip: bool = False,
    ) -> str:
        """Text as written, so that what Lantern holds comes back unchanged; names that identify
        an organisation are stripped, as Lantern matches them by name."""
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.problem(where, "missing: this field is required")
            return ""
        if not isinstance(value, str):
            self.problem(
                where,
                f"not text (YAML read it as {_kind(value)}): put the value in quotes",
                value,
            )
            return ""
        if strip:
            value = value.strip()
        if required and not value.strip():
            self.problem(where, "empty: this field is required", data.get(key))
            return ""
        limit = self.vocab.max_lengths.get(length_key or key)
        if limit and len(value) > limit:
            self.problem(where, f"too long: at most {limit} characters", value)
            return ""
        return value

    def date(self, data: Mapping, key: str, where: str, *, required: bool = False) -> date | None:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.problem(where, "missing: this field is required (a date, YYYY-MM-DD)")
            return None
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str) and _DATE_PATTERN.match(value.strip()):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.problem(where, "not a date (use YYYY-MM-DD)", value)
        return None

    def choice(
        self, data: Mapping, key: str, where: str, choices: tuple[str, ...], default: str
    ) -> str:
        value = data.get(key)
        if value is None or value == "":
            return default
        if not isinstance(value, str) or value.strip() not in choices:
            self.problem(where, f"not one of: {', '.join(choices)}", value)
            return default
        return value.strip()

    def flag(self, data: Mapping, key: str, where: str, default: bool) -> bool:
        value = data.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.problem(where, "not true or false", value)
            return default
        return value

    def mapping(self, value: Any, where: str, example: str) -> Mapping | None:
        if not isinstance(value, Mapping):
            self.problem(where, f"not a mapping of keys and values (for example {example})", value)
            return None
        return value

    def items(self, data: Mapping, key: str, example: str) -> list[tuple[str, Mapping]]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(key, f"not a list (each entry starts with '- ', for example {example})")
            return []
        found = []
        for i, item in enumerate(value):
            entry = self.mapping(item, f"{key}[{i}]", example)
            if entry is not None:
                found.append((f"{key}[{i}]", entry))
        return found

    # -- the parts of a bundle --

    def review(self, data: Any) -> ReviewSpec | None:
        if not isinstance(data, Mapping):
            self.problem(
                "",
                "review.yaml must be a mapping of keys and values (reference: ..., title: ...)",
                data if not isinstance(data, str) else data[:_VALUE_SHOWN_MAX],
            )
            return None
        self.unknown_keys(data, TOP_KEYS, "")
        version = data.get("format", BUNDLE_FORMAT_VERSION)
        if version != BUNDLE_FORMAT_VERSION or isinstance(version, bool):
            self.problem(
                "format", f"this Lantern reads bundle format {BUNDLE_FORMAT_VERSION}", version
            )
        reference = self.text(data, "reference", "reference", required=True)
        if reference and not REFERENCE_PATTERN.match(reference):
            self.problem(
                "reference",
                "use only letters, digits, hyphens and underscores, starting with a letter or "
                "digit",
                reference,
            )
        title = self.text(data, "title", "title", required=True)
        review_type = self.choice(
            data,
            "review_type",
            "review_type",
            self.vocab.review_types,
            self.vocab.default_review_type,
        )
        csp = self.text(data, "csp", "csp", required=True, length_key="organisation", strip=True)
        if csp:
            existing = self.vocab.organisation_type(csp)
            if existing is not None and existing != self.vocab.csp_type:
                self.problem(
                    "csp",
                    f"an organisation of this name exists as type '{existing}', not a Community "
                    "Safety Partnership",
                    csp,
                )
        date_of_death = self.date(data, "date_of_death", "date_of_death")
        notification_date = self.date(data, "notification_date", "notification_date", required=True)
        if date_of_death and notification_date and notification_date < date_of_death:
            self.problem(
                "notification_date",
                f"before the date of death ({date_of_death.isoformat()})",
                notification_date.isoformat(),
            )
        agencies = self.agencies(data)
        known = {a.name.casefold() for a in agencies} | ({csp.casefold()} if csp else set())
        spec = ReviewSpec(
            reference=reference,
            title=title,
            review_type=review_type,
            csp=csp,
            notification_date=notification_date or date.min,
            legal_test=self.choice(
                data,
                "legal_test",
                "legal_test",
                self.vocab.legal_tests,
                self.vocab.default_legal_test,
            ),
            pseudonym=self.text(data, "pseudonym", "pseudonym"),
            date_of_death=date_of_death,
            death_type=self.choice(
                data,
                "death_type",
                "death_type",
                self.vocab.death_types,
                self.vocab.default_death_type,
            ),
            place_of_death=self.text(data, "place_of_death", "place_of_death"),
            joint_with=self.text(data, "joint_with", "joint_with"),
            notification=self.notification(data, known),
            people=self.people(data),
            agencies=agencies,
            chronology=self.chronology(data, known),
        )
        return None if self.problems else spec

    def notification(self, data: Mapping, known: set[str]) -> NotificationSpec:
        raw = data.get("notification")
        if raw is None:
            return NotificationSpec(source=self.vocab.default_notification_source)
        section = self.mapping(raw, "notification", "{source: police, notifier_name: ...}")
        if section is None:
            return NotificationSpec(source=self.vocab.default_notification_source)
        self.unknown_keys(section, NOTIFICATION_KEYS, "notification.")
        agency = None
        if section.get("notifying_agency") is not None:
            agency = self.agency_ref(
                section["notifying_agency"], "notification.notifying_agency", known
            )
        return NotificationSpec(
            source=self.choice(
                section,
                "source",
                "notification.source",
                self.vocab.notification_sources,
                self.vocab.default_notification_source,
            ),
            notifying_agency=agency,
            notifier_name=self.text(
                section, "notifier_name", "notification.notifier_name", length_key="notifier_name"
            ),
            notifier_contact=self.text(
                section,
                "notifier_contact",
                "notification.notifier_contact",
                length_key="notifier_contact",
            ),
            circumstances=self.text(section, "circumstances", "notification.circumstances"),
        )

    def people(self, data: Mapping) -> tuple[PersonSpec, ...]:
        people = []
        for where, entry in self.items(data, "people", "{role: victim, name: ..., pseudonym: ...}"):
            self.unknown_keys(entry, PERSON_KEYS, f"{where}.")
            role = entry.get("role")
            if role is None or role == "":
                self.problem(
                    f"{where}.role",
                    f"missing: give one of {', '.join(self.vocab.person_roles)}",
                )
            elif not isinstance(role, str) or role.strip() not in self.vocab.person_roles:
                self.problem(
                    f"{where}.role", f"not one of: {', '.join(self.vocab.person_roles)}", role
                )
            role = role.strip() if isinstance(role, str) else ""
            relationship = self.text(
                entry,
                "relationship_to_victim",
                f"{where}.relationship_to_victim",
                length_key="person.relationship_to_victim",
            )
            if (
                role == self.vocab.perpetrator_role
                and relationship
                and relationship not in self.vocab.perpetrator_relationships
            ):
                self.problem(
                    f"{where}.relationship_to_victim",
                    "not a relationship for a perpetrator; use one of: "
                    + ", ".join(self.vocab.perpetrator_relationships),
                    relationship,
                )
            people.append(
                PersonSpec(
                    role=role,
                    name=self.text(entry, "name", f"{where}.name", length_key="person.name"),
                    pseudonym=self.text(
                        entry, "pseudonym", f"{where}.pseudonym", length_key="person.pseudonym"
                    ),
                    aliases=self.aliases(entry, f"{where}.aliases"),
                    date_of_birth=self.date(entry, "date_of_birth", f"{where}.date_of_birth"),
                    sex=self.text(entry, "sex", f"{where}.sex", length_key="person.sex"),
                    ethnicity=self.text(
                        entry, "ethnicity", f"{where}.ethnicity", length_key="person.ethnicity"
                    ),
                    relationship_to_victim=relationship,
                    notes=self.text(entry, "notes", f"{where}.notes", length_key="person.notes"),
                )
            )
        return tuple(people)

    def aliases(self, entry: Mapping, where: str) -> tuple[str, ...]:
        value = entry.get("aliases")
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem(where, "not a list of names (for example [Jo, Jo Smith])", value)
            return ()
        names = []
        for i, name in enumerate(value):
            if not isinstance(name, str) or not name.strip():
                self.problem(f"{where}[{i}]", "not a name (text)", name)
            else:
                names.append(name)
        return tuple(names)

    def agencies(self, data: Mapping) -> tuple[AgencySpec, ...]:
        agencies: list[AgencySpec] = []
        seen: dict[str, str] = {}
        for where, entry in self.items(
            data, "agencies", "{name: Northbridge Police, type: police}"
        ):
            self.unknown_keys(entry, AGENCY_KEYS, f"{where}.")
            name = self.text(
                entry, "name", f"{where}.name", required=True, length_key="organisation", strip=True
            )
            if name and name.casefold() in seen:
                self.problem(f"{where}.name", f"named twice (also {seen[name.casefold()]})", name)
                continue
            if name:
                seen[name.casefold()] = where
            agencies.append(
                AgencySpec(
                    name=name,
                    type=self.choice(
                        entry,
                        "type",
                        f"{where}.type",
                        self.vocab.organisation_types,
                        self.vocab.default_organisation_type,
                    ),
                    in_scope=self.flag(entry, "in_scope", f"{where}.in_scope", True),
                    reason_not_in_scope=self.text(
                        entry,
                        "reason_not_in_scope",
                        f"{where}.reason_not_in_scope",
                        length_key="agency.reason_not_in_scope",
                    ),
                )
            )
        return tuple(agencies)

    def agency_ref(self, value: Any, where: str, known: set[str]) -> AgencyRef | None:
        if isinstance(value, Mapping):
            self.unknown_keys(value, AGENCY_REF_KEYS, f"{where}.")
            name = self.text(
                value, "name", f"{where}.name", required=True, length_key="organisation", strip=True
            )
            kind = self.choice(
                value,
                "type",
                f"{where}.type",
                self.vocab.organisation_types,
                self.vocab.default_organisation_type,
            )
            return AgencyRef(name=name, type=kind) if name else None
        name = self.text(
            {"agency": value}, "agency", where, required=True, length_key="organisation", strip=True
        )
        if not name:
            return None
        if name.casefold() not in known and self.vocab.organisation_type(name) is None:
            self.problem(
                where,
                "not an agency named under 'agencies:' nor an organisation Lantern has; add it "
                "to 'agencies:'",
                name,
            )
            return None
        return AgencyRef(name=name)

    def chronology(self, data: Mapping, known: set[str]) -> tuple[ChronologySpec, ...]:
        entries = []
        seen: dict[str, str] = {}
        example = "{file: chronology/01_police.xlsx, agency: Northbridge Police}"
        for where, entry in self.items(data, "chronology", example):
            self.unknown_keys(entry, CHRONOLOGY_KEYS, f"{where}.")
            raw = self.text(
                entry, "file", f"{where}.file", required=True, length_key="chronology.file"
            )
            path = None
            if raw:
                path = safe_member_path(raw)
                if path is None:
                    self.problem(
                        f"{where}.file",
                        "not a path inside the bundle (no absolute paths, '..' or backslashes)",
                        raw,
                    )
                elif path in seen:
                    self.problem(f"{where}.file", f"listed twice (also {seen[path]})", raw)
                    path = None
                elif path == YAML_NAME or not self.has_file(path):
                    self.problem(f"{where}.file", "no such file in the bundle", raw)
                    path = None
                else:
                    seen[path] = where
            agency = None
            if entry.get("agency") is None:
                self.problem(f"{where}.agency", "missing: name the agency the chronology is from")
            else:
                agency = self.agency_ref(entry["agency"], f"{where}.agency", known)
            if path and agency:
                entries.append(ChronologySpec(file=path, agency=agency))
        return tuple(entries)


def parse_review(
    data: Any, *, vocabulary: Vocabulary, has_file: Callable[[str], bool]
) -> tuple[ReviewSpec | None, list[Problem]]:
    """Check loaded `review.yaml` data. Returns the spec, or None and every problem found."""
    checker = _Checker(vocabulary, has_file)
    spec = checker.review(data)
    # Report in the order of the file's sections (the checks run in the order they need).
    checker.problems.sort(key=_section_order)
    return spec, checker.problems


def _section_order(problem: Problem) -> int:
    head = re.split(r"[.\[]", problem.field, maxsplit=1)[0]
    return TOP_KEYS.index(head) if head in TOP_KEYS else len(TOP_KEYS)


# --- Writing ----------------------------------------------------------------------------------

HEADER = (
    "# Lantern review bundle (format {version}).\n"
    "# PERSONAL DATA: this file holds the real names, dates of birth and other details of the\n"
    "# people in a Domestic Homicide Review: special-category data under UK GDPR. Keep it in an\n"
    "# encrypted place, share it only with those entitled to it, and delete it when done.\n"
)


def _agency_ref_data(ref: AgencyRef) -> str | dict[str, str]:
    return ref.name if ref.type is None else {"name": ref.name, "type": ref.type}


def _drop_empty(data: dict[str, Any], keep: tuple[str, ...] = ()) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k in keep or v not in ("", None, [], {})}


def spec_to_data(spec: ReviewSpec) -> dict[str, Any]:
    """The `review.yaml` mapping for a spec: the inverse of `parse_review`."""
    note = spec.notification
    notification = _drop_empty(
        {
            "source": note.source,
            "notifying_agency": _agency_ref_data(note.notifying_agency)
            if note.notifying_agency
            else None,
            "notifier_name": note.notifier_name,
            "notifier_contact": note.notifier_contact,
            "circumstances": note.circumstances,
        }
    )
    people = [
        _drop_empty(
            {
                "role": p.role,
                "name": p.name,
                "pseudonym": p.pseudonym,
                "aliases": list(p.aliases),
                "date_of_birth": p.date_of_birth,
                "sex": p.sex,
                "ethnicity": p.ethnicity,
                "relationship_to_victim": p.relationship_to_victim,
                "notes": p.notes,
            }
        )
        for p in spec.people
    ]
    agencies = [
        _drop_empty(
            {
                "name": a.name,
                "type": a.type,
                "in_scope": a.in_scope,
                "reason_not_in_scope": a.reason_not_in_scope,
            }
        )
        for a in spec.agencies
    ]
    chronology = [{"file": c.file, "agency": _agency_ref_data(c.agency)} for c in spec.chronology]
    return _drop_empty(
        {
            "format": BUNDLE_FORMAT_VERSION,
            "reference": spec.reference,
            "title": spec.title,
            "review_type": spec.review_type,
            "csp": spec.csp,
            "pseudonym": spec.pseudonym,
            "date_of_death": spec.date_of_death,
            "notification_date": spec.notification_date,
            "death_type": spec.death_type,
            "place_of_death": spec.place_of_death,
            "legal_test": spec.legal_test,
            "joint_with": spec.joint_with,
            "notification": notification,
            "people": people,
            "agencies": agencies,
            "chronology": chronology,
        },
        keep=("people", "agencies", "chronology"),
    )


class _Dumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    value = str(value)  # a model's TextChoices member is a str subclass; write its value
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_multi_representer(str, _represent_str)
_Dumper.add_representer(str, _represent_str)


def dump_yaml(spec: ReviewSpec) -> str:
    body = yaml.dump(
        spec_to_data(spec),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    return HEADER.format(version=BUNDLE_FORMAT_VERSION) + body
