"""The corrected file: the checked file with each replacement applied (no Django).

Offsets are into the plain text the check read (`ExtractedText.text`). For a text file that is
the file itself. For a Word document, the text is rebuilt from the same walk of the document's
paragraphs that extraction uses, so each character is traced to the w:t element it came from;
a replacement goes into the first run it touches (keeping that run's formatting), and the rest
of the replaced characters are removed from the runs that held them, however the words were
split across runs.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from lantern.core.textextract import (
    TextExtractionError,
    _clean_docx,
    _docx_root,
    decode_text,
    docx_paragraphs,
    paragraph_text,
)


@dataclass(frozen=True)
class Replacement:
    start: int
    end: int
    text: str


def correct_txt(data: bytes, replacements: list[Replacement]) -> bytes:
    text = decode_text(data)
    for r in sorted(replacements, key=lambda r: r.start, reverse=True):
        text = text[: r.start] + r.text + text[r.end :]
    return text.encode("utf-8")


@dataclass
class _Char:
    element: Any  # the w:t (or w:tab / w:br) holding this character, None for separators
    index: int  # the character's index within element.text


def _docx_char_map(root: Any) -> tuple[str, list[_Char]]:
    """The plain text exactly as extraction builds it, with each character's source."""
    body = root.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}body")
    chars: list[_Char] = []
    text_parts: list[str] = []
    first = True
    for _new_page, segments in docx_paragraphs(body):
        cleaned = _clean_docx(paragraph_text(segments))
        if not cleaned:
            continue
        raw_chars: list[tuple[str, _Char]] = []
        for seg in segments:
            for i, ch in enumerate(seg.text):
                raw_chars.append((ch, _Char(seg.element, i if seg.is_text else -1)))
        mapped = _align(cleaned, raw_chars)
        if not first:
            text_parts.append("\n\n")
            chars.extend([_Char(None, -1), _Char(None, -1)])
        first = False
        text_parts.append(cleaned)
        chars.extend(mapped)
    return "".join(text_parts), chars


def _align(cleaned: str, raw: list[tuple[str, _Char]]) -> list[_Char]:
    """Map each character of the cleaned paragraph (whitespace runs collapsed, tabs and line
    breaks as spaces, trimmed) to a character of the raw paragraph."""
    out: list[_Char] = []
    j = 0
    for ch in cleaned:
        if ch == " ":
            # Skip to the run of whitespace in raw; take its first character.
            while j < len(raw) and not _is_space(raw[j][0]):
                j += 1
            if j < len(raw):
                out.append(raw[j][1])
            else:
                out.append(_Char(None, -1))
            while j < len(raw) and _is_space(raw[j][0]):
                j += 1
            continue
        while j < len(raw) and raw[j][0] != ch:
            j += 1
        out.append(raw[j][1] if j < len(raw) else _Char(None, -1))
        j += 1
    return out


def _is_space(ch: str) -> bool:
    return ch in " \t\n\u00a0"


def correct_docx(data: bytes, replacements: list[Replacement], *, filename: str) -> bytes:
    from lxml import etree

    root = _docx_root(data, filename)
    text, chars = _docx_char_map(root)
    removals: dict[Any, set[int]] = {}
    insertions: dict[tuple[Any, int], str] = {}
    drop: set[Any] = set()
    for r in replacements:
        if r.end > len(chars):
            raise TextExtractionError(filename, "the document does not match the check")
        span = chars[r.start : r.end]
        anchor = next((c for c in span if c.element is not None and c.index >= 0), None)
        if anchor is None:
            raise TextExtractionError(filename, f"cannot place the replacement {r.text!r}")
        insertions[(anchor.element, anchor.index)] = r.text
        for c in span:
            if c.element is None:
                continue
            if c.index >= 0:
                removals.setdefault(c.element, set()).add(c.index)
            else:
                drop.add(c.element)  # a tab or line break inside the replaced words
    touched = set(removals) | {e for e, _i in insertions}
    for element in touched:
        original = element.text or ""
        new = []
        for i, ch in enumerate(original):
            if (element, i) in insertions:
                new.append(insertions[(element, i)])
            if i not in removals.get(element, set()):
                new.append(ch)
        element.text = "".join(new)
        if element.text != element.text.strip():
            element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    for element in drop:
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return _replace_part(data, "word/document.xml", xml)


def _replace_part(data: bytes, name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            payload = content if item.filename == name else source.read(item.filename)
            target.writestr(item, payload)
    return out.getvalue()


def docx_text(data: bytes, *, filename: str) -> str:
    """The plain text of a Word document as the corrector sees it (equal to extraction's)."""
    return _docx_char_map(_docx_root(data, filename))[0]


def safe_filename(name: str) -> str:
    return re.sub(r"[^\w.\- ]", "_", name).strip() or "document"
