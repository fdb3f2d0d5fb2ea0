"""An LA's PDF report: what it says, and that it is a tagged, accessible PDF.

The PDFs are read back with pypdf, as a reader's tools would: the text on the
pages, the document's title and language, and its structure tree.
"""

import io
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import transaction
from pypdf import PdfReader

from authorities.models import LocalAuthority
from benchmarking.models import BenchmarkReport
from benchmarking.palette import band_text
from benchmarking.services import report_run
from benchmarking.tests.benchmark_data import store_build
from indicators.models import Indicator, Polarity
from indicators.periods import PeriodKey
from indicators.services import period_get_or_create

# The tests only read the report; the marker makes pytest-django set up the
# test database that the module's fixture makes it in.
pytestmark = pytest.mark.django_db

# Camden's place when every LA's value is its place in DfE code order: 202 is
# second of 33, so second lowest.
CAMDEN_VALUE = 2.0


def london_values(camden: float) -> dict[str, dict[str, float]]:
    """Every core indicator with every LA's value its place in DfE code
    order (1 to 33), except Camden's."""
    codes = sorted(LocalAuthority.objects.values_list("dfe_code", flat=True))
    by_la = {code: float(place) for place, code in enumerate(codes, start=1)}
    by_la["202"] = camden
    return {indicator.code: dict(by_la) for indicator in Indicator.objects.core()}


def expected_band(indicator: Indicator) -> str:
    """Second lowest of 33: the top fifth where lower is better, else the
    bottom fifth (the lowest, where neither is better)."""
    band = "top" if indicator.polarity == Polarity.LOW_GOOD else "bottom"
    return band_text(band, indicator.polarity)


@dataclass
class Made:
    """What making Camden's report left behind."""

    pdf: bytes
    status: str
    size: int
    attempts: int
    page_count: int
    build_id: int
    finished: bool


@pytest.fixture(scope="module")
def camden_report(django_db_setup, django_db_blocker) -> Made:
    """Camden's report for 2025-26 Q2, with the quarter before in the middle
    of London for every indicator, so that everything moved.

    Made once for the module, in a transaction rolled back afterwards:
    making a report takes seconds, and every test here only reads it.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        camden = LocalAuthority.objects.get(dfe_code="202")
        earlier = period_get_or_create(PeriodKey(2025, 1))
        store_build(earlier, london_values(camden=17.0))
        build = store_build(
            period_get_or_create(PeriodKey(2025, 2)),
            london_values(camden=CAMDEN_VALUE),
        )
        report = BenchmarkReport.objects.create(
            build=build, kind=BenchmarkReport.Kind.LA, authority=camden
        )
        report_run(report)
        report.refresh_from_db()
        made = Made(
            pdf=bytes(report.pdf),
            status=report.status,
            size=report.size,
            attempts=report.attempts,
            page_count=report.page_count,
            build_id=build.pk,
            finished=report.finished_at is not None,
        )
        transaction.set_rollback(True)
    return made


def page_texts(report: Made) -> list[str]:
    reader = PdfReader(io.BytesIO(report.pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def structure_types(reader: PdfReader) -> list[tuple[str, object]]:
    """Every element of the structure tree as (type, alternative text)."""
    found = []

    def walk(node):
        node = node.get_object()
        if not hasattr(node, "get"):
            return
        if "/S" in node:
            found.append((str(node["/S"]), node.get("/Alt")))
        kids = node.get("/K")
        if kids is None:
            return
        kids = kids.get_object()
        for kid in kids if isinstance(kids, list) else [kids]:
            walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def test_the_report_is_made_and_stored_with_its_build(camden_report):
    assert camden_report.status == BenchmarkReport.Status.DONE
    assert camden_report.pdf[:5] == b"%PDF-"
    assert camden_report.size == len(camden_report.pdf)
    assert camden_report.attempts == 1
    assert camden_report.finished


def test_the_report_says_camdens_value_and_band_on_every_indicator(camden_report):
    pages = page_texts(camden_report)

    assert "Camden" in pages[0]
    assert "2025-26 Q2" in pages[0]
    assert f"Build {camden_report.build_id}" in pages[0]
    for indicator in Indicator.objects.core():
        page = next((p for p in pages if f"· {indicator.code}" in p), None)
        assert page is not None, f"No page for {indicator.name}"
        value = indicator.format_value(Decimal(CAMDEN_VALUE))
        assert value in page, f"{indicator.code}: {value} not on its page"
        assert expected_band(indicator) in page, indicator.code
        assert "2 of 33" in page, indicator.code
    # The method, in the rule's own terms, on the last page.
    assert "How positions and bands are worked out" in pages[-1]
    assert "(rank − 1) ÷ (n − 1)" in pages[-1]


def test_every_indicator_page_names_every_london_la_beside_its_chart(camden_report):
    pages = page_texts(camden_report)
    names = LocalAuthority.objects.values_list("name", flat=True)

    for indicator in Indicator.objects.core():
        page = next(p for p in pages if f"· {indicator.code}" in p)
        missing = [name for name in names if name not in page]
        assert not missing, f"{indicator.code}: {missing}"
        # The chosen LA's own line beside its bar, with its value.
        value = indicator.format_value(Decimal(CAMDEN_VALUE))
        assert f"Camden {value}" in page


def test_the_summary_counts_bands_and_lists_moves_and_narratives(camden_report):
    summary = page_texts(camden_report)[1]
    low_good = Indicator.objects.core().filter(polarity=Polarity.LOW_GOOD)

    assert "Summary" in summary
    assert "Indicators in each band" in summary
    others = Indicator.objects.core().count() - low_good.count()
    assert re.search(rf"Top 20%.*Bottom 20%.* {low_good.count()} \d+", summary)
    moves, narratives = summary.split("Narratives needed for 2025-26 Q2")
    assert "Into or out of a band since 2025-26 Q1" in moves
    # Camden was in the middle of London on everything in Q1.
    assert moves.count("into top 20% (was middle, now top 20%)") == low_good.count()
    assert moves.count("into bottom 20%") + moves.count("into lowest 20%") == others
    # Every indicator is in a band, so every one needs a narrative.
    assert "so it explains its position on each in a short narrative" in narratives
    for indicator in Indicator.objects.core():
        band = expected_band(indicator).lower()
        assert f"{indicator.name}: {band}" in narratives, indicator.code


def test_the_rug_row_gives_every_band_now_and_before(camden_report):
    rug_row = page_texts(camden_report)[-2]

    assert "Camden in the tartan rug" in rug_row
    assert "Band in 2025-26 Q1" in rug_row
    # Camden is in a band on every indicator now, and was in the middle of
    # London on every one before: "Middle" is only in the last column.
    assert rug_row.count("Middle") == Indicator.objects.core().count()
    assert rug_row.count("2 of 33") == Indicator.objects.core().count()


def test_the_report_has_a_page_per_indicator_and_no_blank_pages(camden_report):
    pages = page_texts(camden_report)
    indicators = Indicator.objects.core().count()

    # Cover, summary, one page per indicator, the rug row, the method.
    assert len(pages) == indicators + 4
    assert camden_report.page_count == len(pages)
    assert all(page.strip() for page in pages)
    # Page numbers and the running header on every page after the cover.
    for number, page in enumerate(pages[1:], start=2):
        assert f"Page {number} of {len(pages)}" in page
        assert "Camden benchmarking report, 2025-26 Q2" in page


def test_the_pdf_is_tagged_with_title_language_tables_and_chart_alternatives(
    camden_report,
):
    reader = PdfReader(io.BytesIO(camden_report.pdf))
    catalog = reader.trailer["/Root"]

    assert reader.metadata.title == "Camden benchmarking report, 2025-26 Q2"
    assert catalog["/Lang"] == "en-GB"
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    assert b"pdfuaid:part" in catalog["/Metadata"].get_object().get_data()

    elements = structure_types(reader)
    types = [kind for kind, _ in elements]
    assert "/Table" in types and "/TH" in types and "/TD" in types
    assert "/H1" in types and "/H2" in types
    figures = [alt for kind, alt in elements if kind == "/Figure"]
    # A ranked chart and a trend for every indicator, each with words.
    assert len(figures) == 2 * Indicator.objects.core().count()
    assert all(alt and len(str(alt)) > 40 for alt in figures)
    assert any("Camden" in str(alt) and "London mean" in str(alt) for alt in figures)
