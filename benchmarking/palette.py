"""The tartan rug's and the charts' colours, shared by the web pages, the XLSX
download and the PDF reports, so that every output reads the same way.

Quintile 1 is always the best-placed fifth (for `neither`, the highest). For
indicators with a direction the scale runs from green (best) through grey to
red (worst); for `neither` it is a single blue scale, darker for higher, with
no judgement. Every colour is light enough for black text to pass WCAG AA,
and the scale steps differ in lightness so it survives greyscale printing.
Colour only repeats what the cell says in words.
"""

from indicators.models import Polarity

JUDGED = {
    1: "#85c59a",
    2: "#c5e3cd",
    3: "#f3f2f1",
    4: "#f4c7ac",
    5: "#e99a8f",
}
NEITHER = {
    1: "#7fadd9",
    2: "#b3cfea",
    3: "#d9e6f4",
    4: "#eef4fa",
    5: "#ffffff",
}
NO_BAND = "#ffffff"

# Chart colours. Every mark is at least 3:1 against white (WCAG 1.4.11), and
# the chosen LA's bar is far darker than the rest so that it stands out in
# greyscale too; its name is also written beside it. The London mean is a
# dashed line, so it is told apart by its shape as well as its colour.
HIGHLIGHT = "#003078"
OTHER_LAS = "#8f8f8f"
MEAN_LINE = "#d4351c"
TREND_LA = "#1d70b8"
TREND_MEAN = "#505a5f"
TEXT = "#0b0c0c"


def cell_colour(quintile: int | None, polarity: str) -> str:
    if quintile is None:
        return NO_BAND
    scale = NEITHER if polarity == Polarity.NEITHER else JUDGED
    return scale[quintile]


def band_text(band: str, polarity: str) -> str:
    """The band in words, as DESIGN.md section 6 names it."""
    if not band:
        return "No band"
    if band == "middle":
        return "Middle"
    if polarity == Polarity.NEITHER:
        return "Highest 20%" if band == "top" else "Lowest 20%"
    return "Top 20%" if band == "top" else "Bottom 20%"


def key_entries() -> list[tuple[str, str, str]]:
    """(colour, label, scale) rows for the page's key."""
    judged = [
        (JUDGED[1], "Quintile 1: best fifth (top 20% band)", "judged"),
        (JUDGED[2], "Quintile 2", "judged"),
        (JUDGED[3], "Quintile 3: middle fifth", "judged"),
        (JUDGED[4], "Quintile 4", "judged"),
        (JUDGED[5], "Quintile 5: worst fifth (bottom 20% band)", "judged"),
    ]
    neither = [
        (NEITHER[1], "Quintile 1: highest fifth", "neither"),
        (NEITHER[2], "Quintile 2", "neither"),
        (NEITHER[3], "Quintile 3", "neither"),
        (NEITHER[4], "Quintile 4", "neither"),
        (NEITHER[5], "Quintile 5: lowest fifth", "neither"),
    ]
    return judged + neither
