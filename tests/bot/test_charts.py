"""The recommendation chart: a real PNG, read back with Pillow, and an alt text with the same numbers."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from bot.charts import COLOURS, ChartRow, recommendation_chart
from bot.formatting import NBSP

# Three networks of seed 002 (Kompetanseløftet 2025, Trøndelag): frame, reported need, recommendation.
ROWS = [
    ChartRow("Ytre Namdal", 628_000, 556_000, 628_000),  # asked for less, filled up to the frame
    ChartRow("Indre Namdal", 470_000, 485_000, 470_000),  # asked for more, capped at the frame
    ChartRow("Værnesregionen", 1_079_000, 1_000_000, None),  # no recommendation yet
]


def colours(png: bytes) -> set[tuple[int, int, int]]:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    found = image.getcolors(maxcolors=1 << 20) or []
    return {(int(c[0]), int(c[1]), int(c[2])) for _, c in found if isinstance(c, tuple)}


def hex_rgb(value: str) -> tuple[int, int, int]:
    return int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16)


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_the_chart_is_a_png_with_a_bar_of_each_series(lang: str) -> None:
    chart = recommendation_chart(ROWS, "Kompetanseløftet 2025", lang)
    image = Image.open(io.BytesIO(chart.png))
    assert image.format == "PNG" and image.size == (chart.width_px, chart.height_px)
    assert {hex_rgb(colour) for colour in COLOURS.values()} <= colours(chart.png)


def test_more_organisations_make_a_taller_chart() -> None:
    small = recommendation_chart(ROWS[:1], "Liten", "nb")
    large = recommendation_chart(ROWS * 10, "Stor", "nb")
    assert large.height_px > small.height_px and large.width_px == small.width_px


def test_the_alt_text_states_the_numbers_in_each_language_form() -> None:
    bokmal = recommendation_chart(ROWS, "Kompetanseløftet 2025", "nb").alt_text
    nynorsk = recommendation_chart(ROWS, "Kompetanseløftet 2025", "nn").alt_text
    assert bokmal.startswith("Søylediagram: Kompetanseløftet 2025.") and "3 organisasjoner" in bokmal
    assert (
        f"Ytre Namdal: ramme kr{NBSP}628{NBSP}000, søkt kr{NBSP}556{NBSP}000, innstilt kr{NBSP}628{NBSP}000." in bokmal
    )
    assert "Værnesregionen: ramme kr" in bokmal and "innstilt ikke oppgitt." in bokmal
    assert "3 organisasjonar" in nynorsk and "innstilt ikkje oppgitt." in nynorsk
