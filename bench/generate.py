"""Generate a large fictional review for the benchmarks: 22 agencies, N chronology entries.

Deterministic for a seed. Entry texts are composed from an opening, an event and a detail with
numbers, so that nearly all of them are distinct, as in real chronologies. Files are written with
openpyxl's write-only mode, in the shapes the demo uses (title row above the header on some,
varied headings and date styles).
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from openpyxl import Workbook

AGENCIES = [
    ("Northbridge Police", "police"),
    ("Northbridge GP Practice", "gp"),
    ("Northbridge General Hospital", "acute_trust"),
    ("Northbridge Mind Trust", "mental_health_trust"),
    ("Northbridge Ambulance Service", "ambulance"),
    ("Northbridge Adult Social Care", "adult_social_care"),
    ("Northbridge Children's Services", "childrens_social_care"),
    ("Northbridge Homes", "housing"),
    ("Riverside Housing", "housing"),
    ("Northbridge Probation", "probation"),
    ("Northbridge Recovery Service", "substance_use"),
    ("Northbridge IDVA Service", "domestic_abuse_service"),
    ("Northbridge SARC", "other"),
    ("Northbridge Primary School", "education"),
    ("Northbridge Jobcentre", "dwp"),
    ("Shelter Northbridge", "voluntary"),
    ("Northbridge Bereavement Care", "voluntary"),
    ("Farshire Police", "police"),
    ("NHS 111 Northbridge", "other"),
    ("Northbridge Drug and Alcohol Charity", "voluntary"),
    ("Northbridge Women's Centre", "voluntary"),
    ("Northbridge Council Benefits", "other"),
]

HEADINGS = [
    [
        "Date",
        "Time",
        "Source record",
        "Subject",
        "What happened",
        "Action taken / outcome",
        "Risk assessment and referrals",
        "Analyst comment",
    ],
    [
        "Date of contact",
        "Time",
        "Record ref",
        "Subject",
        "Summary of contact",
        "Outcome / action",
        "Risk (DASH/MARAC/MASH)",
        "Comment",
    ],
    ["Date/Time", "Source", "Person", "Narrative", "Action", "Risk assessment", "Notes"],
]

SENTENCES = [
    "Kerry attended and disclosed that her former partner had pushed her during an argument.",
    "Telephone call from Kerry about rent arrears; advised to contact the housing team.",
    "Kerry reported low mood and poor sleep since her brother died; referred to talking therapies.",
    "Police attended a report of shouting at the address; both parties spoken to separately.",
    "Did not attend the appointment; letter sent offering a new date.",
    "Home visit; the children were seen and appeared well cared for.",
    "Kerry said she had been drinking more to cope; given information about the recovery service.",
    "DASH completed with Kerry: 15 ticks including strangulation; high risk.",
    "Kerry disclosed that a stranger had sexually assaulted her; SARC appointment offered.",
    "Notice seeking possession served; Kerry placed in temporary accommodation out of area.",
]


# Real entries are written afresh each time: the same event in different words, with times,
# places and people's roles. Each entry joins an opening, one of the events above and a detail,
# with numbers, so that nearly every text is distinct (the tagger cannot reuse a result).
OPENINGS = [
    "",
    "Entry made by the duty worker.",
    "Late entry, written up the following morning.",
    "Information received from a colleague.",
    "Recorded after a telephone discussion.",
    "Seen in clinic room {n}.",
    "Visit at {h}:{m:02d}.",
    "Call lasted about {n} minutes.",
]
DETAILS = [
    "",
    "Next review in {n} weeks.",
    "Case discussed with the team manager; no change to the plan.",
    "Letter copied to the GP.",
    "She was accompanied by a friend who waited outside.",
    "Interpreter not needed; English is her first language.",
    "Worker noted the flat was cold and there was little food.",
    "She said she was staying with her sister for {n} nights.",
    "Record checked: {n} previous contacts in the last year.",
    "Follow-up call attempted at {h}:{m:02d}; no answer.",
    "Appointment card given for the {n}th.",
    "Safety plan discussed and leaflet given.",
]


def _narrative(rng: random.Random) -> str:
    values = {"n": rng.randrange(2, 60), "h": rng.randrange(8, 20), "m": rng.randrange(60)}
    parts = [rng.choice(OPENINGS), rng.choice(SENTENCES), rng.choice(DETAILS)]
    return " ".join(p.format(**values) for p in parts if p)


def _date_cell(style: int, d: dt.date, t: dt.time | None):  # noqa: ANN202
    if style == 0:
        return d
    if style == 1:
        return d.strftime("%d/%m/%Y")
    if style == 2:
        return dt.datetime.combine(d, t or dt.time(9, 0))
    return f"{d.day} {d.strftime('%B %Y')}"


def generate(out: Path, *, entries: int = 100_000, seed: int = 7) -> list[tuple[str, str, Path]]:
    """Write one XLSX per agency under `out`; return [(agency, type, path)]."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    per_agency = entries // len(AGENCIES)
    extra = entries - per_agency * len(AGENCIES)
    start = dt.date(2019, 1, 1)
    written = []
    for index, (agency, kind) in enumerate(AGENCIES):
        count = per_agency + (1 if index < extra else 0)
        headings = HEADINGS[index % len(HEADINGS)]
        style = index % 4
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Chronology")
        if index % 2:
            ws.append([f"{agency}: chronology of contact"])
            ws.append([])
        ws.append(headings)
        for _ in range(count):
            d = start + dt.timedelta(days=rng.randrange(0, 5 * 365))
            t = dt.time(rng.randrange(8, 20), rng.choice((0, 15, 30, 45)))
            text = _narrative(rng)
            risk = "DASH: high (15); MARAC referral made" if "DASH" in text else ""
            row = {
                "date": _date_cell(style, d, t),
                "time": t.strftime("%H:%M"),
                "source": f"REC-{rng.randrange(10**6):06d}",
                "subject": "Victim",
                "what": text,
                "action": "Recorded on the system.",
                "risk": risk,
                "comment": "",
            }
            if headings[0] == "Date/Time":
                ws.append(
                    [
                        f"{d.strftime('%d/%m/%Y')} {t.strftime('%H:%M')}",
                        row["source"],
                        row["subject"],
                        row["what"],
                        row["action"],
                        row["risk"],
                        "",
                    ]
                )
            else:
                ws.append(
                    [
                        row["date"],
                        row["time"],
                        row["source"],
                        row["subject"],
                        row["what"],
                        row["action"],
                        row["risk"],
                        row["comment"],
                    ]
                )
        path = out / f"{index + 1:02d}_{kind}.xlsx"
        wb.save(path)
        written.append((agency, kind, path))
    return written
