"""Exports of the combined chronology: XLSX and DOCX open, follow the standard column order,
neutralise formulas, hold pseudonyms only, and are audited; the CLI writes the same files."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from lantern.chronology.columns import STANDARD_COLUMNS
from lantern.chronology.exports import THEMES_HEADING, chronology_export, neutralise
from lantern.chronology.models import ThemeTag
from lantern.chronology.pseudonyms import NamedPerson, Pseudonymiser
from lantern.chronology.selectors_entries import EntryFilters
from lantern.chronology.tests.combined_support import make_entry, tag
from lantern.core.models import AuditEvent

pytestmark = pytest.mark.django_db

REAL_NAMES = ("Joanne", "Whitfield", "Darren", "Pike")
EXPECTED_HEADINGS = [c.heading for c in STANDARD_COLUMNS] + [THEMES_HEADING]


@pytest.fixture
def entries(cast):  # noqa: ANN001, ANN201
    first = make_entry(
        cast.review,
        cast.police,
        "2021-03-14",
        time=dt.time(22, 15),
        subject="victim",
        source_record="Niche 21/5531",
        what_happened="Joanne Whitfield called 999: Darren Pike had pushed her. WHITFIELD injured.",
        action_taken='=HYPERLINK("http://evil.example","click")',
        risk_assessment="+DASH 15",
        analyst_comment="No MARAC referral although Joanne met the threshold.",
        flag="missed_opportunity",
    )
    month = make_entry(
        cast.review,
        cast.housing,
        "2021-05-01",
        date_precision="month",
        subject="perpetrator",
        what_happened="@SUM(1+1) Mr Pike's tenancy warning",
        action_taken="-10 points on the banding",
        dash_level="high",
        dash_score=15,
        marac_referral=True,
    )
    tag(first, "domestic_abuse", ThemeTag.Status.CONFIRMED)
    return {"first": first, "month": month}


def _xlsx(cast, user=None, **filters):  # noqa: ANN001, ANN003, ANN202
    export = chronology_export(
        review=cast.review,
        by=user or cast.chair,
        fmt="xlsx",
        filters=EntryFilters(**filters) if filters else None,
    )
    return export, load_workbook(io.BytesIO(export.content))


def test_xlsx_has_the_standard_columns_in_order_and_a_styled_header(cast, entries) -> None:  # noqa: ANN001
    export, book = _xlsx(cast)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header == EXPECTED_HEADINGS
    assert header[:3] == ["Date", "Time", "Agency"]
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    assert export.filename == "NB-DHR-2024-07-combined-chronology.xlsx"
    assert export.entries == 2 and sheet.max_row == 3


def test_xlsx_dates_are_real_dates_and_months_read_as_months(cast, entries) -> None:  # noqa: ANN001
    _export, book = _xlsx(cast)
    sheet = book.worksheets[0]
    day, month = sheet["A2"], sheet["A3"]
    assert day.value == dt.datetime(2021, 3, 14)
    assert day.number_format == "dd/mm/yyyy"
    assert month.value == dt.datetime(2021, 5, 1)
    assert month.number_format == "mmmm yyyy"  # shown as "May 2021"
    assert sheet["B2"].value == dt.time(22, 15)


def test_xlsx_neutralises_formulas(cast, entries) -> None:  # noqa: ANN001
    _export, book = _xlsx(cast)
    sheet = book.worksheets[0]
    column = {heading: i for i, heading in enumerate(EXPECTED_HEADINGS)}
    rows = list(sheet.iter_rows(min_row=2))
    first, month = rows
    action = first[column["Action taken / outcome"]]
    assert action.value.startswith("'=HYPERLINK")
    assert action.data_type == "s"
    assert first[column["Risk assessment and referrals"]].value == "'+DASH 15"
    assert month[column["What happened"]].value.startswith("'@SUM")
    assert month[column["Action taken / outcome"]].value.startswith("'-10")
    for row in rows:
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
    # The raw file holds no formula element at all.
    with zipfile.ZipFile(io.BytesIO(_export.content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name)


def test_xlsx_cells_carry_flag_risk_and_themes(cast, entries) -> None:  # noqa: ANN001
    _export, book = _xlsx(cast)
    sheet = book.worksheets[0]
    column = {heading: i for i, heading in enumerate(EXPECTED_HEADINGS)}
    first, month = list(sheet.iter_rows(min_row=2, values_only=True))
    assert first[column["Analyst comment"]].startswith("Missed opportunity: No MARAC referral")
    assert first[column["Subject"]] == "Victim"
    assert first[column["Agency"]] == "Northbridge Police"
    assert first[column[THEMES_HEADING]] == "Domestic abuse"
    assert month[column["Risk assessment and referrals"]] == "DASH: High (15); MARAC referral"


def _all_text_of_xlsx(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return " ".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())


def _all_text_of_docx(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return " ".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_no_real_names_anywhere_in_an_export(cast, entries, fmt) -> None:  # noqa: ANN001
    export = chronology_export(review=cast.review, by=cast.coordinator, fmt=fmt)
    everything = (_all_text_of_xlsx if fmt == "xlsx" else _all_text_of_docx)(export.content)
    for name in REAL_NAMES:
        assert name not in everything, name
        assert name.upper() not in everything, name
    assert "Kerry called 999: Lee had pushed her. Kerry injured." in everything
    assert "Mr Lee's tenancy warning" in everything


def test_docx_is_a_landscape_table_with_a_repeating_header(cast, entries) -> None:  # noqa: ANN001
    export = chronology_export(review=cast.review, by=cast.chair, fmt="docx")
    document = Document(io.BytesIO(export.content))
    section = document.sections[0]
    assert section.page_width > section.page_height
    assert len(document.tables) == 1
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == EXPECTED_HEADINGS
    assert table.rows[0]._tr.trPr.xml.count("tblHeader") == 1
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert rows[0][0] == "14 March 2021" and rows[0][1] == "22:15"
    assert rows[1][0] == "May 2021"  # month precision
    assert rows[0][EXPECTED_HEADINGS.index("Action taken / outcome")].startswith("=HYPERLINK")
    assert export.filename.endswith(".docx")


def test_exports_follow_the_filters_and_the_readers_access(cast, entries) -> None:  # noqa: ANN001
    export, book = _xlsx(cast, date_from=dt.date(2021, 4, 1))
    assert export.entries == 1
    export, book = _xlsx(cast, user=cast.agency_author)
    agencies = [row[2] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert agencies == ["Northbridge Police"]


def test_each_export_is_audited_as_an_export(cast, entries, client) -> None:  # noqa: ANN001
    client.force_login(cast.chair)
    url = reverse("chronology:export_docx", args=[cast.review.reference])
    before = AuditEvent.objects.count()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("id")
    assert event.action == AuditEvent.Action.EXPORT
    assert event.data == {"format": "docx", "entries": 2}
    assert event.review == cast.review


def test_neutralise() -> None:
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("+447700900000") == "'+447700900000"
    assert neutralise("-") == "'-"
    assert neutralise("@cmd") == "'@cmd"
    assert neutralise("\t=1") == "'\t=1"
    assert neutralise("A = B") == "A = B"
    assert neutralise("bell\x07") == "bell"


def test_pseudonymiser_replaces_names_not_words() -> None:
    names = Pseudonymiser(
        [
            NamedPerson("Joanne Whitfield", "Kerry", "victim", aliases=("Jo Smith",)),
            NamedPerson("Mark Young", "", "perpetrator"),
        ]
    )
    assert names.apply("joanne whitfield and JOANNE") == "Kerry and Kerry"
    assert (
        names.apply("Jo Smith met Mr Young, a young man.")
        == "Kerry met Mr [perpetrator], a young man."
    )
    assert names.apply("Whitfield's flat") == "Kerry's flat"
    assert names.apply("Joanna") == "Joanna"  # a different name
    assert Pseudonymiser([]).apply("Joanne") == "Joanne"


# --- the CLI -------------------------------------------------------------------------------------


def test_cli_writes_xlsx_and_docx(cast, entries, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    target = tmp_path / "chronology.xlsx"
    call_command("chronology", "export", "--review", cast.review.reference, "-o", str(target))
    book = load_workbook(target)
    assert [c.value for c in book.worksheets[0][1]] == EXPECTED_HEADINGS
    assert "Wrote 2 entries" in capsys.readouterr().out
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.channel) == ("export", "cli")

    docx = tmp_path / "appendix.docx"
    call_command(
        "chronology",
        "--as",
        "agency_author",
        "export",
        "--review",
        cast.review.reference,
        "-o",
        str(docx),
        "--json",
    )
    assert '"entries": 1' in capsys.readouterr().out
    assert len(Document(str(docx)).tables[0].rows) == 2


def test_cli_refuses_other_formats_and_outsiders(cast, entries, tmp_path: Path) -> None:  # noqa: ANN001
    with pytest.raises(CommandError):
        call_command(
            "chronology", "export", "--review", cast.review.reference, "-o", str(tmp_path / "x.csv")
        )
    with pytest.raises(CommandError, match="No such review"):
        call_command(
            "chronology",
            "--as",
            "outsider",
            "export",
            "--review",
            cast.review.reference,
            "-o",
            str(tmp_path / "x.xlsx"),
        )
    with pytest.raises(CommandError, match="permission"):
        call_command(
            "chronology",
            "--as",
            "board_member",
            "export",
            "--review",
            cast.review.reference,
            "-o",
            str(tmp_path / "x.xlsx"),
        )
    assert not (tmp_path / "x.xlsx").exists()
