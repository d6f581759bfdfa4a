"""Template filters of the library pages."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from lantern.library.fulltext import MARK_END, MARK_START

register = template.Library()


@register.filter
def marked(snippet: str) -> SafeString:
    """A search snippet as HTML: the text escaped, then each matched word in <mark>."""
    text = escape(snippet or "")
    text = text.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(text)  # noqa: S308 - escaped above; only our own markers become tags


@register.filter
def percent(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.0f}%" if float(value).is_integer() else f"{value:.1f}%"
