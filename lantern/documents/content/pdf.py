"""Render a `Document` to PDF: its print HTML through WeasyPrint. No Django.

Nothing is fetched while rendering: the HTML carries its own styles, fonts are the system's,
and any URL WeasyPrint is asked for is refused.
"""

from __future__ import annotations

from typing import Any

from lantern.documents.content.html import render_html
from lantern.documents.content.model import Document


def _refuse(url: str, *args: Any, **kwargs: Any) -> Any:
    raise ValueError(f"Documents fetch nothing: refused {url!r}")


def render_pdf(doc: Document) -> bytes:
    from weasyprint import HTML

    html = render_html(doc, flavour="print")
    # Tagged: headings, lists and tables are marked as such for screen readers (WCAG 1.3.1).
    return HTML(string=html, url_fetcher=_refuse).write_pdf(pdf_tags=True)
