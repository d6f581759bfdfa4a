"""The action plan as a document. DOCX and XLSX come from the recommendations app's writer
(`plan_import.write_docx` / `write_xlsx`: the published shape, which the importer reads back),
given the marking and the issue line; the PDF is built here from the same rows."""

from __future__ import annotations

import dataclasses
import io

from django.utils.translation import gettext as _

from lantern.documents.builders.common import Options, frame, issued_label
from lantern.documents.builders.report import action_plan_tables
from lantern.documents.content.docx import stamp_docx
from lantern.documents.content.model import Document, Section
from lantern.documents.facts import ReviewFacts
from lantern.recommendations.plan_import import PlanDocument, write_docx, write_xlsx


def build_action_plan(facts: ReviewFacts, options: Options) -> Document:
    doc = frame(
        facts,
        options,
        kind="action_plan",
        title=_("Action plan"),
        title_page=False,
        contents=False,
        landscape=True,
    )
    doc.sections = [Section(_("Recommendations and actions"), list(action_plan_tables(facts)))]
    return doc.number_sections(numbered=False)


def _plan(facts: ReviewFacts, options: Options) -> PlanDocument:
    plan = facts.plan or PlanDocument(title="")
    lines = [line for line in plan.subtitle_lines if not line.startswith("Exported from")]
    extra = [options.marking] if options.marking else []
    return dataclasses.replace(
        plan,
        title=_("Action plan: %(name)s") % {"name": facts.reference},
        subtitle_lines=[*lines, *extra, issued_label(options)],
    )


def action_plan_docx(facts: ReviewFacts, options: Options) -> bytes:
    out = io.BytesIO()
    write_docx(_plan(facts, options), out)
    return stamp_docx(out.getvalue(), build_action_plan(facts, options))


def action_plan_xlsx(facts: ReviewFacts, options: Options) -> bytes:
    from openpyxl import load_workbook

    out = io.BytesIO()
    write_xlsx(_plan(facts, options), out)
    workbook = load_workbook(io.BytesIO(out.getvalue()))
    workbook.properties.creator = "Lantern"
    workbook.properties.title = _("Action plan: %(name)s") % {"name": facts.reference}
    workbook.properties.keywords = options.marking
    for sheet in workbook.worksheets:
        # Printed pages carry the marking at the top and bottom, and the issue line.
        for header_footer in (sheet.oddHeader, sheet.evenHeader, sheet.firstHeader):
            header_footer.center.text = _excel_text(options.marking)
        for header_footer in (sheet.oddFooter, sheet.evenFooter, sheet.firstFooter):
            header_footer.center.text = _excel_text(
                f"{options.marking}\n{issued_label(options)}" if options.marking else ""
            )
            header_footer.right.text = _("Page &P of &N")
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    final = io.BytesIO()
    workbook.save(final)
    return final.getvalue()


def _excel_text(text: str) -> str:
    """Header and footer text, with "&" (Excel's code character) written as "&&"."""
    return (text or "").replace("&", "&&")
