from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from lantern.chronology.models import ThemeTag

pytestmark = pytest.mark.django_db


def run(*args: str, as_user: str | None = None) -> str:
    out = StringIO()
    call_command("themes", *args, stdout=out, stderr=StringIO(), as_user=as_user)
    return out.getvalue()


def test_vocabulary(cast: Any) -> None:
    text = run("vocabulary")
    assert "domestic_abuse\tDomestic abuse" in text
    assert "  coercive_control\tCoercive or controlling behaviour" in text
    data = json.loads(run("vocabulary", "--json", "--patterns"))
    assert data["themes"][0]["children"][0]["patterns"]


def test_suggest_for_a_review_and_agency(cast: Any, entry: Any) -> None:
    item = entry("He was drunk and punched her in the face.")
    entry("Rent arrears letter sent.", agency=cast.housing)
    data = json.loads(
        run(
            "suggest",
            "--review",
            cast.review.reference,
            "--agency",
            "northbridge police",
            "--json",
            as_user="chair",
        )
    )
    assert data["created"] == ThemeTag.objects.count() > 0
    assert set(ThemeTag.objects.values_list("entry", flat=True)) == {item.pk}
    assert "theme suggestion(s) made" in run("suggest", "--review", cast.review.reference)


def test_suggest_refuses_who_may_not(cast: Any, entry: Any) -> None:
    entry("He was drunk and punched her in the face.")
    with pytest.raises(CommandError, match="permission"):
        run("suggest", "--review", cast.review.reference, as_user="panel_member")
    with pytest.raises(CommandError, match="No such review"):
        run("suggest", "--review", cast.review.reference, as_user="outsider")
    with pytest.raises(CommandError, match="No organisation"):
        run("suggest", "--review", cast.review.reference, "--agency", "Nobody")
    assert not ThemeTag.objects.exists()


def test_evaluate(cast: Any) -> None:
    text = run("evaluate", "--set", "published")
    assert "== published: 66 items" in text and "micro average" in text
    data = json.loads(run("evaluate", "--json"))
    assert [s["set"] for s in data["sets"]] == ["generated", "published"]
