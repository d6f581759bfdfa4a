# ruff: noqa: E501 (regular expressions and phrase tables read better unbroken)
"""Numbers the report states: agencies involved, recommendations made."""

from __future__ import annotations

import re

from lantern.library.extract.scan import around, finditer
from lantern.library.extract.text import Document, Evidence

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "twenty-one": 21, "twenty-two": 22, "twenty-three": 23, "twenty-four": 24, "twenty-five": 25,
    "twenty-six": 26, "twenty-seven": 27, "twenty-eight": 28, "twenty-nine": 29, "thirty": 30,
}  # fmt: skip
NUM = r"(?P<num>\d{1,2}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"


def to_number(text: str) -> int | None:
    text = text.lower()
    if text.isdigit():
        return int(text)
    return NUMBER_WORDS.get(text)


AGENCY_WORDS = ("agencies", "organisations")
# What comes before "agencies" in "from 12 agencies", "Seven different agencies"; and after it.
AGENCIES_BEFORE = re.compile(
    rf"(?:(?P<prep>from|by|with|of)[ \t]+(?:a[ \t]+total[ \t]+of[ \t]+|all[ \t]+)?)?\b{NUM}[ \t]+"
    r"(?:different[ \t]+|separate[ \t]+|local[ \t]+|statutory[ \t]+|key[ \t]+|other[ \t]+)?$",
    re.IGNORECASE,
)
AGENCIES_AFTER = re.compile(
    r"(?:[ \t]+and[ \t]+(?:\w+[ \t]+)?(?:agencies|organisations))?[ \t]+(?:had|have|were|was|provided|"
    r"contributed|submitted|held|reported|identified|with|that|who|which|returned|responded)\b",
    re.IGNORECASE,
)
IMRS_FROM = re.compile(
    rf"(?:IMRs|chronologies|Individual[ \t]+Management[ \t]+Reviews|reports|summaries|information)[ \t]+(?:\w+[ \t]+){{0,2}}(?:requested|received|commissioned|provided|obtained|sought|submitted)[ \t]+(?:from|by)[ \t]+{NUM}\b",
    re.IGNORECASE,
)  # fmt: skip
FOLLOWING_AGENCIES = re.compile(
    r"(?:the[ \t]+)?following[ \t]+(?:\d+[ \t]+|\w+[ \t]+)?(?:agencies|organisations)[^.\n:]{0,80}"
    r"(?:provided|submitted|contributed|had|were|was|returned|completed|responded)[^\n]*\n",
    re.IGNORECASE,
)
LIST_LINE = re.compile(
    r"^[ \t]*(?:[-•*–·▪][ \t]*|\d{1,2}[.)][ \t]+|[a-z][.)][ \t]+)?(?P<item>[A-Z][^\n]{2,120})$"
)


def _stated_agencies(doc: Document) -> tuple[int, tuple[int, int]] | None:
    text, lower = doc.text, doc.lower
    found: list[tuple[int, int, int]] = []
    for word in AGENCY_WORDS:
        position = lower.find(word)
        while position >= 0:
            end = position + len(word)
            before = AGENCIES_BEFORE.search(text, max(0, position - 45), position)
            if before and (before.group("prep") or AGENCIES_AFTER.match(text, end)):
                number = to_number(before.group("num"))
                if number and 1 <= number <= 60:
                    found.append((before.start(), end, number))
            position = lower.find(word, end)
    for match in finditer(IMRS_FROM, text, lower, index=doc.index):
        number = to_number(match.group("num"))
        if number and 1 <= number <= 60:
            found.append((match.start(), match.end(), number))
    for start, end, number in sorted(found):
        if not re.search(r"\bpanel\b|represent", doc.sentence(start), re.IGNORECASE):
            return number, (start, end)
    return None


def extract_agencies_count(doc: Document) -> tuple[int | None, Evidence | None]:
    text = doc.text
    stated = _stated_agencies(doc)
    if stated:
        return stated[0], doc.evidence(*stated[1])
    for match in finditer(FOLLOWING_AGENCIES, text, doc.lower, index=doc.index):
        if re.search(r"\bpanel\b|represent", match.group(0), re.IGNORECASE):
            continue
        count = 0
        position = match.end()
        end = position
        for line in text[position : position + 6000].split("\n"):
            if not line.strip():
                if count:
                    # One blank line between items is how paragraphs are separated.
                    end += len(line) + 1
                    continue
                end += len(line) + 1
                continue
            item = LIST_LINE.match(line)
            if not item or line.rstrip().endswith((".", ":")):
                break
            count += 1
            end += len(line) + 1
        if count:
            return count, doc.evidence(match.start(), end, whole_sentence=False)
    return None, None


REC = r"(?:recommendations?)"
OVERARCHING_STATED = re.compile(
    rf"\b(?:makes?|made|has[ \t]+made|contains?|sets[ \t]+out|identified|are)[ \t]+{NUM}[ \t]+(?:(?P<kind>overarching|multi-agency|panel|overview(?:[ \t]+report)?|review|local|national)[ \t]+)?{REC}"
    rf"|\b{NUM.replace('?P<num>', '?P<num2>')}[ \t]+(?P<kind2>overarching|multi-agency|panel|overview(?:[ \t]+report)?)[ \t]+{REC}",
    re.IGNORECASE,
)  # fmt: skip
SINGLE_STATED = re.compile(rf"\b{NUM}[ \t]+single[- ]agency[ \t]+{REC}", re.IGNORECASE)


def stated_recommendation_counts(
    doc: Document,
) -> tuple[tuple[int, Evidence] | None, tuple[int, Evidence] | None]:
    text = doc.text
    overarching = single = None
    for match in around(SINGLE_STATED, text, doc.lower, ("single",), before=30, after=40):
        number = to_number(match.group("num"))
        if number is not None:
            single = (number, doc.evidence(*match.span()))
            break
    keywords = ("recommendation",)
    for match in around(OVERARCHING_STATED, text, doc.lower, keywords, before=60, after=20):
        if "single" in text[max(0, match.start() - 20) : match.end()].lower():
            continue
        number = to_number(match.group("num") or match.group("num2"))
        if number is None:
            continue
        overarching = (number, doc.evidence(*match.span()))
        break
    return overarching, single
