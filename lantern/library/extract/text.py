# ruff: noqa: E501 (regular expressions and phrase tables read better unbroken)
"""The document's plain text with what the rules need around it: sentence bounds, pages, and a
copy with glossary lines blanked out (same length, so offsets stay true)."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property

from lantern.library.extract.scan import WordIndex

# "MARAC Multi-Agency Risk Assessment Conference", "GP (VTS) General Practitioner": a list of
# abbreviations says nothing about the case, so theme rules must not read it.
GLOSSARY_LINE = re.compile(
    r"^[ \t]*(?:[A-Z][A-Z0-9&/]{1,9}(?:[ \t]\([A-Z]{2,6}\))?|[A-Z]{2}[ \t][A-Z][a-z]+)"
    r"[ \t]*(?:[-–:=][ \t]*)?[A-Z][a-z][^.\n]{2,90}$",
    re.MULTILINE,
)
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'’”)\]]?\s+(?=[\"'‘“(\[]?[A-Z0-9])|\n")
MAX_PASSAGE = 400


@dataclass(frozen=True)
class Evidence:
    """Where a fact came from: offsets into the document's plain text and the passage itself."""

    page: int | None
    start: int
    end: int
    passage: str

    def as_dict(self) -> dict[str, int | str | None]:
        return {"page": self.page, "start": self.start, "end": self.end, "passage": self.passage}


class Document:
    def __init__(self, text: str, pages: list[tuple[int, int]] | None = None) -> None:
        self.text = text
        ordered = sorted(pages or [], key=lambda p: p[1])
        self._page_starts = [start for _, start in ordered]
        self._page_numbers = [number for number, _ in ordered]

    @cached_property
    def masked(self) -> str:
        """The text with glossary lines replaced by spaces."""
        parts: list[str] = []
        for _, line in self.lines:
            if 4 < len(line) < 110 and line.lstrip()[:2].isupper() and GLOSSARY_LINE.match(line):
                parts.append(" " * len(line))
            else:
                parts.append(line)
        return "\n".join(parts)

    @cached_property
    def index(self) -> WordIndex:
        return WordIndex(self.lower)

    @cached_property
    def lower(self) -> str:
        return self.text.lower()

    @cached_property
    def masked_lower(self) -> str:
        return self.masked.lower()

    @cached_property
    def lines(self) -> list[tuple[int, str]]:
        """(start offset, line) for every line."""
        result: list[tuple[int, str]] = []
        position = 0
        for line in self.text.split("\n"):
            result.append((position, line))
            position += len(line) + 1
        return result

    def page_of(self, position: int) -> int | None:
        if not self._page_starts:
            return None
        index = bisect.bisect_right(self._page_starts, position) - 1
        return self._page_numbers[max(index, 0)]

    @cached_property
    def _sentence_breaks(self) -> list[tuple[int, int]]:
        return [m.span() for m in SENTENCE_END.finditer(self.text)]

    def sentence_bounds(self, position: int) -> tuple[int, int]:
        """The start and end of the sentence (or line) holding `position`, at most 600
        characters either side."""
        breaks = self._sentence_breaks
        index = bisect.bisect_right(breaks, (position, len(self.text) + 1))
        start = breaks[index - 1][1] if index else 0
        if start > position:  # position is inside the break itself
            start = breaks[index - 2][1] if index > 1 else 0
        end = breaks[index][0] if index < len(breaks) else len(self.text)
        start = max(start, position - 600)
        end = min(end, position + 600)
        return start, max(end, position)

    def sentence(self, position: int) -> str:
        start, end = self.sentence_bounds(position)
        return self.text[start:end]

    def evidence(self, start: int, end: int, *, whole_sentence: bool = True) -> Evidence:
        """Evidence for the match at start..end: the sentence around it, cut to a readable length."""
        if whole_sentence:
            s_start, s_end = self.sentence_bounds(start)
            s_end = max(s_end, end)
        else:
            s_start, s_end = start, end
        if s_end - s_start > MAX_PASSAGE:
            s_start = max(s_start, start - MAX_PASSAGE // 2)
            s_end = min(s_end, max(end, s_start + MAX_PASSAGE))
        passage = " ".join(self.text[s_start:s_end].split())
        return Evidence(page=self.page_of(s_start), start=s_start, end=s_end, passage=passage)
