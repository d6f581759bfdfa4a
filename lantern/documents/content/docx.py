"""Render a `Document` to DOCX with python-docx. No Django.

Real heading styles (Heading 1 and 2, so Word's navigation pane and contents work), a title
page, a contents field with its entries already filled in (Word and LibreOffice update the
page numbers), bordered tables with a shaded heading row repeated on every page, landscape
sections for wide appendices, the protective marking at the top and bottom of every page, and
"Issued to ... on ... / Page N of M" in the footer.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from typing import Any

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from lantern.documents.content.model import Bullets, Document, Facts, Section, Table, Text

FONT = "Arial"
TEXT = RGBColor(0x0B, 0x0C, 0x0C)
GREY = RGBColor(0x50, 0x5A, 0x5F)
BLUE = RGBColor(0x1D, 0x70, 0xB8)
HEAD_FILL = "DDE9F5"
LABEL_FILL = "F3F2F1"
A4 = (Cm(21.0), Cm(29.7))
MARGINS = {"left": 2.2, "right": 2.2, "top": 2.3, "bottom": 2.0}
COMPACT_MARGINS = {"left": 1.9, "right": 1.9, "top": 2.0, "bottom": 1.7}
# Characters XML 1.0 cannot hold: python-docx refuses them.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def clean(text: str) -> str:
    return _ILLEGAL_XML.sub("", text or "")


def render_docx(doc: Document) -> bytes:
    document = new_docx()
    _styles(document, compact=doc.compact)
    _properties(document, doc)
    section = document.sections[0]
    _page(section, landscape=doc.landscape, compact=doc.compact)
    _header_footer(section, doc)
    if doc.title_page:
        _title_page(document, doc)
    else:
        _masthead(document, doc)
    if doc.contents:
        _contents(document, doc)
    landscape = doc.landscape
    first = True
    for top in [*doc.sections, *doc.appendices]:
        appendix = top in doc.appendices
        if top.landscape != landscape and not doc.landscape:
            new = document.add_section(WD_SECTION.NEW_PAGE)
            _page(new, landscape=top.landscape, compact=doc.compact)
            landscape = top.landscape
        elif appendix and not first:
            _page_break_before_next(document)
        _section(document, top, level=1, usable=_usable_width(landscape, doc.compact))
        first = False
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- styles and properties --------------------------------------------------------------------


def _styles(document: Any, *, compact: bool) -> None:
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10.5 if compact else 11)
    normal.font.color.rgb = TEXT
    _east_asian_font(normal)
    normal.paragraph_format.space_after = Pt(4 if compact else 6)
    normal.paragraph_format.line_spacing = 1.1 if compact else 1.15
    for name, size, before, after in (
        ("Heading 1", 12.5 if compact else 16, 10 if compact else 18, 3 if compact else 6),
        ("Heading 2", 11.5 if compact else 13, 8 if compact else 12, 3 if compact else 4),
        ("Title", 20 if compact else 30, 0, 6),
        ("Subtitle", 12 if compact else 16, 0, 6),
    ):
        style = styles[name]
        style.font.name = FONT
        _east_asian_font(style)
        style.font.size = Pt(size)
        style.font.bold = name != "Subtitle"
        style.font.italic = False
        style.font.color.rgb = TEXT if name != "Subtitle" else GREY
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
        style.paragraph_format.keep_with_next = True
    _remove_title_border(styles["Title"])
    prompt = _paragraph_style(styles, "Author prompt")
    prompt.font.italic = True
    prompt.font.color.rgb = GREY
    prompt.paragraph_format.left_indent = Cm(0.4)
    _left_border(prompt)
    lead = _paragraph_style(styles, "Lead paragraph")
    lead.font.size = Pt(11.5 if compact else 13)
    note = _paragraph_style(styles, "Small print")
    note.font.size = Pt(9)
    note.font.color.rgb = GREY
    cell = _paragraph_style(styles, "Table text")
    cell.font.size = Pt(8.5 if compact else 9)
    cell.paragraph_format.space_after = Pt(0)
    cell.paragraph_format.line_spacing = 1.0
    for name in ("Header", "Footer"):
        style = styles[name]
        style.font.name = FONT
        style.font.size = Pt(8.5)


def _paragraph_style(styles: Any, name: str) -> Any:
    if name in [s.name for s in styles]:
        return styles[name]
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles["Normal"]
    style.quick_style = True
    return style


def _east_asian_font(style: Any) -> None:
    """Word uses the eastAsia/cs fonts for some characters: make every slot the same font."""
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)


def _remove_title_border(style: Any) -> None:
    ppr = style.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)


def _left_border(style: Any) -> None:
    ppr = style.element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    left = OxmlElement("w:left")
    for key, value in (
        ("w:val", "single"),
        ("w:sz", "18"),
        ("w:space", "8"),
        ("w:color", "B1B4B6"),
    ):
        left.set(qn(key), value)
    borders.append(left)
    ppr.insert_element_before(
        borders,
        "w:shd",
        "w:tabs",
        "w:suppressAutoHyphens",
        "w:spacing",
        "w:ind",
        "w:jc",
        "w:rPr",
    )


def _properties(document: Any, doc: Document) -> None:
    props = document.core_properties
    props.title = clean(doc.title)
    props.subject = clean(doc.subtitle)
    props.author = "Lantern"
    props.last_modified_by = "Lantern"
    props.keywords = clean(doc.marking)
    props.category = clean(doc.kind)
    props.comments = ""
    now = datetime.now(tz=UTC).replace(microsecond=0, tzinfo=None)
    props.created = now
    props.modified = now
    props.revision = 1
    props.language = doc.language
    # Ask Word to update the contents and page-number fields when the document opens.
    settings = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    later = {qn(f"w:{name}") for name in _SETTINGS_AFTER_UPDATE_FIELDS}
    following = next((child for child in settings if child.tag in later), None)
    if following is None:
        settings.append(update)
    else:
        following.addprevious(update)


# CT_Settings is a sequence: w:updateFields must come before these (ECMA-376 part 1, 17.15.1).
_SETTINGS_AFTER_UPDATE_FIELDS = [
    "hdrShapeDefaults",
    "footnotePr",
    "endnotePr",
    "compat",
    "docVars",
    "rsids",
    "attachedSchema",
    "themeFontLang",
    "clrSchemeMapping",
    "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures",
    "forceUpgrade",
    "captions",
    "readModeInkLockDown",
    "smartTagType",
    "shapeDefaults",
    "doNotEmbedSmartTags",
    "decimalSymbol",
    "listSeparator",
]


# --- pages, header and footer -----------------------------------------------------------------


def _page(section: Any, *, landscape: bool, compact: bool) -> None:
    width, height = A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    margins = COMPACT_MARGINS if compact else MARGINS
    section.left_margin = Cm(margins["left"])
    section.right_margin = Cm(margins["right"])
    section.top_margin = Cm(margins["top"])
    section.bottom_margin = Cm(margins["bottom"])
    section.header_distance = Cm(1.0)
    section.footer_distance = Cm(0.9)


def _usable_width(landscape: bool, compact: bool) -> float:
    margins = COMPACT_MARGINS if compact else MARGINS
    return (29.7 if landscape else 21.0) - margins["left"] - margins["right"]


def _header_footer(section: Any, doc: Document) -> None:
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if doc.marking:
        run = header.add_run(clean(doc.marking))
        run.bold = True
    footer = section.footer
    first = footer.paragraphs[0]
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if doc.marking:
        first.add_run(clean(doc.marking)).bold = True
        line = footer.add_paragraph(style="Footer")
    else:
        line = first
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    line.add_run(clean(doc.issued_label) + "  ·  ")
    line.add_run(f"{doc.page_word} ")
    _field(line, "PAGE", "1")
    line.add_run(f" {doc.of_word} ")
    _field(line, "NUMPAGES", "1")


def _field(paragraph: Any, instruction: str, placeholder: str) -> None:
    """A complex field (PAGE, NUMPAGES): begin, instruction, separate, cached result, end."""

    def char(kind: str) -> Any:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    paragraph.add_run()._r.append(char("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    paragraph.add_run()._r.append(char("separate"))
    paragraph.add_run(placeholder)
    paragraph.add_run()._r.append(char("end"))


# --- title page and contents ------------------------------------------------------------------


def _title_page(document: Any, doc: Document) -> None:
    top = document.add_paragraph(clean(doc.partnership))
    top.runs[0].bold = True
    top.runs[0].font.size = Pt(13)
    top.runs[0].font.color.rgb = BLUE
    spacer = document.add_paragraph()
    spacer.paragraph_format.space_before = Pt(150)
    document.add_paragraph(clean(doc.title), style="Title")
    document.add_paragraph(clean(doc.subtitle), style="Subtitle")
    if doc.status:
        status = document.add_paragraph()
        status.paragraph_format.space_before = Pt(24)
        run = status.add_run(clean(doc.status))
        run.bold = True
        run.font.size = Pt(13)
    details = document.add_paragraph(style="Small print")
    details.paragraph_format.space_before = Pt(160)
    lines = [doc.reference, doc.issued_label]
    for index, line in enumerate(filter(None, lines)):
        if index:
            details.add_run().add_break()
        details.add_run(clean(line))
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _masthead(document: Any, doc: Document) -> None:
    top = document.add_paragraph(clean(doc.partnership))
    top.runs[0].bold = True
    top.runs[0].font.color.rgb = BLUE
    document.add_paragraph(clean(doc.title), style="Title")
    if doc.subtitle:
        document.add_paragraph(clean(doc.subtitle), style="Subtitle")


def _contents(document: Any, doc: Document) -> None:
    heading = document.add_paragraph()
    run = heading.add_run(clean(doc.contents_word))
    run.bold = True
    run.font.size = Pt(16)
    entries = [(level, section.title) for level, section in doc.all_sections()]
    first = document.add_paragraph()

    def char(kind: str) -> Any:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    first.add_run()._r.append(char("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = ' TOC \\o "1-2" \\h \\z \\u '
    first.add_run()._r.append(instr)
    first.add_run()._r.append(char("separate"))
    paragraph = first
    for index, (level, title) in enumerate(entries):
        if index:
            paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(2)
        if level == 2:
            paragraph.paragraph_format.left_indent = Cm(0.8)
        paragraph.add_run(clean(title))
    paragraph.add_run()._r.append(char("end"))
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _page_break_before_next(document: Any) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


# --- sections and blocks ----------------------------------------------------------------------


def _section(document: Any, section: Section, *, level: int, usable: float) -> None:
    document.add_heading(clean(section.title), level=level)
    for block in section.blocks:
        _block(document, block, usable=usable)
    for sub in section.subsections:
        _section(document, sub, level=2, usable=usable)


def _block(document: Any, block: Any, *, usable: float) -> None:
    if isinstance(block, Text):
        style = {"prompt": "Author prompt", "lead": "Lead paragraph", "note": "Small print"}.get(
            block.kind, "Normal"
        )
        _paragraph(document.add_paragraph(style=style), block.text)
    elif isinstance(block, Bullets):
        for index, item in enumerate(block.items, start=1):
            if block.numbered:
                paragraph = document.add_paragraph()
                paragraph.paragraph_format.left_indent = Cm(0.8)
                paragraph.paragraph_format.first_line_indent = Cm(-0.6)
                _paragraph(paragraph, f"{index}.\t{item}")
                paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(0.8))
            else:
                _paragraph(document.add_paragraph(style="List Bullet"), item)
    elif isinstance(block, Table):
        _table(document, block, usable=usable)
    elif isinstance(block, Facts):
        _facts(document, block, usable=usable)


def _paragraph(paragraph: Any, text: str) -> None:
    lines = clean(text).split("\n")
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        if index < len(lines) - 1:
            run.add_break()


def _shade(cell: Any, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def _row_flag(row: Any, name: str) -> None:
    flag = OxmlElement(name)
    if name == "w:tblHeader":
        flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _cell(cell: Any, text: str, *, bold: bool = False) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    paragraph.style = "Table text"
    _paragraph(paragraph, text)
    if bold:
        for run in paragraph.runs:
            run.bold = True


def _widths(count: int, relative: tuple[float, ...], usable: float) -> list[Any]:
    weights = list(relative) if len(relative) == count else [1.0] * count
    total = sum(weights) or 1.0
    return [Cm(usable * w / total) for w in weights]


def _new_table(document: Any, widths: list[Any]) -> Any:
    """A bordered table with fixed column widths (the grid, which LibreOffice follows, and the
    table's total width, which Word follows)."""
    table = document.add_table(rows=0, cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    tbl_pr = table._tbl.tblPr
    total = tbl_pr.find(qn("w:tblW"))  # python-docx makes one, in schema order
    if total is not None:
        total.set(qn("w:w"), str(int(sum(w.twips for w in widths))))
        total.set(qn("w:type"), "dxa")
    margins = OxmlElement("w:tblCellMar")
    for side, twips in (("top", 45), ("left", 90), ("bottom", 45), ("right", 90)):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(twips))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    look = tbl_pr.find(qn("w:tblLook"))  # w:tblCellMar comes just before w:tblLook
    if look is not None:
        look.addprevious(margins)
    else:
        tbl_pr.append(margins)
    return table


def _table(document: Any, block: Table, *, usable: float) -> None:
    if block.caption:
        caption = document.add_paragraph(style="Small print")
        caption.add_run(clean(block.caption)).bold = True
        caption.paragraph_format.keep_with_next = True
    if not block.rows and block.empty:
        _paragraph(document.add_paragraph(style="Author prompt"), block.empty)
        return
    widths = _widths(len(block.headings), block.widths, usable)
    table = _new_table(document, widths)
    header = table.add_row()
    _row_flag(header, "w:tblHeader")
    _row_flag(header, "w:cantSplit")
    for cell, heading, width in zip(header.cells, block.headings, widths, strict=True):
        cell.width = width
        _cell(cell, heading, bold=True)
        _shade(cell, HEAD_FILL)
    for values in block.rows:
        row = table.add_row()
        _row_flag(row, "w:cantSplit")
        for cell, value, width in zip(row.cells, values, widths, strict=False):
            cell.width = width
            _cell(cell, value)
    document.add_paragraph().paragraph_format.space_after = Pt(2)


def _facts(document: Any, block: Facts, *, usable: float) -> None:
    widths = _widths(2, (1.0, 2.0), usable)
    table = _new_table(document, widths)
    for label, value in block.rows:
        row = table.add_row()
        _row_flag(row, "w:cantSplit")
        row.cells[0].width, row.cells[1].width = widths
        _cell(row.cells[0], label, bold=True)
        _shade(row.cells[0], LABEL_FILL)
        _cell(row.cells[1], value)
    document.add_paragraph().paragraph_format.space_after = Pt(2)


def stamp_docx(content: bytes, doc: Document) -> bytes:
    """Give a DOCX written elsewhere (the action plan's writer) the marking at the top and
    bottom of every page, the issue line and page numbers in the footer, and the properties."""
    document = new_docx(io.BytesIO(content))
    for name in ("Header", "Footer"):
        document.styles[name].font.name = FONT
        document.styles[name].font.size = Pt(8.5)
    for section in document.sections:
        section.header.is_linked_to_previous = False
        section.footer.is_linked_to_previous = False
        _header_footer(section, doc)
    _properties(document, doc)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
