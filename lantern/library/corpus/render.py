"""Blocks of a generated report rendered as plain text, HTML, DOCX or PDF, deterministically."""

from __future__ import annotations

import html
import io
import zipfile
from datetime import datetime

from lantern.library.corpus.generator import Block

PDF_CSS = """
@page { size: A4; margin: 2cm; @bottom-center { content: "Page " counter(page); font-size: 8pt; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10pt; line-height: 1.35; }
h1 { font-size: 14pt; margin: 1.6em 0 0.8em; } h2 { font-size: 11pt; margin: 1.2em 0 0.6em; }
p { margin: 0 0 0.9em; } li { margin-bottom: 0.5em; }
p.title { font-size: 18pt; font-weight: bold; margin: 0.2em 0; } p.meta { margin: 0.2em 0; }
table { border-collapse: collapse; width: 100%; font-size: 8pt; }
td, th { border: 1px solid #555; padding: 2pt 4pt; vertical-align: top; }
.pagebreak { page-break-after: always; }
"""


def to_txt(blocks: list[Block]) -> bytes:
    out: list[str] = []
    for block in blocks:
        if block.kind == "pagebreak":
            continue
        if block.kind == "bullet":
            out.append(f"- {block.text}")
        elif block.kind == "table":
            out.append("\n".join(" | ".join(row) for row in block.rows))
        elif block.kind == "h1":
            out.append(block.text.upper() if len(block.text) < 30 else block.text)
        else:
            out.append(block.text)
    return ("\n\n".join(out) + "\n").encode("utf-8")


def to_html(blocks: list[Block], *, title: str, created: datetime, for_pdf: bool = False) -> bytes:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>",
        f'<meta name="dcterms.created" content="{created.isoformat()}">',
        f'<meta name="dcterms.modified" content="{created.isoformat()}">',
        f"<style>{PDF_CSS}</style>" if for_pdf else "",
        "</head><body><main>",
    ]
    in_list = False
    for block in blocks:
        text = html.escape(block.text)
        if block.kind != "bullet" and in_list:
            parts.append("</ul>")
            in_list = False
        if block.kind == "title":
            parts.append(f'<p class="title">{text}</p>')
        elif block.kind == "meta":
            parts.append(f'<p class="meta">{text}</p>')
        elif block.kind == "h1":
            parts.append(f"<h1>{text}</h1>")
        elif block.kind == "h2":
            parts.append(f"<h2>{text}</h2>")
        elif block.kind == "bullet":
            if not in_list:
                parts.append("<ul>")
                in_list = True
            parts.append(f"<li>{text}</li>")
        elif block.kind == "table":
            rows = "".join(
                "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>"
                for row in block.rows
            )
            parts.append(f"<table>{rows}</table>")
        elif block.kind == "pagebreak":
            parts.append('<div class="pagebreak"></div>' if for_pdf else "")
        else:
            parts.append(f"<p>{text}</p>")
    if in_list:
        parts.append("</ul>")
    parts.append("</main></body></html>")
    return "\n".join(p for p in parts if p).encode("utf-8")


def to_pdf(blocks: list[Block], *, title: str, created: datetime) -> bytes:
    from weasyprint import HTML

    source = to_html(blocks, title=title, created=created, for_pdf=True).decode("utf-8")
    return HTML(string=source).write_pdf(uncompressed_pdf=False)


def to_docx(blocks: list[Block], *, title: str, created: datetime) -> bytes:
    from docx import Document
    from docx.enum.text import WD_BREAK

    document = Document()
    properties = document.core_properties
    properties.title = title
    properties.author = "Lantern corpus generator"
    properties.created = created
    properties.modified = created
    properties.last_modified_by = "Lantern corpus generator"
    properties.revision = 1
    for block in blocks:
        if block.kind == "title":
            document.add_heading(block.text, level=0)
        elif block.kind == "h1":
            document.add_heading(block.text, level=1)
        elif block.kind == "h2":
            document.add_heading(block.text, level=2)
        elif block.kind == "bullet":
            document.add_paragraph(block.text, style="List Bullet")
        elif block.kind == "table":
            table = document.add_table(rows=len(block.rows), cols=len(block.rows[0]))
            for r, row in enumerate(block.rows):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
        elif block.kind == "pagebreak":
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        else:
            document.add_paragraph(block.text)
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip_times(buffer.getvalue(), created)


def _fixed_zip_times(data: bytes, when: datetime) -> bytes:
    """The same bytes for the same seed: every part stamped with the report's own date."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    stamp = (when.year, when.month, when.day, 0, 0, 0)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
