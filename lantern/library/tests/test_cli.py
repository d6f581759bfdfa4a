"""`lantern library ingest|extract|search|stats|reindex`: the JSON contracts and messages."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from lantern.library.facts import FACT_KEYS
from lantern.library.models import Document
from lantern.library.tests.reports import Report

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("library", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_ingest_json_reports_every_file_and_progress(folder: Path, system: Any) -> None:
    out, err = run("ingest", str(folder), "--json")
    report = json.loads(out)
    assert (report["stored"], report["failed"], report["skipped"]) == (3, 1, 1)
    failed = next(f for f in report["files"] if f["status"] == "failed")
    assert failed["file"].endswith("broken.pdf") and "broken.pdf" in failed["reason"]
    assert "Read 4 of 4 files" in err
    assert "Failed: " in err and "broken.pdf" in err
    again = json.loads(run("ingest", str(folder / "kerry.txt"), "--json")[0])
    assert again["duplicate"] == 1 and again["files"][0]["document"] is not None
    assert Document.objects.count() == 3


def test_ingest_fails_when_nothing_could_be_read(tmp_path: Path, system: Any) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK not a zip")
    with pytest.raises(CommandError):
        run("ingest", str(bad))


def test_ingest_needs_an_editor(cast: Any, folder: Path) -> None:
    with pytest.raises(CommandError, match="permission"):
        run("--as", "chair", "ingest", str(folder))


def test_extract_prints_every_fact_and_stores_nothing(tmp_path: Path) -> None:
    path = tmp_path / "kerry.pdf"
    path.write_bytes(Report().as_pdf())
    facts = json.loads(run("extract", str(path), "--json")[0])
    assert set(FACT_KEYS) <= set(facts)
    assert facts["year"] == 2019 and facts["relationship_category"] == "former_partner"
    assert facts["evidence"]["year"]["page"] == 2
    assert Document.objects.count() == 0


def test_search_json_is_a_list_best_first(two_reports: list) -> None:
    for extra in ([], ["--semantic"]):
        rows = json.loads(run("search", "MARAC psychosis", *extra, "--json")[0])
        assert rows
        for row in rows:
            assert set(row) >= {"document", "title", "score", "snippet"}
            assert isinstance(row["score"], float) and 0 <= row["score"] <= 1
        assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    rows = json.loads(run("search", "training", "--filter", "year=2015-2017", "--json")[0])
    assert [r["document"] for r in rows] == ["margaret.txt"]
    rows = json.loads(
        run(
            "search", "training", "--filter", "theme=marac", "--filter", "age_band=35-44", "--json"
        )[0]
    )
    assert [r["document"] for r in rows] == ["kerry.txt"]


def test_search_refuses_a_bad_filter(two_reports: list) -> None:
    with pytest.raises(CommandError):
        run("search", "x", "--filter", "colour=blue", "--json")


def test_stats_json(two_reports: list) -> None:
    stats = json.loads(run("stats", "--json")[0])
    assert stats["documents"] == 2
    assert {
        "themes",
        "relationship_category",
        "death_type",
        "years",
        "recommendations",
        "recurring_recommendations",
    } <= set(stats)


def test_reindex(two_reports: list) -> None:
    out = json.loads(run("reindex", "--facts", "--refit", "--fulltext", "--json")[0])
    assert out["facts"] == 2 and out["semantic_index"]["action"] == "refit"
    assert json.loads(run("search", "MARAC", "--json")[0])[0]["document"] == "kerry.txt"
