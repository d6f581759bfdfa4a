"""`lantern briefing` and `lantern documents`."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from lantern.documents.models import DocumentIssue
from lantern.documents.tests.support import pdf_pages


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["docx", "pdf", "html"])
def test_briefing_writes_the_format_its_extension_names(documented, tmp_path, fmt) -> None:
    target = tmp_path / f"briefing.{fmt}"
    output = run("briefing", "--review", documented.reference, "-o", str(target))
    assert output.strip() == str(target)
    content = target.read_bytes()
    assert content.startswith({"docx": b"PK", "pdf": b"%PDF", "html": b"<!DOCTYPE"}[fmt])
    issue = DocumentIssue.objects.get()
    assert (issue.fmt, issue.channel, issue.generated_by_label) == (
        fmt,
        "cli",
        "console: local system administrator",
    )


def test_briefing_json_as_a_user_with_issued_to_and_no_marking(documented, tmp_path) -> None:
    target = tmp_path / "b.pdf"
    output = run(
        "briefing",
        "--review",
        documented.reference,
        "-o",
        str(target),
        "--as",
        "chair",
        "--issued-to",
        "Partners",
        "--no-marking",
        "--json",
    )
    data = json.loads(output)
    assert data["path"] == str(target)
    assert data["issued_to"] == "Partners" and data["marking"] == ""
    assert "OFFICIAL" not in " ".join(pdf_pages(target.read_bytes()))


def test_briefing_refuses_other_extensions_and_other_people(documented, tmp_path) -> None:
    with pytest.raises(CommandError, match=r"\.docx, \.pdf or \.html"):
        run("briefing", "--review", documented.reference, "-o", str(tmp_path / "b.txt"))
    with pytest.raises(CommandError, match="permission"):
        run(
            "briefing",
            "--review",
            documented.reference,
            "-o",
            str(tmp_path / "b.pdf"),
            "--as",
            "board_member",
        )
    with pytest.raises(CommandError, match="No such review"):
        run("briefing", "--review", "NOPE", "-o", str(tmp_path / "b.pdf"))
    assert not DocumentIssue.objects.exists()


def test_documents_writes_every_document_in_every_format(documented, tmp_path) -> None:
    folder = tmp_path / "out"
    output = run("documents", "--review", documented.reference, "-o", str(folder))
    ref = documented.reference
    expected = [
        f"{ref}-overview-report.docx",
        f"{ref}-overview-report.pdf",
        f"{ref}-executive-summary.docx",
        f"{ref}-executive-summary.pdf",
        f"{ref}-action-plan.docx",
        f"{ref}-action-plan.xlsx",
        f"{ref}-action-plan.pdf",
        f"{ref}-7-minute-briefing.docx",
        f"{ref}-7-minute-briefing.pdf",
        f"{ref}-7-minute-briefing.html",
    ]
    assert sorted(p.name for p in folder.iterdir()) == sorted(expected)
    assert output.split() == [str(folder / name) for name in expected]  # what it wrote, in order
    assert DocumentIssue.objects.count() == 10


def test_documents_json_and_one_kind(documented, tmp_path) -> None:
    output = run(
        "documents",
        "--review",
        documented.reference,
        "-o",
        str(tmp_path),
        "--kind",
        "action_plan",
        "--json",
        "--as",
        "panel_member",
    )
    data = json.loads(output)
    assert data["review"] == documented.reference
    assert [(f["kind"], f["format"]) for f in data["files"]] == [
        ("action_plan", "docx"),
        ("action_plan", "xlsx"),
        ("action_plan", "pdf"),
    ]
    assert all(len(f["sha256"]) == 64 for f in data["files"])
