"""One document model: a document is built once as sections of blocks, then rendered to DOCX,
HTML or PDF by the renderers beside this module. No Django.

Blocks are plain text (never markup): each renderer escapes for its own format.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Union


@dataclass(frozen=True)
class Text:
    """A paragraph. `kind`: "body"; "lead" (a larger opening paragraph); "prompt" (guidance
    for the author, to be replaced by their own words); "note" (small print)."""

    text: str
    kind: str = "body"


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]
    numbered: bool = False


@dataclass(frozen=True)
class Table:
    """A table with a heading row. `widths` are relative; an empty table shows `empty`."""

    headings: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] = ()
    caption: str = ""
    empty: str = ""
    small: bool = False


@dataclass(frozen=True)
class Facts:
    """Label and value pairs, shown as a two-column table with the labels shaded."""

    rows: tuple[tuple[str, str], ...]


Block = Union[Text, Bullets, Table, Facts]  # noqa: UP007


@dataclass
class Section:
    heading: str
    blocks: list[Block] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)
    landscape: bool = False  # starts a landscape page (wide appendix tables)
    number: str = ""  # set by `Document.number_sections`
    anchor: str = ""

    def add(self, *blocks: Block) -> Section:
        self.blocks.extend(blocks)
        return self

    @property
    def title(self) -> str:
        return f"{self.number} {self.heading}".strip() if self.number else self.heading


@dataclass
class Document:
    """A document about one review.

    `marking` is the protective marking printed at the top and bottom of every page (empty:
    none); `issued_to` and `issued_on` go in the footer of every page.
    """

    kind: str
    title: str
    subtitle: str
    partnership: str
    reference: str
    marking: str
    issued_on: date
    issued_to: str = ""
    sections: list[Section] = field(default_factory=list)
    appendices: list[Section] = field(default_factory=list)
    title_page: bool = True
    contents: bool = True
    compact: bool = False  # the briefing: no title page, tight spacing, one or two pages
    landscape: bool = False  # every page landscape (the action plan)
    status: str = ""  # "Draft", printed on the title page
    language: str = "en-GB"
    issued_label: str = ""  # the footer's words, set by the builder in the reader's language
    # Words the renderers print, given by the builder in the reader's language.
    contents_word: str = "Contents"
    page_word: str = "Page"
    of_word: str = "of"
    appendix_word: str = "Appendix"

    def number_sections(self, *, numbered: bool = True) -> Document:
        """Number sections 1, 2, ... and subsections 1.1, 1.2; appendices A, B, ..."""
        for index, section in enumerate(self.sections, start=1):
            section.number = f"{index}." if numbered else ""
            section.anchor = f"section-{index}"
            for sub_index, sub in enumerate(section.subsections, start=1):
                sub.number = f"{index}.{sub_index}" if numbered else ""
                sub.anchor = f"section-{index}-{sub_index}"
        for index, appendix in enumerate(self.appendices):
            letter = chr(ord("A") + index)
            appendix.number = f"{self.appendix_word} {letter}:"
            appendix.anchor = f"appendix-{letter.lower()}"
            for sub_index, sub in enumerate(appendix.subsections, start=1):
                sub.number = ""
                sub.anchor = f"appendix-{letter.lower()}-{sub_index}"
        return self

    def all_sections(self) -> Iterator[tuple[int, Section]]:
        """(level, section) for every section and appendix in reading order."""
        for section in [*self.sections, *self.appendices]:
            yield 1, section
            for sub in section.subsections:
                yield 2, sub

    def texts(self) -> Iterator[str]:
        """Every piece of text the document holds (for checks such as the names test)."""
        yield from (self.title, self.subtitle, self.partnership, self.reference)
        yield from (self.marking, self.issued_to, self.status)
        for _level, section in self.all_sections():
            yield section.heading
            for block in section.blocks:
                yield from block_texts(block)


def block_texts(block: Block) -> Iterator[str]:
    if isinstance(block, Text):
        yield block.text
    elif isinstance(block, Bullets):
        yield from block.items
    elif isinstance(block, Table):
        yield block.caption
        yield from block.headings
        for row in block.rows:
            yield from row
    elif isinstance(block, Facts):
        for label, value in block.rows:
            yield label
            yield value
