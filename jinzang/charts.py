"""Geometry for the small server-rendered SVG charts (no chart library, no script)."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | Decimal
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


def bar_chart(series, *, caption: str, width: int = 300, height: int = 80) -> BarChart:
    """Bars for `series`, a list of (label, value) with values >= 0; the tallest bar fills
    the height above a baseline kept free for the labels of the first and last bar."""
    series = list(series)
    baseline = height - 14
    top = max((value for _, value in series), default=0) or 1
    slot = width / max(len(series), 1)
    gap = min(2.0, slot / 4)
    bars = []
    for i, (label, value) in enumerate(series):
        h = float(value) / float(top) * (baseline - 4)
        bars.append(
            Bar(
                label=str(label),
                value=value,
                x=round(i * slot + gap / 2, 2),
                y=round(baseline - h, 2),
                width=round(slot - gap, 2),
                height=round(h, 2),
            )
        )
    return BarChart(
        bars=bars, width=width, height=height, top=top, baseline=baseline, caption=caption
    )
