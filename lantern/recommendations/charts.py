"""Geometry for the oversight page's server-drawn SVG charts (no Django, no JavaScript).

The templates draw what these functions measure: bars as <rect> with CSS classes (the
Content-Security-Policy forbids inline styles), each chart followed by the same numbers as a
table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Segment:
    series: str
    label: str
    value: int
    x: float
    width: float


@dataclass
class Bar:
    label: str
    total: int
    y: float
    segments: list[Segment] = field(default_factory=list)


@dataclass
class BarChart:
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: list[Bar]
    series: list[tuple[str, str]]  # (code, label) in drawing order, for the legend

    @property
    def plot_width(self) -> int:
        return self.width - self.label_width - 40

    @property
    def label_chars(self) -> int:
        """How many characters of a label fit to the left of the bars (14px Arial)."""
        return max(8, int((self.label_width - 16) / 7.4))


def stacked_bars(
    rows: Sequence[tuple[str, dict[str, int]]],
    series: Sequence[tuple[str, str]],
    *,
    width: int = 640,
    label_width: int = 220,
    bar_height: int = 22,
    gap: int = 10,
) -> BarChart:
    """Horizontal stacked bars, one per row, on a common scale (the largest total fills it)."""
    chart = BarChart(
        width=width,
        height=max(1, len(rows)) * (bar_height + gap) + gap,
        label_width=label_width,
        bar_height=bar_height,
        bars=[],
        series=list(series),
    )
    largest = max((sum(values.values()) for _label, values in rows), default=0) or 1
    scale = chart.plot_width / largest
    for index, (label, values) in enumerate(rows):
        bar = Bar(label=label, total=sum(values.values()), y=gap + index * (bar_height + gap))
        x = float(label_width)
        for code, series_label in series:
            value = values.get(code, 0)
            if value <= 0:
                continue
            span = value * scale
            bar.segments.append(Segment(code, series_label, value, round(x, 1), round(span, 1)))
            x += span
        chart.bars.append(bar)
    return chart
