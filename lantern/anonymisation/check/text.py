"""Words, spans and word lists shared by the recognisers (no Django)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

LETTER = "A-Za-zÀ-ÖØ-öø-ÿ"
# A word: letters, with inner apostrophes (O'Neill, not the possessive of Smith's) and hyphens.
WORD = re.compile(rf"[{LETTER}](?:[{LETTER}]|['’](?=[{LETTER}]{{2}})|-(?=[{LETTER}]))*")
# A capitalised word as a name part: Smith, O'Neill, McAllister, Fairbrother-Webb, SMITH.
NAME_PART = rf"[A-ZÀ-ÖØ-Þ](?:[{LETTER}]|['’](?=[{LETTER}]{{2}})|-(?=[{LETTER}]))+"

MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
DAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}

# Capitalised words that are never part of a person's name.
STOPWORDS = {
    "a", "about", "after", "again", "all", "also", "an", "and", "any", "as", "at", "because",
    "before", "both", "but", "by", "during", "each", "for", "from", "had", "has", "he", "her",
    "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "later", "my", "no",
    "not", "of", "on", "once", "or", "our", "she", "since", "so", "that", "the", "their", "them",
    "then", "there", "these", "they", "this", "those", "through", "to", "under", "until", "was",
    "we", "were", "what", "when", "where", "which", "while", "who", "whose", "why", "with",
    "within", "without", "yes", "you", "your", "section", "part", "chapter", "appendix",
    "paragraph", "page", "table", "figure", "report", "review", "panel", "chair", "author",
    "summary", "overview", "introduction", "background", "analysis", "findings", "conclusions",
    "recommendations", "recommendation", "police", "council", "court", "act", "law", "nhs",
    "gp", "hospital", "school", "service", "services", "team", "unit", "board", "trust",
    "partnership", "victim", "perpetrator", "child", "children", "family", "mother", "father",
    "son", "daughter", "sister", "brother", "friend", "neighbour", "officer", "officers",
    "social", "worker", "nurse", "doctor", "dr", "mr", "mrs", "ms", "miss", "pc", "dc", "ds",
    "street", "road", "lane", "avenue", "drive", "close", "way", "flat", "house", "dhr",
    "domestic", "homicide", "abuse", "marac", "mash", "idva", "dash", "imr", "csp", "crown",
    "magistrates", "coroner", "inquest", "executive", "key", "facts", "contact", "agency",
    "agencies", "home", "office", "guidance", "statutory", "terms", "reference", "references",
    "number", "date", "birth", "dob", "born", "none", "unknown", "adult", "adults",
    "baby", "female", "male", "woman", "man", "women", "men", "subject", "he's", "she's",
    "british", "english", "welsh", "scottish", "irish", "polish", "universal", "credit",
}  # fmt: skip

APOSTROPHES = "'’"


def norm(word: str) -> str:
    """A word as the lists hold it: lower case, straight apostrophes."""
    return word.replace("’", "'").lower()


@cache
def word_list(name: str) -> frozenset[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return frozenset(norm(w.strip()) for w in lines if w.strip() and not w.startswith("#"))


@cache
def phrase_list(name: str) -> tuple[str, ...]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return tuple(w.strip() for w in lines if w.strip() and not w.startswith("#"))


@cache
def diminutives() -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for line in phrase_list("diminutives.txt"):
        name, _, short = line.partition(":")
        out[norm(name.strip())] = tuple(s.strip() for s in short.split(",") if s.strip())
    return out


def flexible(phrase: str) -> str:
    """A regex for a phrase as it may appear in text: any run of whitespace (a line break too)
    between words, either apostrophe, any case."""
    parts = []
    for chunk in re.split(r"(\s+)", phrase.strip()):
        if not chunk:
            continue
        if chunk.isspace():
            parts.append(r"\s+")
            continue
        escaped = re.escape(chunk)
        escaped = escaped.replace("'", "['’]").replace("’", "['’]")
        escaped = escaped.replace(r"\-", r"-\s*")
        parts.append(escaped)
    return "".join(parts)


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def inside_any(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(s <= span[0] and span[1] <= e for s, e in spans)


def touches_any(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(overlaps(span, s) for s in spans)
