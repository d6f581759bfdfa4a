"""Build the fictional demo case from a seed, and write it as a review bundle.

`build_case(seed)` returns the case as plain data; `write_bundle(case, folder)` writes
`review.yaml` and one chronology spreadsheet per agency, in the bundle format that
`lantern review import` reads. Every choice comes from one `random.Random(seed)`, so a seed always
gives the same case and the same `review.yaml`, byte for byte.

The spreadsheets vary the way agencies' returns really do (DOMAIN.md section 4): each agency words
its headings its own way, some put title rows above the header, dates come as real dates, as
text in several formats or with the time folded in, and a few agencies' rows are not in date order.

Pure Python (openpyxl and PyYAML): no Django imports, so it is fast to test and reusable.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from lantern.demo.story import AGENCIES, AGENCY_BY_KEY, Agency, Entry, Names, Story

DEFAULT_SEED = 2024
CSP_NAME = "Northbridge Community Safety Partnership"
# One reference for every seed, so `lantern demo load` can tell that the demo is already there.
DEMO_REFERENCE = "NB-DHR-2025-03"
LAST_CONTACT_MIN_DAYS = 100  # no agency contact in (at least) the last three months
REVIEW_YEARS = 4

# Invented names. First names are uncommon ones; surnames are made up, so that a combination is
# unlikely to belong to a real person.
_WOMEN = ("Lorna", "Tamsin", "Rhona", "Marnie", "Elspeth", "Carys", "Morwenna", "Bryony")
_MEN = ("Jarrod", "Dorian", "Roscoe", "Lennox", "Crispin", "Ruari", "Tobias", "Emlyn")
_GIRLS = ("Kacey", "Tilda", "Orla", "Wren", "Ffion", "Isla-Mae")
_BOYS = ("Bram", "Ellis", "Jude", "Rafferty", "Cai", "Fenn")
_MOTHERS = ("Glenys", "Verity", "Hester", "Rosalind", "Philippa", "Marguerite")
_SISTERS = ("Nerys", "Leonie", "Sorcha", "Perdita", "Honor", "Linnea")
_FRIENDS = ("Anouska", "Tierney", "Cressida", "Marigold", "Saoirse", "Delphine")
_BROTHERS = ("Aled", "Corin", "Piran", "Ewart", "Lysander", "Tavis")
_SURNAMES = (
    "Brackwell",
    "Tollmarsh",
    "Quillby",
    "Dunstreath",
    "Orrinsby",
    "Helmscote",
    "Farrowdene",
    "Pellinger",
    "Caddenby",
    "Yelverstone",
    "Marrowfield",
    "Skelbrooke",
)
_NOTIFIERS = ("Corwen Mallaby", "Ines Throckley", "Fergal Ashby-Lunt", "Maddox Pellow")
# Pseudonyms are the kind a family might choose; they are the only names a published report uses.
_VICTIM_PSEUDONYMS = ("Kerry", "Dawn", "Leanne", "Nicola", "Joanne", "Tracey")
_MALE_PSEUDONYMS = ("Lee", "Wayne", "Carl", "Dean", "Gary", "Shaun")
_CHILD_PSEUDONYMS = (("Mia", "Alfie"), ("Lily", "Harry"), ("Ruby", "Jack"), ("Ella", "Noah"))
_FAMILY_PSEUDONYMS = (("Pat", "Claire", "Sam"), ("Sue", "Emma", "Jo"), ("Carol", "Gemma", "Nat"))


@dataclass(frozen=True)
class PersonSpec:
    role: str  # victim | perpetrator | child | family | other
    key: str  # the subject key the chronologies use (story.SUBJECTS)
    name: str
    pseudonym: str
    sex: str
    date_of_birth: date | None = None
    ethnicity: str = ""
    relationship_to_victim: str = ""
    aliases: tuple[str, ...] = ()

    def as_yaml(self) -> dict[str, Any]:
        data: dict[str, Any] = {"role": self.role, "name": self.name, "pseudonym": self.pseudonym}
        if self.aliases:
            data["aliases"] = list(self.aliases)
        if self.date_of_birth:
            data["date_of_birth"] = self.date_of_birth
        data["sex"] = self.sex
        if self.ethnicity:
            data["ethnicity"] = self.ethnicity
        if self.relationship_to_victim:
            data["relationship_to_victim"] = self.relationship_to_victim
        return data


@dataclass(frozen=True)
class Layout:
    """How one agency's spreadsheet looks."""

    columns: tuple[tuple[str, str], ...]  # (field, heading) in sheet order
    date_style: str  # date | text_dmy | text_long | datetime | text_dmy_time | text_iso
    title_rows: tuple[str, ...]
    sheet_name: str
    order: str  # asc | desc | appended (a few late entries added at the bottom)


@dataclass(frozen=True)
class DemoCase:
    seed: int
    reference: str
    title: str
    csp: str
    pseudonym: str
    date_of_death: date
    notification_date: date
    death_type: str
    period_start: date
    last_contact: date
    place_of_death: str
    notifier_name: str
    circumstances: str
    people: tuple[PersonSpec, ...]
    agencies: tuple[Agency, ...]
    entries: tuple[Entry, ...]
    layouts: dict[str, Layout]

    def person(self, key: str) -> PersonSpec:
        return next(p for p in self.people if p.key == key)

    def entries_for(self, agency_key: str) -> list[Entry]:
        return [e for e in self.entries if e.agency == agency_key]

    def chronology_path(self, agency_key: str) -> str:
        index = next(i for i, a in enumerate(self.agencies, 1) if a.key == agency_key)
        return f"chronology/{index:02d}_{agency_key}.xlsx"

    def review_yaml(self) -> str:
        data = {
            "format": 1,
            "reference": self.reference,
            "title": self.title,
            "review_type": "dhr",
            "csp": self.csp,
            "pseudonym": self.pseudonym,
            "date_of_death": self.date_of_death,
            "notification_date": self.notification_date,
            "death_type": self.death_type,
            "place_of_death": self.place_of_death,
            "notification": {
                "source": "police",
                "notifying_agency": "Northbridge Police",
                "notifier_name": self.notifier_name,
                "notifier_contact": "Public Protection Unit, Northbridge Police",
                "circumstances": self.circumstances,
            },
            "people": [p.as_yaml() for p in self.people],
            "agencies": [{"name": a.name, "type": a.type} for a in self.agencies],
            "chronology": [
                {"file": self.chronology_path(a.key), "agency": a.name} for a in self.agencies
            ],
        }
        header = (
            "# Lantern demo review: a fictional case; every person, place and record is invented.\n"
            f"# Generated by `lantern demo bundle --seed {self.seed}`.\n"
        )
        return header + yaml.safe_dump(
            data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
        )


def build_case(seed: int = DEFAULT_SEED) -> DemoCase:
    rng = random.Random(seed)
    death = date(2025, 2, 1) + timedelta(days=rng.randint(0, 75))
    notified = death + timedelta(days=rng.randint(5, 12))
    last_contact = death - timedelta(days=rng.randint(LAST_CONTACT_MIN_DAYS, 125))
    period_start = date(death.year - REVIEW_YEARS, death.month, 1)

    surnames = list(_SURNAMES)
    rng.shuffle(surnames)
    names = Names(
        victim=rng.choice(_WOMEN),
        victim_surname=surnames[0],
        perpetrator=rng.choice(_MEN),
        perpetrator_surname=surnames[1],
        daughter=rng.choice(_GIRLS),
        son=rng.choice(_BOYS),
        mother=rng.choice(_MOTHERS),
        sister=rng.choice(_SISTERS),
        friend=rng.choice(_FRIENDS),
        brother=rng.choice(_BROTHERS),
    )
    pseudonym = rng.choice(_VICTIM_PSEUDONYMS)
    child_pseudonyms = rng.choice(_CHILD_PSEUDONYMS)
    family_pseudonyms = rng.choice(_FAMILY_PSEUDONYMS)
    victim_age = rng.randint(37, 42)

    def born(years: int) -> date:
        return death - timedelta(days=round(years * 365.25) + rng.randint(20, 300))

    people = (
        PersonSpec(
            "victim",
            "victim",
            f"{names.victim} {names.victim_surname}",
            pseudonym,
            "female",
            born(victim_age),
            "White British",
            aliases=(f"{names.victim} {names.perpetrator_surname}",),
        ),
        PersonSpec(
            "perpetrator",
            "perpetrator",
            f"{names.perpetrator} {names.perpetrator_surname}",
            rng.choice(_MALE_PSEUDONYMS),
            "male",
            born(victim_age + rng.randint(1, 5)),
            "White British",
            "former_partner",
        ),
        PersonSpec(
            "child",
            "child1",
            f"{names.daughter} {names.perpetrator_surname}",
            child_pseudonyms[0],
            "female",
            born(13),
            "White British",
            "son_or_daughter",
        ),
        PersonSpec(
            "child",
            "child2",
            f"{names.son} {names.perpetrator_surname}",
            child_pseudonyms[1],
            "male",
            born(9),
            "White British",
            "son_or_daughter",
        ),
        PersonSpec(
            "family",
            "mother",
            f"{names.mother} {names.victim_surname}",
            family_pseudonyms[0],
            "female",
            born(victim_age + rng.randint(22, 28)),
            "White British",
            "parent",
        ),
        PersonSpec(
            "family",
            "sister",
            f"{names.sister} {surnames[2]}",
            family_pseudonyms[1],
            "female",
            born(victim_age - rng.randint(2, 6)),
            "White British",
            "sibling",
        ),
        PersonSpec(
            "other",
            "friend",
            f"{names.friend} {surnames[3]}",
            family_pseudonyms[2],
            "female",
            relationship_to_victim="friend",
        ),
    )

    story = Story(rng=rng, names=names, start=period_start, end=last_contact)
    entries = tuple(story.tell())
    cutoff = _months_before(death, 3)
    late = [e for e in entries if e.on >= cutoff]
    if late:  # the story must keep its shape whatever the seed
        raise AssertionError(f"{len(late)} chronology entries fall in the last three months")
    layouts = _layouts(rng, reference=DEMO_REFERENCE, pseudonym=pseudonym, start=period_start)
    circumstances = (
        f"A woman aged {victim_age} was found dead at her flat by her sister. Police found no "
        "third-party involvement; the coroner has opened an inquest. She had a history of "
        "domestic abuse by her former partner, who was subject to a restraining order, and had "
        "been heard at MARAC. Notified because the circumstances suggest that abuse, including "
        "coercive control, may have contributed to her death."
    )
    return DemoCase(
        seed=seed,
        reference=DEMO_REFERENCE,
        title=f"Domestic Homicide Review into the death of {pseudonym}",
        csp=CSP_NAME,
        pseudonym=pseudonym,
        date_of_death=death,
        notification_date=notified,
        death_type="suicide",
        period_start=period_start,
        last_contact=last_contact,
        place_of_death="Her flat, Northbridge",
        notifier_name=f"DS {rng.choice(_NOTIFIERS)}",
        circumstances=circumstances,
        people=people,
        agencies=AGENCIES,
        entries=entries,
        layouts=layouts,
    )


def _months_before(day: date, months: int) -> date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


# --- spreadsheet layouts -------------------------------------------------------------------------

_HEADINGS: dict[str, tuple[str, ...]] = {
    "date": ("Date", "Date of contact", "Contact date", "DATE", "Date of event", "Date"),
    "time": ("Time", "Time of contact", "TIME", "Time", "Time (24h)", "Time"),
    "source": (
        "Source record",
        "Record",
        "Source",
        "SOURCE DOCUMENT",
        "Record type / reference",
        "Where recorded",
    ),
    "subject": ("Subject", "Person", "Client", "SUBJECT", "Subject of record", "Who"),
    "what": (
        "What happened / contact summary",
        "Narrative",
        "Details of contact",
        "EVENT",
        "Summary of contact",
        "Contact summary",
    ),
    "action": (
        "Action taken / outcome",
        "Outcome / action",
        "Action taken",
        "ACTION / OUTCOME",
        "Outcome",
        "Actions and outcome",
    ),
    "risk": (
        "Risk assessment (DASH level / MARAC / MASH)",
        "Risk / referrals",
        "DASH / MARAC / MASH",
        "RISK ASSESSMENT",
        "Safeguarding / risk",
        "Risk assessment",
    ),
    "comment": (
        "Analyst comment",
        "Comments",
        "Analysis (missed opportunity / good practice)",
        "IMR AUTHOR COMMENT",
        "Reviewer's comment",
        "Learning",
    ),
}
_DATETIME_HEADINGS = ("Date/time", "Date & time of contact", "Date and time")
_DATE_STYLES = ("date", "text_dmy", "text_long", "datetime", "text_dmy_time", "text_iso")
_FIELDS = ("date", "time", "source", "subject", "what", "action", "risk", "comment")
_SUBJECT_STYLES = ("role", "name", "first")


def _layouts(
    rng: random.Random, *, reference: str, pseudonym: str, start: date
) -> dict[str, Layout]:
    styles = [_DATE_STYLES[i % len(_DATE_STYLES)] for i in range(len(AGENCIES))]
    rng.shuffle(styles)
    dialects = [i % 6 for i in range(len(AGENCIES))]
    rng.shuffle(dialects)
    layouts: dict[str, Layout] = {}
    for agency, style, dialect in zip(AGENCIES, styles, dialects, strict=True):
        fields = list(_FIELDS)
        if style in ("datetime", "text_dmy_time"):
            fields.remove("time")
        if agency.key in ("dwp", "bereavement", "recovery", "homeless", "jobcentre"):
            fields.remove("subject")  # one person's record: the agency did not add the column
        if rng.random() < 0.25 and "subject" in fields:  # some put the person first
            i, j = fields.index("source"), fields.index("subject")
            fields[i], fields[j] = fields[j], fields[i]
        columns = []
        for field in fields:
            if field == "date" and style in ("datetime", "text_dmy_time"):
                heading = _DATETIME_HEADINGS[dialect % len(_DATETIME_HEADINGS)]
            else:
                heading = _HEADINGS[field][dialect]
            columns.append((field, heading))
        title_kind = rng.choice((0, 0, 1, 2, 3))
        titles: tuple[str, ...] = {
            0: (),
            1: (f"{agency.name}: chronology of involvement",),
            2: ("OFFICIAL-SENSITIVE", f"DHR {reference}: {agency.name}", ""),
            3: (
                f"Domestic Homicide Review ({pseudonym})",
                f"Agency: {agency.name}",
                f"Period covered: from {start:%-d %B %Y}",
                "",
            ),
        }[title_kind]
        order = rng.choice(("asc",) * 6 + ("desc", "appended"))
        sheet = rng.choice(("Chronology", "Sheet1", "Agency chronology", "Timeline", "DHR"))
        layouts[agency.key] = Layout(tuple(columns), style, titles, sheet, order)
    return layouts


def _subject_label(case: DemoCase, key: str, style: str) -> str:
    roles = {
        "victim": "Victim",
        "perpetrator": "Perpetrator",
        "child1": "Child 1",
        "child2": "Child 2",
        "children": "Children",
        "mother": "Maternal grandmother",
        "sister": "Sister",
        "friend": "Friend",
    }
    if style == "role" or key == "children":
        return roles[key]
    person = case.person(key)
    return person.name if style == "name" else person.name.split()[0]


def _date_value(entry: Entry, style: str) -> Any:
    at = entry.at
    if style == "date":
        return entry.on
    if style == "text_dmy":
        return entry.on.strftime("%d/%m/%Y")
    if style == "text_long":
        return entry.on.strftime("%-d %B %Y")
    if style == "text_iso":
        return entry.on.isoformat()
    if style == "datetime":
        return datetime.combine(entry.on, at or time(0, 0))
    if style == "text_dmy_time":
        return entry.on.strftime("%d/%m/%Y") + (f" {at:%H:%M}" if at else "")
    raise ValueError(style)


def write_chronology(case: DemoCase, agency_key: str, path: Path) -> int:
    """Write one agency's chronology workbook; returns the number of entries written."""
    layout = case.layouts[agency_key]
    rng = random.Random(f"{case.seed}:{agency_key}")
    entries = case.entries_for(agency_key)
    if layout.order == "desc":
        entries = list(reversed(entries))
    elif layout.order == "appended" and len(entries) > 6:
        late = sorted(rng.sample(range(len(entries)), 3))
        entries = [e for i, e in enumerate(entries) if i not in late] + [entries[i] for i in late]
    subject_style = rng.choice(_SUBJECT_STYLES)

    wb = Workbook()
    wb.properties.creator = "Lantern demo generator"
    ws = wb.active
    ws.title = layout.sheet_name
    for title in layout.title_rows:
        ws.append([title] if title else [])
    if layout.title_rows:
        ws.cell(row=1, column=1).font = Font(bold=True, size=13)
    ws.append([heading for _field, heading in layout.columns])
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
    for entry in entries:
        row: list[Any] = []
        for field, _heading in layout.columns:
            if field == "date":
                row.append(_date_value(entry, layout.date_style))
            elif field == "time":
                row.append(entry.at.strftime("%H:%M") if entry.at else "")
            elif field == "subject":
                row.append(_subject_label(case, entry.subject, subject_style))
            else:
                row.append(getattr(entry, field))
        ws.append(row)
    widths = {"date": 14, "time": 8, "source": 24, "subject": 16, "what": 60, "action": 45}
    for index, (field, _heading) in enumerate(layout.columns, 1):
        letter = ws.cell(row=header_row, column=index).column_letter
        ws.column_dimensions[letter].width = widths.get(field, 36)
        for (cell,) in ws.iter_rows(
            min_row=header_row + 1, min_col=index, max_col=index, max_row=ws.max_row
        ):
            if field == "date" and layout.date_style == "date":
                cell.number_format = "dd/mm/yyyy"
            elif field == "date" and layout.date_style == "datetime":
                cell.number_format = "dd/mm/yyyy hh:mm"
            elif field in ("what", "action", "risk", "comment"):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    if agency_key in ("police", "mental_health"):
        notes = wb.create_sheet("Notes")
        notes.append(["Prepared for the review panel. Not for onward disclosure."])
        notes.append(["Times are as recorded on the source system (24-hour clock)."])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return len(entries)


def write_bundle(case: DemoCase, folder: Path) -> Path:
    """Write `review.yaml` and the chronology workbooks into `folder`; returns the yaml path."""
    folder.mkdir(parents=True, exist_ok=True)
    for agency in case.agencies:
        write_chronology(case, agency.key, folder / case.chronology_path(agency.key))
    review_yaml = folder / "review.yaml"
    review_yaml.write_text(case.review_yaml(), encoding="utf-8")
    return review_yaml


def generate_bundle(folder: Path, seed: int = DEFAULT_SEED) -> DemoCase:
    case = build_case(seed)
    write_bundle(case, folder)
    return case


__all__ = [
    "AGENCY_BY_KEY",
    "CSP_NAME",
    "DEFAULT_SEED",
    "DEMO_REFERENCE",
    "DemoCase",
    "Layout",
    "PersonSpec",
    "build_case",
    "generate_bundle",
    "write_bundle",
    "write_chronology",
]
