"""The recommendation as a chart: frame, asked for and recommended per organisation, as a PNG made
with matplotlib on its non-GUI backend (Agg, through the Figure API: no pyplot, no global state, so
it is safe in a server's threads), with an alt text that states the same numbers.

Every word in it (title, legend, axis, alt text) comes from the templates `chart.j2` and
`chart_alt.j2`, in the secretariat's language form.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from bot.formatting import group_thousands
from bot.render import render

SERIES = ("frame", "asked", "recommended")
COLOURS = {"frame": "#B4C7E7", "asked": "#F4B183", "recommended": "#548235"}  # legible in greyscale too
BAR = 0.27  # the height of one bar; three bars and a gap make one org's band


@dataclass(frozen=True)
class ChartRow:
    """One organisation in the chart; a missing amount draws no bar (and the alt text says so)."""

    name: str
    frame: int | None
    asked: int | None
    recommended: int | None


@dataclass(frozen=True)
class Chart:
    png: bytes
    alt_text: str
    width_px: int
    height_px: int


def chart_label(lang: str, name: str) -> str:
    return render(lang, "chart", name=name)


def recommendation_chart(rows: Sequence[ChartRow], title: str, lang: str, dpi: int = 100) -> Chart:
    """A horizontal bar chart, one band per organisation in the order given, amounts in kroner."""
    height = max(3.0, 1.2 + 0.75 * len(rows))
    figure = Figure(figsize=(9.0, height), dpi=dpi, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(rows)))
    for index, series in enumerate(SERIES):
        offsets = [p + (index - 1) * BAR for p in positions]
        values = [getattr(row, series) or 0 for row in rows]
        axes.barh(offsets, values, height=BAR, color=COLOURS[series], label=chart_label(lang, series))
    axes.set_yticks(positions, [row.name for row in rows])
    axes.invert_yaxis()  # the first organisation on top, as in the table
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: group_thousands(int(value), " ")))
    axes.set_xlabel(chart_label(lang, "axis"))
    axes.set_title(title)
    axes.grid(axis="x", color="#DDDDDD")
    axes.set_axisbelow(True)
    figure.legend(loc="outside lower center", ncols=len(SERIES), frameon=False)  # never over a bar
    out = io.BytesIO()
    figure.savefig(out, format="png", metadata={"Title": title, "Software": None})
    width_px, height_px = (round(size * dpi) for size in figure.get_size_inches())
    alt = render(lang, "chart_alt", title=title, rows=rows)
    return Chart(out.getvalue(), alt, width_px, height_px)
