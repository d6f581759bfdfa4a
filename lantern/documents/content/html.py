"""Render a `Document` to HTML: for print (WeasyPrint makes the PDF from it: A4, the marking in
the running header and footer, page numbers, a contents page with page numbers) or for the
screen (a self-contained page in the GOV.UK style, with no scripts and nothing fetched). No Django.
"""

from __future__ import annotations

from html import escape

from lantern.documents.content.model import Bullets, Document, Facts, Section, Table, Text

FONT_STACK = '"Liberation Sans", Arial, Helvetica, sans-serif'


def css_string(text: str) -> str:
    """`text` as a CSS string literal, safe inside a <style> element."""
    out = []
    for char in text or "":
        if char in '\\"<>&' or ord(char) < 0x20:
            out.append(f"\\{ord(char):x} ")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _lines(text: str) -> str:
    return "<br>".join(escape(line) for line in (text or "").split("\n"))


# --- blocks ---------------------------------------------------------------------------------------


def _block(block: object) -> str:
    if isinstance(block, Text):
        css = {"prompt": "prompt", "lead": "lead", "note": "note"}.get(block.kind, "")
        attribute = f' class="{css}"' if css else ""
        return f"<p{attribute}>{_lines(block.text)}</p>"
    if isinstance(block, Bullets):
        tag = "ol" if block.numbered else "ul"
        items = "".join(f"<li>{_lines(item)}</li>" for item in block.items)
        return f"<{tag}>{items}</{tag}>"
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Facts):
        rows = "".join(
            f'<tr><th scope="row">{_lines(label)}</th><td>{_lines(value)}</td></tr>'
            for label, value in block.rows
        )
        return f'<table class="facts"><tbody>{rows}</tbody></table>'
    return ""


def _table(block: Table) -> str:
    caption = f"<caption>{escape(block.caption)}</caption>" if block.caption else ""
    if not block.rows and block.empty:
        prefix = f'<p class="caption">{escape(block.caption)}</p>' if block.caption else ""
        return f'{prefix}<p class="prompt">{_lines(block.empty)}</p>'
    total = sum(block.widths) if len(block.widths) == len(block.headings) else 0
    cols = ""
    if total:
        cols = "<colgroup>" + "".join(
            f'<col style="width:{100 * w / total:.1f}%">' for w in block.widths
        )
        cols += "</colgroup>"
    head = "".join(f'<th scope="col">{_lines(h)}</th>' for h in block.headings)
    body = "".join(
        "<tr>" + "".join(f"<td>{_lines(value)}</td>" for value in row) + "</tr>"
        for row in block.rows
    )
    css = "grid small" if block.small else "grid"
    return (
        f'<table class="{css}">{caption}{cols}<thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def _section(section: Section, level: int, *, appendix: bool = False) -> str:
    tag = "h2" if level == 1 else "h3"
    classes = ["section"]
    if section.landscape:
        classes.append("landscape")
    if appendix:
        classes.append("appendix")
    if section.number and not appendix:
        number = escape(section.number.rstrip("."))
        heading = f'<span class="num">{number}</span> {escape(section.heading)}'
    else:
        heading = escape(section.title)
    parts = [f'<section class="{" ".join(classes)}" id="{escape(section.anchor)}">']
    parts.append(f"<{tag}>{heading}</{tag}>")
    parts.extend(_block(b) for b in section.blocks)
    parts.extend(_section(sub, 2) for sub in section.subsections)
    parts.append("</section>")
    return "\n".join(parts)


# --- the document ---------------------------------------------------------------------------------


def _title_page(doc: Document) -> str:
    status = f'<p class="status">{escape(doc.status)}</p>' if doc.status else ""
    details = "<br>".join(escape(x) for x in (doc.reference, doc.issued_label) if x)
    return (
        '<div class="title-page">'
        f'<p class="partnership">{escape(doc.partnership)}</p>'
        f'<h1 class="title">{escape(doc.title)}</h1>'
        f'<p class="subtitle">{escape(doc.subtitle)}</p>{status}'
        f'<p class="details">{details}</p>'
        "</div>"
    )


def _masthead(doc: Document) -> str:
    subtitle = f'<p class="subtitle">{escape(doc.subtitle)}</p>' if doc.subtitle else ""
    return (
        '<header class="masthead">'
        f'<p class="partnership">{escape(doc.partnership)}</p>'
        f'<h1 class="title">{escape(doc.title)}</h1>{subtitle}'
        "</header>"
    )


def _contents(doc: Document) -> str:
    items = "".join(
        f'<li class="level-{level}"><a href="#{escape(s.anchor)}">{escape(s.title)}</a></li>'
        for level, s in doc.all_sections()
    )
    return (
        f'<nav class="contents"><h2 class="contents-heading">{escape(doc.contents_word)}</h2>'
        f"<ol>{items}</ol></nav>"
    )


def render_html(doc: Document, *, flavour: str = "print") -> str:
    """The whole document as one HTML page. `flavour`: "print" (for the PDF) or "screen"."""
    css = PRINT_CSS if flavour == "print" else SCREEN_CSS
    marking = doc.marking
    page_css = ""
    if flavour == "print":
        footer = css_string(doc.issued_label + "  ·  " + doc.page_word + " ")
        of_word = css_string(" " + doc.of_word + " ")
        marking_top = f"content: {css_string(marking)};" if marking else ""
        marking_bottom = f"{css_string(marking + chr(10))} " if marking else ""
        size = "size: A4 landscape; margin: 20mm 15mm 22mm 15mm; " if doc.landscape else ""
        page_css = (
            "@page { " + size + "@top-center { " + marking_top + " }"
            " @bottom-center { content: "
            + marking_bottom
            + footer
            + " counter(page) "
            + of_word
            + " counter(pages); } }"
        )
    body: list[str] = []
    if flavour == "screen" and marking:
        body.append(f'<p class="marking">{escape(marking)}</p>')
    if doc.title_page and flavour == "print":
        body.append(_title_page(doc))
    else:
        body.append(_masthead(doc))
    if doc.contents and flavour == "print":
        body.append(_contents(doc))
    body.extend(_section(s, 1) for s in doc.sections)
    body.extend(_section(s, 1, appendix=True) for s in doc.appendices)
    if flavour == "screen":
        body.append(f'<footer class="issued"><p>{escape(doc.issued_label)}</p></footer>')
        if marking:
            body.append(f'<p class="marking">{escape(marking)}</p>')
    kind = "compact" if doc.compact else "report"
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(doc.language)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="Lantern">\n'
        f"<title>{escape(doc.title)}: {escape(doc.subtitle)}</title>\n"
        f"<style>\n{css}\n{page_css}\n</style>\n</head>\n"
        f'<body class="{kind} kind-{escape(doc.kind)}">\n'
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


PRINT_CSS = (
    """
@page {
  size: A4;
  margin: 24mm 21mm 24mm 21mm;
  @top-center { font: bold 9pt FONTS; color: #0b0c0c; }
  @bottom-center { font: 8pt FONTS; color: #505a5f; white-space: pre; text-align: center; }
}
@page wide { size: A4 landscape; margin: 20mm 15mm 22mm 15mm; }
body.compact { }
html { font-family: FONTS; font-size: 10.5pt; line-height: 1.4; color: #0b0c0c; }
body { margin: 0; }
p { margin: 0 0 6pt; orphans: 2; widows: 2; }
h1, h2, h3 { break-after: avoid; page-break-after: avoid; line-height: 1.2; }
h2 { font-size: 15pt; margin: 18pt 0 6pt; }
h3 { font-size: 12pt; margin: 12pt 0 4pt; }
.num::after { content: "."; }
a { color: #1d70b8; }
.title-page { page-break-after: always; height: 240mm; position: relative; }
.title-page .partnership { color: #1d70b8; font-weight: bold; font-size: 13pt; }
.title-page .title { font-size: 30pt; margin: 55mm 0 6pt; }
.title-page .subtitle { font-size: 16pt; color: #505a5f; margin: 0 0 18pt; }
.title-page .status { font-size: 13pt; font-weight: bold; }
.title-page .details { position: absolute; bottom: 0; font-size: 9pt; color: #505a5f; }
.contents { page-break-after: always; }
.contents-heading { margin-top: 0; }
.contents ol { list-style: none; padding: 0; margin: 0; }
.contents li { margin: 0 0 3pt; }
.contents li.level-2 { margin-left: 8mm; font-size: 9.5pt; }
.contents a { color: #0b0c0c; text-decoration: none; }
.contents a::after { content: leader(".") target-counter(attr(href), page); }
.prompt { font-style: italic; color: #505a5f; border-left: 3pt solid #b1b4b6;
  padding-left: 6pt; margin-left: 2pt; }
.lead { font-size: 12pt; }
.note, .caption { font-size: 9pt; color: #505a5f; }
ul, ol { margin: 0 0 6pt; padding-left: 16pt; }
li { margin-bottom: 2pt; }
table { border-collapse: collapse; width: 100%; margin: 0 0 10pt; font-size: 9pt;
  line-height: 1.25; }
table.small { font-size: 7.5pt; }
caption { text-align: left; font-weight: bold; font-size: 9pt; padding-bottom: 3pt; }
th, td { border: 0.75pt solid #8f9496; padding: 3pt 4pt; vertical-align: top; text-align: left; }
thead { display: table-header-group; }
thead th { background: #dde9f5; }
tr { page-break-inside: avoid; }
table.facts th { background: #f3f2f1; width: 32%; }
section.landscape { page: wide; }
section.appendix { page-break-before: always; }
.masthead .partnership { color: #1d70b8; font-weight: bold; margin: 0 0 2pt; }
.masthead .title { font-size: 22pt; margin: 0 0 2pt; }
.masthead .subtitle { font-size: 13pt; color: #505a5f; margin: 0 0 8pt; }
body.compact { font-size: 10pt; line-height: 1.32; }
body.compact h2 { font-size: 12.5pt; margin: 9pt 0 3pt; padding-top: 5pt;
  border-top: 1.5pt solid #1d70b8; }
body.compact .num { display: inline-block; background: #1d70b8; color: #fff; width: 15pt;
  height: 15pt; line-height: 15pt; text-align: center; border-radius: 8pt; margin-right: 4pt;
  font-size: 10pt; }
body.compact .num::after { content: ""; }
body.compact p { margin-bottom: 4pt; }
body.compact section { break-inside: avoid; }
"""
).replace("FONTS", FONT_STACK)


SCREEN_CSS = (
    """
html { font-family: FONTS; font-size: 19px; line-height: 1.4; color: #0b0c0c;
  background: #f3f2f1; }
body { max-width: 960px; margin: 0 auto; padding: 0 20px 30px; background: #fff; }
.marking { margin: 0 -20px 20px; padding: 6px 20px; background: #0b0c0c; color: #fff;
  font-weight: bold; text-align: center; letter-spacing: .05em; }
.issued + .marking { margin: 20px -20px 0; }
.masthead { border-bottom: 10px solid #1d70b8; padding: 20px 0 10px; margin-bottom: 20px; }
.masthead .partnership { color: #1d70b8; font-weight: bold; margin: 0 0 5px; }
.masthead .title { font-size: 48px; line-height: 1.04; margin: 0 0 10px; }
.masthead .subtitle { font-size: 24px; color: #505a5f; margin: 0 0 10px; }
h2 { font-size: 27px; line-height: 1.1; margin: 30px 0 15px; }
h3 { font-size: 21px; margin: 20px 0 10px; }
.num { display: inline-block; min-width: 1.5em; height: 1.5em; line-height: 1.5em;
  text-align: center; background: #1d70b8; color: #fff; border-radius: 50%;
  margin-right: 8px; font-size: .9em; }
p { margin: 0 0 15px; }
.lead { font-size: 24px; }
.prompt { border-left: 10px solid #b1b4b6; padding: 10px 15px; color: #505a5f;
  font-style: italic; }
.note, .caption { font-size: 16px; color: #505a5f; }
table { border-collapse: collapse; width: 100%; margin-bottom: 20px; font-size: 16px; }
caption { text-align: left; font-weight: bold; padding-bottom: 6px; }
th, td { border-bottom: 1px solid #b1b4b6; padding: 8px 16px 8px 0; text-align: left;
  vertical-align: top; }
.issued { border-top: 1px solid #b1b4b6; margin-top: 30px; padding-top: 15px;
  font-size: 16px; color: #505a5f; }
a { color: #1d70b8; }
"""
).replace("FONTS", FONT_STACK)
