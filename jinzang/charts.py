"""Geometry for the small server-rendered SVG charts (no chart library, no script): bars
(a count a month, a fund a compound) and a line over dates (agreement over time)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe

LEGEND_MAX_BARS = 6


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | Decimal
    shown: str
    x: float
    y: float
    width: float
    height: float

    @property
    def box(self) -> SafeString:
        """The bar's x, y, width and height as SVG attributes, never localized: one lookup
        in the template instead of four filtered ones (a fund chart has a bar a compound).
        Safe: the four are converted to floats here, so no text can reach the markup."""
        x, y, width, height = (float(n) for n in (self.x, self.y, self.width, self.height))
        return mark_safe(f'x="{x:g}" y="{y:g}" width="{width:g}" height="{height:g}"')


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    top: int | Decimal
    baseline: float
    caption: str

    @property
    def total(self):
        return sum((b.value for b in self.bars), 0)

    @property
    def legend(self) -> list[Bar]:
        """A few bars (a fund per compound) are each named below the chart, as the axis has
        room only for the first and last label; a long series (months) is not."""
        return self.bars if len(self.bars) <= LEGEND_MAX_BARS else []


def bar_chart(
    series, *, caption: str, width: int = 300, height: int = 80, show=localize
) -> BarChart:
    """Bars for `series`, a list of (label, value) with values >= 0, or of (label, value,
    shown) where the value drawn is not the one to say; the tallest bar fills the height
    above a baseline kept free for the labels of the first and last bar. `show` formats a
    value as the page says it (a count, yuan, hours)."""
    series = [(item[0], item[1], item[2] if len(item) > 2 else show(item[1])) for item in series]
    baseline = height - 14
    top = max((value for _, value, _shown in series), default=0) or 1
    slot = width / max(len(series), 1)
    gap = min(2.0, slot / 4)
    bars = []
    for i, (label, value, shown) in enumerate(series):
        h = float(value) / float(top) * (baseline - 4)
        bars.append(
            Bar(
                label=str(label),
                value=value,
                shown=str(shown),
                x=round(i * slot + gap / 2, 2),
                y=round(baseline - h, 2),
                width=round(slot - gap, 2),
                height=round(h, 2),
            )
        )
    return BarChart(
        bars=bars, width=width, height=height, top=top, baseline=baseline, caption=caption
    )


@dataclass(frozen=True)
class LineChart:
    """A line over dated points; its box leaves 40 units left of the line for the axis'
    figures and 20 below and above it for the dates and the top figure."""

    points: str  # the SVG polyline's points, "x,y x,y ..."
    width: int
    height: int
    first: datetime.date
    last: datetime.date
    latest: int | Decimal
    total: int | Decimal


def line_chart(series, *, total, width: int = 600, height: int = 160) -> LineChart | None:
    """A line for `series`, a list of (date, value) in date order, on an axis from 0 to
    `total`; dates are spaced as the days between them. None without a point or a total."""
    if not series or not total:
        return None
    first, last = series[0][0], series[-1][0]
    span = max((last - first).days, 1)
    points = []
    for day, n in series:
        x = 40 + (width - 50) * (day - first).days / span
        y = height - 20 - (height - 40) * n / total
        points.append(f"{x:.1f},{y:.1f}")
    return LineChart(
        points=" ".join(points),
        width=width,
        height=height,
        first=first,
        last=last,
        latest=series[-1][1],
        total=total,
    )
