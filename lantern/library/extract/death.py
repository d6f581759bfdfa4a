# ruff: noqa: E501 (regular expressions and phrase tables read better unbroken)
"""When the person died, how, and when the report was written."""

from __future__ import annotations

import re
from collections import Counter

from lantern.library.extract.dates import DATE_RE, find_dates, find_years
from lantern.library.extract.scan import finditer
from lantern.library.extract.text import Document, Evidence

DEATH_CUE = re.compile(
    r"\b(?:died|death|killed|murdered|murder[ \t]+of|killing[ \t]+of|homicide[ \t]+of"
    r"|found[ \t]+dead|body[ \t]+of|remains|took[ \t]+(?:her|his|their)[ \t]+own[ \t]+life"
    r"|ended[ \t]+(?:her|his|their)[ \t]+(?:own[ \t]+)?life|fatally|homicide[ \t]+investigation|post[ \t]+mortem)\b",
    re.IGNORECASE,
)
# Sentences about what happened after the death (trial, notification, the review itself).
NOT_THE_DEATH = re.compile(
    r"\b(?:sentenc\w*|convicted|pleaded|trial|court|appeal|notif\w*|informed|inquest\w*|panel"
    r"|meeting|decision|decided|commissioned|published|publication|agreed|dated|report(?:ed)?[ \t]+to[ \t]+the[ \t]+Home)\b",
    re.IGNORECASE,
)


def extract_death_year(doc: Document) -> tuple[int | None, Evidence | None]:
    text = doc.text
    votes: Counter[int] = Counter()
    first: dict[int, tuple[int, int]] = {}
    seen_sentences: set[int] = set()
    for cue in finditer(DEATH_CUE, text, doc.lower, index=doc.index):
        start, end = doc.sentence_bounds(cue.start())
        if start in seen_sentences:
            continue
        seen_sentences.add(start)
        sentence = text[start:end]
        if NOT_THE_DEATH.search(sentence) and not re.match(
            r"\s*(?:Review|Report)[ \t]+into[ \t]+the[ \t]+death", sentence, re.IGNORECASE
        ):
            continue
        dates = [
            d
            for d in find_years(text, start, end)
            if not REPORT_BY.search(text, max(start, d.start - 60), d.start)
        ]
        if not dates:
            continue
        nearest = min(
            dates,
            key=lambda d: abs(d.start - cue.end()) + (0 if d.month else 40),
        )
        votes[nearest.year] += 2 if nearest.month else 1
        first.setdefault(nearest.year, (cue.start(), nearest.end))
    if not votes:
        return None, None
    year = max(votes, key=lambda y: (votes[y], -first[y][0]))
    return year, doc.evidence(*first[year])


REPORT_BY = re.compile(
    r"(?:report[ \t]+(?:produced|prepared|written|completed|authored)[ \t]+by|report[ \t]+author|"
    r"author(?:ed)?[ \t]*(?:by)?[ \t]*:|independent[ \t]+chair[ \t]+and[ \t]+author|final[ \t]+(?:version|report)"
    r"|date[ \t]+of[ \t]+(?:report|publication|this[ \t]+report)|version[ \t]+\d|dated|report[ \t]+date)",
    re.IGNORECASE,
)
DATE_LINE = re.compile(
    rf"^[^\n]{{0,90}}?(?:{DATE_RE.pattern})[ \t]*$", re.MULTILINE | re.IGNORECASE
)
NOT_A_REPORT_DATE = re.compile(
    r"died|death|killed|murder|born|sentenc|court|dated?[ \t]+of[ \t]+birth", re.IGNORECASE
)


def extract_report_year(
    doc: Document, death_year: int | None
) -> tuple[int | None, Evidence | None]:
    text = doc.text
    head_end = min(len(text), 4000)

    def acceptable(year: int) -> bool:
        return death_year is None or death_year <= year <= death_year + 12

    for match in finditer(REPORT_BY, text, doc.lower, 0, head_end, index=doc.index):
        window_end = min(len(text), match.end() + 160)
        for date in find_dates(text, match.start(), window_end):
            if acceptable(date.year):
                return date.year, doc.evidence(match.start(), date.end, whole_sentence=False)
    for match in finditer(DATE_LINE, text, doc.lower, 0, head_end, index=doc.index):
        line = match.group(0)
        if NOT_A_REPORT_DATE.search(line):
            continue
        dates = find_dates(text, match.start(), match.end())
        if dates and acceptable(dates[-1].year):
            return dates[-1].year, doc.evidence(match.start(), match.end(), whole_sentence=False)
    return None, None


# --- how the person died ------------------------------------------------------------------------
# "Domestic Homicide Review" and the like say nothing about this death.
HOMICIDE_NOISE = re.compile(
    r"(?:domestic|abuse)[ \t]+(?:&[ \t]+|and[ \t]+)?homicides?(?:[ \t]+reviews?)?|homicide[ \t]+reviews?"
    r"|homicide[ \t]+timeline|femicide|homicides[ \t]+where",
    re.IGNORECASE,
)
HOMICIDE_CUES = re.compile(
    r"\b(?:was|were|been|being)[ \t]+(?:\w+[ \t]+)?(?:killed|murdered|stabbed|strangled|unlawfully[ \t]+killed|shot|beaten[ \t]+to[ \t]+death)"
    r"|killed[ \t]+by|murdered[ \t]+by|(?:charged|convicted|guilty)[ \t]+(?:\w+[ \t]+){0,3}(?:murder|manslaughter)"
    r"|pleaded[ \t]+guilty[ \t]+(?:\w+[ \t]+){0,3}(?:murder|manslaughter)|(?:the|her|his|their)[ \t]+murder\b"
    r"|murder[ \t]+of|killing[ \t]+of|manslaughter|homicide[ \t]+(?:investigation|of)|the[ \t]+homicide\b"
    r"|unlawful[ \t]+killing|killed[ \t]+(?:his|her|their)[ \t]+\w+|admitted[ \t]+(?:stabbing|killing)",
    re.IGNORECASE,
)
SUICIDE_CUES = re.compile(
    r"took[ \t]+(?:her|his|their)[ \t]+own[ \t]+life|(?:died|death)[ \t]+by[ \t]+suicide"
    r"|(?:ended|end)[ \t]+(?:her|his|their)[ \t]+(?:own[ \t]+)?life|suicide[ \t]+of|died[ \t]+by[ \t]+hanging"
    r"|found[ \t]+hanged|(?:her|his|their)[ \t]+suicide|(?:a|apparent|probable)[ \t]+suicide\b"
    r"|(?:conclusion|verdict)[ \t]+of[ \t]+suicide",
    re.IGNORECASE,
)
OTHER_CUES = re.compile(
    r"accidental[ \t]+death|death[ \t]+by[ \t]+misadventure|misadventure|natural[ \t]+causes"
    r"|(?:died|death)[ \t]+(?:from|of|through)[ \t]+(?:neglect|an?[ \t]+accident|an?[ \t]+overdose)",
    re.IGNORECASE,
)
ANY_DEATH = re.compile(r"\b(?:died|death|dead|deceased|killed|passed[ \t]+away)\b", re.IGNORECASE)


def extract_death_type(doc: Document) -> tuple[str | None, Evidence | None]:
    pieces: list[str] = []
    last = 0
    for noise in finditer(HOMICIDE_NOISE, doc.text, doc.lower, index=doc.index):
        pieces += [doc.text[last : noise.start()], " " * (noise.end() - noise.start())]
        last = noise.end()
    clean = "".join(pieces) + doc.text[last:]
    lower = clean.lower()
    homicide = list(finditer(HOMICIDE_CUES, clean, lower, index=doc.index))
    suicide = list(finditer(SUICIDE_CUES, clean, lower, index=doc.index))
    other = list(finditer(OTHER_CUES, clean, lower, index=doc.index))
    if homicide and len(homicide) >= len(suicide) / 3:
        return "homicide", doc.evidence(*homicide[0].span())
    if suicide:
        return "suicide", doc.evidence(*suicide[0].span())
    if other:
        return "other", doc.evidence(*other[0].span())
    death = ANY_DEATH.search(clean)
    if death:
        return "unknown", doc.evidence(*death.span())
    return None, None
