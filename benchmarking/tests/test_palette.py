"""The reports' and rug's colours stay legible when printed in black and white.

Greyscale printing keeps a colour's relative luminance and loses its hue, so
the checks are on luminance (WCAG 2.2's definition).
"""

import pytest

from benchmarking.palette import (
    HIGHLIGHT,
    JUDGED,
    MEAN_LINE,
    NEITHER,
    OTHER_LAS,
    TEXT,
    TREND_LA,
    TREND_MEAN,
)


def luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("scale", [JUDGED, NEITHER], ids=["judged", "neither"])
def test_black_text_reads_on_every_quintile_colour(scale):
    for colour in scale.values():
        assert contrast(TEXT, colour) >= 4.5, colour


@pytest.mark.parametrize("scale", [JUDGED, NEITHER], ids=["judged", "neither"])
def test_neighbouring_quintiles_differ_in_grey(scale):
    greys = [luminance(scale[quintile]) for quintile in range(1, 6)]
    for lighter_or_darker, next_one in zip(greys, greys[1:], strict=False):
        assert abs(lighter_or_darker - next_one) >= 0.08


def test_the_neither_scale_runs_from_dark_to_light():
    greys = [luminance(NEITHER[quintile]) for quintile in range(1, 6)]
    assert greys == sorted(greys)


def test_the_chosen_las_bar_stands_out_from_the_others_in_grey():
    assert contrast(HIGHLIGHT, OTHER_LAS) >= 3


def test_chart_marks_stand_out_against_the_white_page():
    for colour in (HIGHLIGHT, OTHER_LAS, MEAN_LINE, TREND_LA, TREND_MEAN):
        assert contrast(colour, "#ffffff") >= 3, colour
