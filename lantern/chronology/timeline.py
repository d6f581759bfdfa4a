"""The timeline and the monthly contacts chart as data (no Django imports).

`build_timeline` lays entries out as marks on one lane per agency, positioned by date within
the range shown; `month_buckets` and `build_month_chart` turn counts per month into bars. The
templates draw the SVG from these numbers, so everything here is plain arithmetic, tested
without a browser. Coordinates are SVG user units inside a fixed viewBox; CSS scales the
picture to the page.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# Layout of the timeline, in SVG user units.
WIDTH = 1200
LABEL_WIDTH = 250  # agency names on the left
RIGHT_PAD = 16
AXIS_HEIGHT = 34  # month and year labels above the lanes
LANE_HEIGHT = 28
BOTTOM_PAD = 8
PLOT_WIDTH = WIDTH - LABEL_WIDTH - RIGHT_PAD
MARK_RADIUS = 5
MONTH_MARK_HEIGHT = 8
STACK_OFFSETS = (0, -7, 7)  # marks on the same spot of a lane sit above and below each other
LABEL_CHARS = 34

# Colours: a theme's class is its position among the top-level themes, wrapped round the palette
# in combined.css. Colour is never the only signal: each mark's title names its theme.
PALETTE_SIZE = 12
NO_THEME_CLASS = "lantern-theme--none"

# The monthly chart.
CHART_WIDTH = 1200
CHART_HEIGHT = 260
CHART_LEFT = 56  # the count axis
CHART_RIGHT = 16
CHART_TOP = 12
CHART_BOTTOM = 40  # month and year labels
BAR_GAP = 0.2  # share of each month's slot left empty


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def last_of_month(day: dt.date) -> dt.date:
    return add_months(first_of_month(day), 1) - dt.timedelta(days=1)


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first day of every month from start's month to end's month, inclusive."""
    out = []
    month = first_of_month(start)
    last = first_of_month(end)
    while month <= last:
        out.append(month)
        month = add_months(month, 1)
    return out


def theme_class(theme: str, theme_order: Sequence[str]) -> str:
    """The CSS class colouring a mark of top-level theme `theme` ("" for none)."""
    if not theme:
        return NO_THEME_CLASS
    try:
        index = list(theme_order).index(theme)
    except ValueError:
        return NO_THEME_CLASS
    return f"lantern-theme--{index % PALETTE_SIZE}"


@dataclass(frozen=True)
class TimelineEntry:
    """What the timeline needs of one entry."""

    id: int
    agency_id: int
    agency: str
    date: dt.date
    month_precision: bool = False
    theme: str = ""  # the entry's first top-level theme code
    title: str = ""  # the accessible name of its mark


@dataclass(frozen=True)
class Mark:
    entry_id: int
    x: float  # centre (day precision) or left edge (month precision)
    y: float
    css_class: str
    title: str
    month_precision: bool
    width: float = 0.0  # for a month-precision mark: the month's width

    @property
    def top(self) -> float:
        """The top of a month-precision mark's bar."""
        return self.y - MONTH_MARK_HEIGHT / 2


@dataclass
class Lane:
    agency_id: int
    name: str
    index: int
    y: float  # top of the lane
    marks: list[Mark] = field(default_factory=list)

    @property
    def centre(self) -> float:
        return self.y + LANE_HEIGHT / 2

    @property
    def label_y(self) -> float:
        return self.centre + 4  # text baseline: the name sits centred in the lane

    @property
    def short_name(self) -> str:
        if len(self.name) <= LABEL_CHARS:
            return self.name
        return self.name[: LABEL_CHARS - 1].rstrip() + "…"


@dataclass(frozen=True)
class Tick:
    x: float
    date: dt.date
    kind: str  # "year" (a labelled year boundary) | "month" (a labelled month) | "minor"


@dataclass
class Timeline:
    start: dt.date
    end: dt.date  # inclusive
    lanes: list[Lane]
    ticks: list[Tick]
    themes: list[tuple[str, str]]  # (code, css class) of the themes that appear, in order
    width: int = WIDTH
    label_width: int = LABEL_WIDTH
    plot_right: int = WIDTH - RIGHT_PAD

    @property
    def height(self) -> int:
        return AXIS_HEIGHT + len(self.lanes) * LANE_HEIGHT + BOTTOM_PAD

    @property
    def axis_y(self) -> int:
        return AXIS_HEIGHT

    @property
    def tick_top(self) -> int:
        return AXIS_HEIGHT - 8  # labelled ticks reach up between the labels

    @property
    def lane_height(self) -> int:
        return LANE_HEIGHT

    @property
    def mark_radius(self) -> int:
        return MARK_RADIUS

    @property
    def month_mark_height(self) -> int:
        return MONTH_MARK_HEIGHT

    @property
    def mark_count(self) -> int:
        return sum(len(lane.marks) for lane in self.lanes)


def _x(day: dt.date, start: dt.date, days: int) -> float:
    return round(LABEL_WIDTH + (day - start).days / days * PLOT_WIDTH, 2)


def _ticks(start: dt.date, end: dt.date, days: int) -> list[Tick]:
    months = months_between(start, end)
    if len(months) <= 18:
        labelled_every = 1
    elif len(months) <= 48:
        labelled_every = 3
    else:
        labelled_every = 12
    ticks = []
    for month in months:
        if month < start:
            continue
        if month.month == 1:
            kind = "year"
        elif labelled_every < 12 and (month.month - 1) % labelled_every == 0:
            kind = "month"
        else:
            kind = "minor"
        if labelled_every == 12 and kind == "minor" and len(months) > 120:
            continue  # a decade or more: year lines only
        ticks.append(Tick(x=_x(month, start, days), date=month, kind=kind))
    return ticks


def timeline_range(
    entries: Iterable[TimelineEntry], start: dt.date | None, end: dt.date | None
) -> tuple[dt.date, dt.date]:
    """The range to draw: the one asked for, or whole months around the entries."""
    dates = [e.date for e in entries]
    if start is None:
        start = first_of_month(min(dates)) if dates else first_of_month(dt.date.today())
    if end is None:
        end = last_of_month(max(dates)) if dates else last_of_month(start)
    if end < start:
        start, end = end, start
    return start, end


def build_timeline(
    entries: Sequence[TimelineEntry],
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    theme_order: Sequence[str] = (),
    agencies: Sequence[tuple[int, str]] = (),
) -> Timeline:
    """Lay out `entries` between `start` and `end` (inclusive).

    Entries outside the range are left out. Lanes are the agencies with an entry in range, by
    name, plus any in `agencies` (so a chosen agency with nothing in range still shows its lane).
    """
    start, end = timeline_range(entries, start, end)
    days = (end - start).days + 1
    shown = []
    for e in entries:
        month_end = last_of_month(e.date) if e.month_precision else e.date
        if month_end >= start and e.date <= end:
            shown.append(e)
    names: dict[int, str] = dict(agencies)
    for e in shown:
        names.setdefault(e.agency_id, e.agency)
    order = sorted(names, key=lambda a: (names[a].casefold(), a))
    lanes = {
        agency_id: Lane(
            agency_id=agency_id, name=names[agency_id], index=i, y=AXIS_HEIGHT + i * LANE_HEIGHT
        )
        for i, agency_id in enumerate(order)
    }
    used: dict[tuple[int, float], int] = {}
    themes_seen: set[str] = set()
    for e in sorted(shown, key=lambda e: (e.date, e.id)):
        lane = lanes[e.agency_id]
        if e.month_precision:
            left = max(e.date, start)
            right = min(last_of_month(e.date), end)
            x = _x(left, start, days)
            width = max(_x(right + dt.timedelta(days=1), start, days) - x, 2.0)
            spot = round(x + width / 2)
        else:
            x = _x(e.date, start, days) + PLOT_WIDTH / days / 2  # the middle of the day
            x = round(x, 2)
            width = 0.0
            spot = round(x)
        stack = used.get((lane.index, spot), 0)
        used[(lane.index, spot)] = stack + 1
        y = lane.centre + STACK_OFFSETS[stack % len(STACK_OFFSETS)]
        if e.theme:
            themes_seen.add(e.theme)
        lane.marks.append(
            Mark(
                entry_id=e.id,
                x=x,
                y=y,
                css_class=theme_class(e.theme, theme_order),
                title=e.title,
                month_precision=e.month_precision,
                width=round(width, 2),
            )
        )
    legend = [(code, theme_class(code, theme_order)) for code in theme_order if code in themes_seen]
    legend += sorted((code, NO_THEME_CLASS) for code in themes_seen if code not in set(theme_order))
    return Timeline(
        start=start,
        end=end,
        lanes=[lanes[a] for a in order],
        ticks=_ticks(start, end, days),
        themes=legend,
    )


# --- the monthly contacts chart ----------------------------------------------------------------


@dataclass(frozen=True)
class MonthBucket:
    month: dt.date  # the first of the month
    count: int


@dataclass(frozen=True)
class Bar:
    month: dt.date
    count: int
    x: float
    y: float
    width: float
    height: float

    @property
    def centre(self) -> float:
        return round(self.x + self.width / 2, 2)


@dataclass(frozen=True)
class AxisTick:
    value: int
    y: float


@dataclass
class MonthChart:
    bars: list[Bar]
    y_ticks: list[AxisTick]
    max_count: int
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    left: int = CHART_LEFT
    right: int = CHART_WIDTH - CHART_RIGHT
    top: int = CHART_TOP
    baseline: int = CHART_HEIGHT - CHART_BOTTOM

    @property
    def total(self) -> int:
        return sum(b.count for b in self.bars)

    def labels(self) -> list[ChartLabel]:
        """What to write under the bars: each month and its year below January (and the first
        month) when there are up to 18 months; otherwise only the years."""
        out = []
        few = len(self.bars) <= 18
        for i, bar in enumerate(self.bars):
            starts_year = i == 0 or bar.month.month == 1
            if few:
                out.append(ChartLabel(bar.centre, self.baseline + 16, bar.month, "month"))
                if starts_year:
                    out.append(ChartLabel(bar.centre, self.baseline + 32, bar.month, "year"))
            elif starts_year:
                out.append(ChartLabel(bar.centre, self.baseline + 16, bar.month, "year"))
        return out


@dataclass(frozen=True)
class ChartLabel:
    x: float
    y: float
    month: dt.date
    kind: str  # "month" | "year"


def month_buckets(
    counts: dict[dt.date, int], start: dt.date | None = None, end: dt.date | None = None
) -> list[MonthBucket]:
    """One bucket per month from `start` to `end` (default: the first and last month with a
    count), empty months included as 0. Counts keyed by any day are added to their month."""
    by_month: dict[dt.date, int] = {}
    for day, n in counts.items():
        month = first_of_month(day)
        by_month[month] = by_month.get(month, 0) + n
    if not by_month and (start is None or end is None):
        return []
    first = first_of_month(start) if start else min(by_month)
    last = first_of_month(end) if end else max(by_month)
    return [MonthBucket(m, by_month.get(m, 0)) for m in months_between(first, last)]


def _nice_step(maximum: int, target_ticks: int = 5) -> int:
    if maximum <= target_ticks:
        return 1
    raw = maximum / target_ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 5, 10):
        if raw <= multiple * magnitude:
            return int(multiple * magnitude)
    return int(10 * magnitude)


def build_month_chart(buckets: Sequence[MonthBucket]) -> MonthChart:
    """Bars for the monthly contacts chart, scaled to the tallest month."""
    maximum = max((b.count for b in buckets), default=0)
    step = _nice_step(maximum)
    top_value = max(step, math.ceil(maximum / step) * step) if maximum else 1
    plot_height = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    baseline = CHART_HEIGHT - CHART_BOTTOM
    plot_width = CHART_WIDTH - CHART_LEFT - CHART_RIGHT
    slot = plot_width / len(buckets) if buckets else plot_width
    bars = []
    for i, bucket in enumerate(buckets):
        height = plot_height * bucket.count / top_value
        bars.append(
            Bar(
                month=bucket.month,
                count=bucket.count,
                x=round(CHART_LEFT + i * slot + slot * BAR_GAP / 2, 2),
                y=round(baseline - height, 2),
                width=round(slot * (1 - BAR_GAP), 2),
                height=round(height, 2),
            )
        )
    ticks = [
        AxisTick(value=v, y=round(baseline - plot_height * v / top_value, 2))
        for v in range(0, top_value + 1, step)
    ]
    return MonthChart(bars=bars, y_ticks=ticks, max_count=maximum)
