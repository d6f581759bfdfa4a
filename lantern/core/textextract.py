"""Plain text out of the documents people bring: .txt, .docx, .pdf and .html, with no Django.

`extract_text(data, filename=)` returns the pages and paragraphs of a document and the one plain
text that the anonymisation check reads and the library indexes (`ExtractedText.text`): a .txt
file's text unchanged, otherwise the paragraphs separated by blank lines.

The format is decided by the content (magic bytes), not trusted from the name: a file whose
content contradicts its extension, an old binary .doc, a corrupt or encrypted PDF, or a DOCX that
would expand past `MAX_UNCOMPRESSED_BYTES` is refused with `TextExtractionError`, whose message
names the file and the reason.
"""

from __future__ import annotations

import io
import re
import statistics
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lantern.core.uploads import ZipLimits, ZipRefused, zip_check, zip_read

MAX_INPUT_BYTES = 100 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_ZIP_MEMBERS = 5000
MAX_PDF_PAGES = 3000

FORMATS = ("txt", "docx", "pdf", "html")
_EXTENSIONS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "txt",
    ".docx": "docx",
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
}
_DESCRIPTIONS = {
    "txt": "a text file",
    "docx": "a Word document",
    "pdf": "a PDF",
    "html": "a web page",
}

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = "{" + W_NS + "}"


class TextExtractionError(Exception):
    """The file cannot be read as text; `str(e)` names the file and the reason."""

    def __init__(self, filename: str, reason: str) -> None:
        self.filename = filename
        self.reason = reason
        super().__init__(f"{filename}: {reason}")


@dataclass(frozen=True)
class Page:
    number: int
    paragraphs: list[str]


@dataclass(frozen=True)
class ExtractedText:
    filename: str
    format: str
    pages: list[Page]
    title: str | None
    text: str
    paragraphs: list[str] = field(default_factory=list, repr=False, compare=False)


# --- the format ---------------------------------------------------------------------------------


def _extension(filename: str) -> str:
    name = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].lower()
    return name[name.rfind(".") :] if "." in name else ""


def _zip_kind(data: bytes) -> str:
    """What an Office Open XML (or other) zip holds, judged by its part names."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return "broken zip"
    if "word/document.xml" in names:
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "an Excel workbook"
    if any(n.startswith("ppt/") for n in names):
        return "a PowerPoint presentation"
    if "content.xml" in names and "mimetype" in names:
        return "an OpenDocument file"
    return "a zip archive"


_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S)


def _content_kind(data: bytes) -> str:
    """The format by content: one of FORMATS, or a description of what it is instead."""
    head = data[:2048]
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(data)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "an old binary Word or Office file (.doc)"
    if head.startswith(b"{\\rtf"):
        return "an RTF file"
    if head.startswith(b"\x89PNG") or head.startswith(b"\xff\xd8\xff") or head[:4] == b"GIF8":
        return "an image"
    if head.startswith(b"\x1f\x8b"):
        return "a gzip archive"
    sample = head.lstrip(b"\xef\xbb\xbf")
    if b"\x00" in sample:
        if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
            return "a UTF-16 text file (save it as UTF-8)"
        return "a binary file"
    if _HTML_START.match(sample):
        return "html"
    return "txt"


def sniff_format(data: bytes, filename: str) -> str:
    """The format of `data` ("txt", "docx", "pdf" or "html"), decided by its content.

    Raises TextExtractionError when the file is empty, too large, of a format Lantern does not
    read, or when its content contradicts its extension (a PDF called report.docx).
    """
    if not data:
        raise TextExtractionError(filename, "the file is empty")
    if len(data) > MAX_INPUT_BYTES:
        raise TextExtractionError(
            filename, f"the file is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB"
        )
    kind = _content_kind(data)
    ext = _extension(filename)
    expected = _EXTENSIONS.get(ext)
    if kind not in FORMATS:
        said = f"{_DESCRIPTIONS[expected]}" if expected else "a document Lantern can read"
        if kind == "broken zip":
            raise TextExtractionError(filename, f"not {said} (it is a damaged zip file)")
        if expected:
            raise TextExtractionError(filename, f"not {said} (it is {kind})")
        raise TextExtractionError(
            filename, f"Lantern cannot read {kind}: use .docx, .pdf, .txt or .html"
        )
    if expected is None:
        if ext:
            raise TextExtractionError(
                filename, f"Lantern cannot read {ext} files: use .docx, .pdf, .txt or .html"
            )
        return kind
    if kind == expected:
        return kind
    if expected == "html" and kind == "txt":
        return "html"  # a fragment without <html>; lxml reads it
    if expected == "txt" and kind == "html":
        return "txt"  # a .txt file that happens to start with markup is still read as text
    raise TextExtractionError(
        filename, f"not {_DESCRIPTIONS[expected]} (it is {_DESCRIPTIONS[kind]})"
    )


# --- assembling ---------------------------------------------------------------------------------


def _clean(text: str) -> str:
    return re.sub(r"[ \t\u00a0]+", " ", text).strip()


def _assemble(
    filename: str, fmt: str, pages: list[list[str]], title: str | None, text: str | None = None
) -> ExtractedText:
    built = [
        Page(number=i + 1, paragraphs=[p for p in paras if p]) for i, paras in enumerate(pages)
    ]
    if not built:
        built = [Page(number=1, paragraphs=[])]
    paragraphs = [p for page in built for p in page.paragraphs]
    if text is None:
        text = "\n\n".join(paragraphs)
    return ExtractedText(
        filename=filename,
        format=fmt,
        pages=built,
        title=(title or None),
        text=text,
        paragraphs=paragraphs,
    )


# --- txt ----------------------------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """UTF-8 (a byte-order mark dropped), else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


# A character in UTF-8 needing more than one byte (a Windows-1252 file almost never has one).
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")


def _check_encoding(data: bytes, filename: str) -> None:
    """Refuse text that is partly UTF-8 and partly Windows-1252: read as either, some names
    would be misread, and a misread name is one the anonymisation check cannot find."""
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        if _UTF8_SEQUENCE.search(body):
            raise TextExtractionError(
                filename,
                "the text mixes two encodings (some of it UTF-8, some Windows-1252), so some "
                "characters would be misread: save it again as UTF-8",
            ) from None


def _from_txt(data: bytes, filename: str) -> ExtractedText:
    _check_encoding(data, filename)
    text = decode_text(data)
    pages = []
    for chunk in text.replace("\r\n", "\n").replace("\r", "\n").split("\f"):
        paras = [_clean(p.replace("\n", " ")) for p in re.split(r"\n[ \t]*\n", chunk)]
        pages.append([p for p in paras if p])
    first = next((p for page in pages for p in page), None)
    title = first if first and len(first) <= 150 else None
    return _assemble(filename, "txt", pages, title, text=text)


# --- docx ---------------------------------------------------------------------------------------


def _check_zip(data: bytes, filename: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise TextExtractionError(filename, f"not a readable Word document ({error})")
    if len(members) > MAX_ZIP_MEMBERS:
        raise TextExtractionError(filename, "the Word document has too many parts to be real")
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise TextExtractionError(
            filename,
            f"the Word document would expand to {total // (1024 * 1024)} MB, more than the "
            f"{MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB Lantern reads",
        )
    try:  # bombs by ratio or hidden size, parts outside it, encrypted parts, DTDs (XXE)
        zip_check(
            data,
            what="the Word document",
            limits=ZipLimits(total=MAX_UNCOMPRESSED_BYTES, members=MAX_ZIP_MEMBERS),
        )
    except ZipRefused as refused:
        raise TextExtractionError(filename, str(refused)) from None


@dataclass
class DocxSegment:
    """A piece of a Word paragraph's text and the XML element it came from.

    `element` is a w:t for text, or the w:tab / w:br / w:cr that gave a tab or line break
    (`is_text` False). The corrected file is written by editing these elements.
    """

    element: Any
    text: str
    is_text: bool


# A paragraph's pieces, in order; `page_break_before` when an explicit page break starts it.
DocxParagraph = list[DocxSegment]

_SKIP_INSIDE = {_W + "del", _W + "moveFrom", _W + "instrText", _W + "delInstrText"}


def _paragraph_segments(p: Any) -> Iterator[DocxSegment | str]:
    """The segments of one w:p, and the marker "PAGE" where an explicit page break falls."""
    ppr = p.find(_W + "pPr")
    if ppr is not None:
        pbb = ppr.find(_W + "pageBreakBefore")
        if pbb is not None and pbb.get(_W + "val", "true") not in ("0", "false", "off"):
            yield "PAGE"
    stack = [iter(p)]
    while stack:
        try:
            el = next(stack[-1])
        except StopIteration:
            stack.pop()
            continue
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _SKIP_INSIDE or tag == _W + "pPr" or tag == _W + "rPr":
            continue
        if tag == _W + "t":
            if el.text:
                yield DocxSegment(el, el.text, True)
        elif tag == _W + "tab":
            yield DocxSegment(el, "\t", False)
        elif tag in (_W + "br", _W + "cr"):
            if el.get(_W + "type") == "page":
                yield "PAGE"
            else:
                yield DocxSegment(el, "\n", False)
        elif tag == _W + "noBreakHyphen":
            yield DocxSegment(el, "-", False)
        elif tag == _W + "p":
            continue  # a paragraph inside a text box is walked as its own paragraph
        else:
            stack.append(iter(el))


def docx_paragraphs(root: Any) -> Iterator[tuple[bool, DocxParagraph]]:
    """Every paragraph of a document body in document order (tables' cells included):
    (starts_new_page, segments). Segments after a page break inside a paragraph start a new
    paragraph on the new page."""
    for p in root.iter(_W + "p"):
        if _in_fallback(p):
            continue
        current: DocxParagraph = []
        new_page = False
        for seg in _paragraph_segments(p):
            if seg == "PAGE":
                if current:
                    yield new_page, current
                    current = []
                new_page = True
                continue
            current.append(seg)  # type: ignore[arg-type]
        if current or new_page:
            yield new_page, current


_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _in_fallback(el: Any) -> bool:
    """Word keeps a second copy of a text box for old readers (mc:Fallback): read it once."""
    return any(a.tag == _MC_FALLBACK for a in el.iterancestors())


def paragraph_text(segments: DocxParagraph) -> str:
    return "".join(s.text for s in segments)


def _docx_root(data: bytes, filename: str) -> Any:
    from lxml import etree

    _check_zip(data, filename)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = zip_read(archive, "word/document.xml")
    except KeyError:
        raise TextExtractionError(filename, "not a Word document (it has no document part)")
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise TextExtractionError(filename, f"the Word document is damaged ({error})")
    except Exception as error:  # noqa: BLE001 - zlib.error and the like: damaged all the same
        raise TextExtractionError(
            filename, f"the Word document is damaged ({type(error).__name__})"
        ) from None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(xml, parser=parser)
    except etree.XMLSyntaxError as error:
        raise TextExtractionError(filename, f"the Word document is damaged ({error})")


def _docx_core_title(data: bytes) -> str | None:
    from lxml import etree

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = zip_read(archive, "docProps/core.xml")
        root = etree.fromstring(
            xml, parser=etree.XMLParser(resolve_entities=False, no_network=True)
        )
    except Exception:  # noqa: BLE001 - a missing or damaged title part only loses the title
        return None
    el = root.find("{http://purl.org/dc/elements/1.1/}title")
    return _clean(el.text) if el is not None and el.text and el.text.strip() else None


def _docx_title(data: bytes, paragraphs: list[tuple[Any, str]]) -> str | None:
    title = _docx_core_title(data)
    if title:
        return title
    for p, text in paragraphs:
        ppr = p.find(_W + "pPr")
        style = ppr.find(_W + "pStyle") if ppr is not None else None
        name = (style.get(_W + "val") or "") if style is not None else ""
        if text.strip() and (name.lower().startswith(("heading", "title"))):
            return _clean(text)
    return None


def _from_docx(data: bytes, filename: str) -> ExtractedText:
    root = _docx_root(data, filename)
    body = root.find(_W + "body")
    if body is None:
        raise TextExtractionError(filename, "the Word document has no body")
    pages: list[list[str]] = [[]]
    styled: list[tuple[Any, str]] = []
    for new_page, segments in docx_paragraphs(body):
        if new_page and pages[-1]:
            pages.append([])
        text = _clean_docx(paragraph_text(segments))
        if text:
            pages[-1].append(text)
            if segments:
                styled.append((_paragraph_of(segments[0].element), text))
    return _assemble(filename, "docx", pages, _docx_title(data, styled[:50]))


def _clean_docx(text: str) -> str:
    """A Word paragraph as one line of the plain text: tabs and soft line breaks become
    spaces, so that a name split across a line break reads as one name."""
    return _clean(text.replace("\n", " ").replace("\t", " "))


def _paragraph_of(element: Any) -> Any:
    while element is not None and element.tag != _W + "p":
        element = element.getparent()
    return element


# --- pdf ----------------------------------------------------------------------------------------


def _pdf_lines(textpage: Any, text: str) -> list[tuple[str, float | None, float | None]]:
    """(line, top, height) for each line of the page, positions from the first character."""
    lines = []
    index = 0
    total = textpage.count_chars()
    for raw in re.split(r"(\r\n|\n|\r)", text):
        if raw in ("\r\n", "\n", "\r"):
            index += len(raw)
            continue
        top = height = None
        stripped = raw.strip()
        if stripped:
            first = index + (len(raw) - len(raw.lstrip()))
            if 0 <= first < total:
                try:
                    _left, bottom, _right, top_ = textpage.get_charbox(first, loose=True)
                    top, height = float(top_), float(top_ - bottom)
                except Exception:  # noqa: BLE001 - a position we cannot read only loses spacing
                    top = height = None
        lines.append((stripped, top, height))
        index += len(raw)
    return lines


def _pdf_paragraphs(lines: list[tuple[str, float | None, float | None]]) -> list[str]:
    steps = [
        a[1] - b[1]
        for a, b in zip(lines, lines[1:], strict=False)
        if a[0] and b[0] and a[1] is not None and b[1] is not None and a[1] > b[1]
    ]
    pitch = statistics.median(steps) if steps else None
    paragraphs: list[str] = []
    current: list[str] = []
    previous: tuple[str, float | None, float | None] | None = None

    def flush() -> None:
        if current:
            joined = ""
            for part in current:
                if joined.endswith("-") and part[:1].isalpha():
                    joined += part
                elif joined:
                    joined += " " + part
                else:
                    joined = part
            paragraphs.append(_clean(joined))
            current.clear()

    for line in lines:
        text, top, height = line
        if not text:
            flush()
            previous = None
            continue
        if previous is not None and top is not None and previous[1] is not None:
            step = previous[1] - top
            # A line height is the font's (loose) box; a step well beyond it is a gap.
            heights = [h for h in (height, previous[2]) if h]
            limit = 1.4 * max(heights) if heights else (pitch * 1.45 if pitch else None)
            if top > previous[1] or (limit and step > limit):
                flush()
        current.append(text)
        previous = line
    flush()
    return [p for p in paragraphs if p]


def _from_pdf(data: bytes, filename: str) -> ExtractedText:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        # PdfDocument's message can carry an earlier failure's error code (a PDF without pages
        # called encrypted): `pdf_problem` asks PDFium directly.
        from lantern.core.uploads import pdf_problem

        raise TextExtractionError(
            filename, pdf_problem(data) or f"the PDF is damaged and cannot be read ({error})"
        ) from None
    try:
        if len(pdf) > MAX_PDF_PAGES:
            raise TextExtractionError(filename, f"the PDF has more than {MAX_PDF_PAGES} pages")
        pages: list[list[str]] = []
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            try:
                raw = textpage.get_text_range()
                pages.append(_pdf_paragraphs(_pdf_lines(textpage, raw)))
            finally:
                textpage.close()
                page.close()
        try:
            title = (pdf.get_metadata_dict().get("Title") or "").strip() or None
        except Exception:  # noqa: BLE001 - unreadable metadata only loses the title
            title = None
    except pdfium.PdfiumError as error:
        raise TextExtractionError(filename, f"the PDF is damaged and cannot be read ({error})")
    finally:
        pdf.close()
    return _assemble(filename, "pdf", pages, title)


# --- html ---------------------------------------------------------------------------------------

_BLOCK_TAGS = {
    "p", "div", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "caption",
    "blockquote", "pre", "section", "article", "header", "footer", "main", "aside", "figcaption",
    "address", "tr", "table", "ul", "ol", "dl", "figure", "summary", "details", "form", "fieldset",
    "legend", "title",
}  # fmt: skip
_DROP_TAGS = ("script", "style", "nav", "noscript", "template", "svg", "iframe", "object", "head")


def _from_html(data: bytes, filename: str) -> ExtractedText:
    import lxml.html
    from lxml import etree

    _check_encoding(data, filename)
    text = decode_text(data)
    try:
        doc = lxml.html.document_fromstring(text.encode("utf-8"), parser=_html_parser())
    except (etree.ParserError, ValueError) as error:
        raise TextExtractionError(filename, f"the web page cannot be read ({error})")
    title = None
    title_el = doc.find(".//title")
    if title_el is not None and (title_el.text_content() or "").strip():
        title = _clean(title_el.text_content())
    for el in list(doc.iter(*_DROP_TAGS)):
        if el.getparent() is not None:
            el.getparent().remove(el)
    paragraphs: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        joined = _clean(" ".join(buffer).replace("\n", " "))
        if joined:
            paragraphs.append(joined)
        buffer.clear()

    def walk(el: Any) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        block = tag in _BLOCK_TAGS
        if block:
            flush()
        if tag == "br":
            buffer.append(" ")
        if el.text and isinstance(el.tag, str):
            buffer.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                buffer.append(child.tail)
        if block:
            flush()

    body = doc.find("body")
    walk(body if body is not None else doc)
    flush()
    if title is None:
        h1 = doc.find(".//h1")
        if h1 is not None and h1.text_content().strip():
            title = _clean(h1.text_content())
    return _assemble(filename, "html", [paragraphs], title)


def _html_parser() -> Any:
    import lxml.html

    return lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, no_network=True)


# --- the entry point ----------------------------------------------------------------------------


def extract_text(data: bytes, *, filename: str) -> ExtractedText:
    """The pages, paragraphs, title and plain text of a .txt, .docx, .pdf or .html file."""
    fmt = sniff_format(data, filename)
    reader = {"txt": _from_txt, "docx": _from_docx, "pdf": _from_pdf, "html": _from_html}[fmt]
    return reader(data, filename)
