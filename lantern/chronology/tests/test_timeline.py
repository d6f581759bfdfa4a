"""The timeline and monthly chart: the pure layout, and the page that draws it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from lantern.chronology import timeline as tl
from lantern.chronology.models import ChronologyEntry
from lantern.chronology.selectors_entries import monthly_counts
from lantern.chronology.tests.combined_support import make_entry, tag

D = dt.date


def entry(id_: int, agency_id: int, agency: str, on: D, **kw) -> tl.TimelineEntry:  # noqa: ANN003
    return tl.TimelineEntry(id=id_, agency_id=agency_id, agency=agency, date=on, **kw)


ENTRIES = [
    entry(1, 10, "Police", D(2021, 1, 1), theme="domestic_abuse", title="one"),
    entry(2, 20, "Ambulance", D(2021, 1, 31)),
    entry(3, 10, "Police", D(2021, 3, 1), month_precision=True, theme="mental_health"),
    entry(4, 30, "GP", D(2021, 2, 14), theme="unknown_theme"),
    entry(5, 10, "Police", D(2021, 3, 31)),
]
THEMES = ["domestic_abuse", "mental_health", "substance_use"]


def marks_by_lane(drawing: tl.Timeline) -> dict[str, list[int]]:
    return {lane.name: [m.entry_id for m in lane.marks] for lane in drawing.lanes}


def test_marks_go_on_their_agencys_lane_and_lanes_are_by_name() -> None:
    drawing = tl.build_timeline(ENTRIES, theme_order=THEMES)
    assert marks_by_lane(drawing) == {"Ambulance": [2], "GP": [4], "Police": [1, 3, 5]}
    for lane in drawing.lanes:
        for mark in lane.marks:
            assert lane.y <= mark.y <= lane.y + tl.LANE_HEIGHT
    assert [lane.index for lane in drawing.lanes] == [0, 1, 2]
    assert drawing.height == tl.AXIS_HEIGHT + 3 * tl.LANE_HEIGHT + tl.BOTTOM_PAD


def test_marks_are_placed_by_date_within_the_range() -> None:
    drawing = tl.build_timeline(ENTRIES)
    assert (drawing.start, drawing.end) == (D(2021, 1, 1), D(2021, 3, 31))  # whole months
    x = {m.entry_id: m.x for lane in drawing.lanes for m in lane.marks}
    assert x[1] < x[2] < x[4] < x[5]
    days = (drawing.end - drawing.start).days + 1  # 90
    day_width = tl.PLOT_WIDTH / days
    assert x[1] == pytest.approx(tl.LABEL_WIDTH + day_width / 2, abs=0.01)
    assert x[5] == pytest.approx(tl.LABEL_WIDTH + tl.PLOT_WIDTH - day_width / 2, abs=0.01)
    # A month-precision mark spans its month: March is 31 of the 90 days.
    march = next(m for lane in drawing.lanes for m in lane.marks if m.entry_id == 3)
    assert march.month_precision
    assert march.x == pytest.approx(tl.LABEL_WIDTH + 59 * day_width, abs=0.01)
    assert march.width == pytest.approx(31 * day_width, abs=0.02)


def test_zooming_to_a_range_leaves_out_what_is_outside() -> None:
    drawing = tl.build_timeline(ENTRIES, start=D(2021, 2, 1), end=D(2021, 3, 15))
    assert marks_by_lane(drawing) == {"GP": [4], "Police": [3]}  # March overlaps the range
    march = drawing.lanes[1].marks[0]
    assert march.x == pytest.approx(tl.LABEL_WIDTH + 28 / 43 * tl.PLOT_WIDTH, abs=0.01)
    assert march.x + march.width <= tl.WIDTH - tl.RIGHT_PAD + 0.01


def test_a_chosen_agency_keeps_its_lane_when_empty() -> None:
    drawing = tl.build_timeline(
        ENTRIES, start=D(2021, 2, 1), end=D(2021, 2, 28), agencies=[(20, "Ambulance")]
    )
    assert marks_by_lane(drawing) == {"Ambulance": [], "GP": [4]}


def test_marks_on_the_same_day_do_not_hide_each_other() -> None:
    same = [entry(i, 1, "Police", D(2021, 1, 5)) for i in range(3)]
    ys = [m.y for m in tl.build_timeline(same).lanes[0].marks]
    assert len(set(ys)) == 3


def test_colours_follow_the_first_top_level_theme() -> None:
    drawing = tl.build_timeline(ENTRIES, theme_order=THEMES)
    css = {m.entry_id: m.css_class for lane in drawing.lanes for m in lane.marks}
    assert css == {
        1: "lantern-theme--0",
        2: tl.NO_THEME_CLASS,
        3: "lantern-theme--1",
        4: tl.NO_THEME_CLASS,
        5: tl.NO_THEME_CLASS,
    }
    assert drawing.themes == [
        ("domestic_abuse", "lantern-theme--0"),
        ("mental_health", "lantern-theme--1"),
        ("unknown_theme", tl.NO_THEME_CLASS),
    ]
    many = [f"t{i}" for i in range(14)]
    assert tl.theme_class("t11", many) == "lantern-theme--11"
    assert tl.theme_class("t13", many) == "lantern-theme--1"  # the palette wraps round


def test_ticks_mark_years_and_months() -> None:
    drawing = tl.build_timeline([], start=D(2020, 11, 1), end=D(2021, 2, 28))
    assert [(t.date, t.kind) for t in drawing.ticks] == [
        (D(2020, 11, 1), "month"),
        (D(2020, 12, 1), "month"),
        (D(2021, 1, 1), "year"),
        (D(2021, 2, 1), "month"),
    ]
    long = tl.build_timeline([], start=D(2015, 1, 1), end=D(2020, 12, 31))
    assert {t.date for t in long.ticks if t.kind == "year"} == {
        D(y, 1, 1) for y in range(2015, 2021)
    }
    assert not [t for t in long.ticks if t.kind == "month"]


def test_month_buckets_fill_empty_months_and_keep_every_count() -> None:
    counts = {D(2021, 1, 1): 3, D(2021, 1, 20): 2, D(2021, 4, 1): 1}
    buckets = tl.month_buckets(counts)
    assert [(b.month, b.count) for b in buckets] == [
        (D(2021, 1, 1), 5),
        (D(2021, 2, 1), 0),
        (D(2021, 3, 1), 0),
        (D(2021, 4, 1), 1),
    ]
    assert sum(b.count for b in buckets) == 6
    wider = tl.month_buckets(counts, D(2020, 12, 15), D(2021, 5, 2))
    assert [b.month for b in wider][0] == D(2020, 12, 1) and len(wider) == 6
    assert tl.month_buckets({}) == []


def test_month_chart_bars_are_proportional_and_labelled() -> None:
    buckets = [tl.MonthBucket(D(2021, m, 1), n) for m, n in ((1, 10), (2, 0), (3, 5), (4, 7))]
    chart = tl.build_month_chart(buckets)
    assert chart.total == 22 and chart.max_count == 10
    heights = {b.month.month: b.height for b in chart.bars}
    assert heights[2] == 0
    assert heights[1] == pytest.approx(2 * heights[3])
    top = chart.y_ticks[-1]
    assert top.value >= 10
    tallest = chart.bars[0]
    assert tallest.y == pytest.approx(chart.baseline - heights[1])
    assert [b.x for b in chart.bars] == sorted(b.x for b in chart.bars)
    labels = chart.labels()
    assert [(label.month, label.kind) for label in labels][:2] == [
        (D(2021, 1, 1), "month"),
        (D(2021, 1, 1), "year"),
    ]


def test_month_chart_of_many_months_labels_years() -> None:
    buckets = [tl.MonthBucket(tl.add_months(D(2018, 6, 1), i), i % 4) for i in range(40)]
    labels = tl.build_month_chart(buckets).labels()
    assert {label.kind for label in labels} == {"year"}
    assert [label.month for label in labels] == [
        D(2018, 6, 1),
        D(2019, 1, 1),
        D(2020, 1, 1),
        D(2021, 1, 1),
    ]


# --- the page ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_monthly_counts_match_the_entries(cast) -> None:  # noqa: ANN001
    for on in ("2021-01-03", "2021-01-31", "2021-03-15"):
        make_entry(cast.review, cast.police, on)
    make_entry(cast.review, cast.housing, "2021-03-01", date_precision="month")
    counts = monthly_counts(ChronologyEntry.objects.filter(review=cast.review))
    assert counts == {D(2021, 1, 1): 2, D(2021, 3, 1): 2}


@pytest.mark.django_db
def test_timeline_page_draws_a_link_per_entry_and_a_chart_that_adds_up(client, cast) -> None:  # noqa: ANN001
    made = [
        make_entry(cast.review, cast.police, "2021-01-03"),
        make_entry(cast.review, cast.police, "2021-01-20"),
        make_entry(cast.review, cast.housing, "2021-03-01", date_precision="month"),
        make_entry(cast.review, cast.housing, "2021-04-11"),
    ]
    tag(made[0], "domestic_abuse")
    client.force_login(cast.chair)
    url = reverse("chronology:timeline", args=[cast.review.reference])
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    for e in made:
        link = reverse("chronology:entry", args=[cast.review.reference, e.pk])
        assert body.count(f'href="{link}"') == 1
    assert body.count("<title>") >= len(made)
    assert "lantern-theme--" in body
    drawing = response.context["drawing"]
    assert [lane.name for lane in drawing.lanes] == ["Northbridge Homes", "Northbridge Police"]
    months = {row["bar"].month: row["bar"].count for row in response.context["month_rows"]}
    assert months == {D(2021, 1, 1): 2, D(2021, 2, 1): 0, D(2021, 3, 1): 1, D(2021, 4, 1): 1}
    # The data table alternative lists the same numbers.
    table = re.findall(r'govuk-table__cell--numeric">(\d+)<', body)
    assert [int(n) for n in table] == [2, 0, 1, 1]

    zoomed = client.get(url, {"date_from": "2021-01-10", "date_to": "2021-02-28"})
    assert zoomed.context["drawing"].mark_count == 1
    assert zoomed.context["zoom_out"]


@pytest.mark.django_db
def test_timeline_shows_agency_authors_only_their_lane(client, cast) -> None:  # noqa: ANN001
    make_entry(cast.review, cast.police, "2021-01-03")
    make_entry(cast.review, cast.housing, "2021-02-03")
    client.force_login(cast.agency_author)
    response = client.get(reverse("chronology:timeline", args=[cast.review.reference]))
    assert [lane.name for lane in response.context["drawing"].lanes] == ["Northbridge Police"]
    assert "Northbridge Homes" not in response.content.decode()
