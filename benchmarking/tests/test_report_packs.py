"""The London pack and the cluster packs, read as a reader reads the PDF.

Each PDF takes seconds to make, so a test that makes one checks all that a
reader would look for in it; the smaller checks read the pack's context or
its HTML (the PDF step swapped out), which take a fraction of a second.
"""

import io
import re

import pytest
from pypdf import PdfReader

from authorities.models import Cluster, LocalAuthority
from benchmarking import reports
from benchmarking.models import BenchmarkReport
from benchmarking.reports import cluster_pack, report_render
from benchmarking.tests.benchmark_data import codes, store_build
from indicators import services as returns
from indicators.periods import PeriodKey

pytestmark = pytest.mark.django_db

AGENCY = "SW_AGENCY"  # a percentage; lower is better
REFERRALS = "REF_RATE"  # a rate per 10,000; neither direction is better

# All 33 LAs in DfE code order: City of London (201) lowest on both, then up
# by one point (agency) or ten (referrals) each. Lower agency use is better,
# so 201 to 207 are the top 20% and 314 to 320 the bottom 20%.
LONDON = codes(201, 213) + codes(301, 320)
AGENCY_NOW = {code: 5.5 + place for place, code in enumerate(LONDON)}
REFERRALS_NOW = {code: 300 + 10 * place for place, code in enumerate(LONDON)}
# In the quarter before, Barnet (302) was the best placed; it is in the middle
# now, and Kensington and Chelsea (207), pushed out then, is new in the top.
AGENCY_BEFORE = {**AGENCY_NOW, "302": 1.0}


@pytest.fixture
def build(quarter):
    return store_build(
        quarter, {AGENCY: AGENCY_NOW, REFERRALS: REFERRALS_NOW}, groups=None
    )


@pytest.fixture
def compared(quarter, build):
    """The same quarter's build, with a published build of the one before."""
    store_build(
        returns.period_get_or_create(PeriodKey(2025, 1)), {AGENCY: AGENCY_BEFORE}
    )
    return build


def north_central():
    return Cluster.objects.get(
        cluster_set__slug="health-footprints", slug="north-central"
    )


def pdf_of(report: BenchmarkReport) -> tuple[PdfReader, list[str]]:
    """The made PDF and each page's text, its spacing made plain."""
    rendered = report_render(report)
    reader = PdfReader(io.BytesIO(rendered.pdf))
    assert len(reader.pages) == rendered.page_count
    texts = [" ".join(page.extract_text().split()) for page in reader.pages]
    return reader, texts


def html_of(report: BenchmarkReport, monkeypatch) -> str:
    """The HTML the PDF would be made from, with the words' spacing plain."""
    monkeypatch.setattr(reports, "pdf_render", lambda html: html)
    return " ".join(report_render(report).split())


def tags(reader: PdfReader) -> list[tuple[str, str]]:
    """The (structure type, text alternative) of every element of the PDF's
    tagged structure, in reading order."""
    found = []
    pending = [reader.trailer["/Root"]["/StructTreeRoot"].get_object()]
    while pending:
        node = pending.pop()
        found.append((str(node.get("/S", "")), str(node.get("/Alt", ""))))
        kids = node.get("/K", [])
        kids = kids if isinstance(kids, list) else [kids]
        for kid in reversed(kids):
            kid = kid.get_object()
            if hasattr(kid, "get"):
                pending.append(kid)
    return found


def assert_accessible(reader: PdfReader, texts: list[str], title: str):
    root = reader.trailer["/Root"]
    assert reader.metadata.title == title
    assert root["/Lang"] == "en-GB"
    structure = [tag for tag, _ in tags(reader)]
    assert {"/Table", "/TH", "/TD", "/Caption", "/H1", "/H2"} <= set(structure)
    assert all(texts), "a page has no text: a blank page"


def landscape(reader: PdfReader, texts: list[str]) -> list[str]:
    return [
        text
        for page, text in zip(reader.pages, texts, strict=True)
        if page.mediabox.width > page.mediabox.height
    ]


def test_london_pack_holds_the_whole_rug_and_every_flag(compared):
    reader, texts = pdf_of(BenchmarkReport(build=compared, kind="london"))

    assert_accessible(reader, texts, "London benchmarking pack, 2025-26 Q2")
    everything = " ".join(texts)
    rug = " ".join(landscape(reader, texts))
    assert len(landscape(reader, texts)) == 3
    for authority in LocalAuthority.objects.all():
        assert authority.name in rug
    # The indicator, and cells in words: value then band.
    assert "Agency social workers as a share of all social workers (FTE)" in rug
    assert "5.5% Top 20%" in rug
    assert "37.5% Bottom 20%" in rug
    assert "300.0 Lowest 20%" in rug
    assert "Colour key" in rug

    glance = texts[1]
    assert "London at a glance" in glance
    assert "33 21.5% 21.5%" in glance  # LAs with a value, mean and median
    assert "7 7" in glance  # seven LAs in each band

    assert "City of London 5.5% 1 of 33 Top 20%" in everything
    assert "Waltham Forest 37.5% 33 of 33 Bottom 20%" in everything
    assert "Change since 2025-26 Q1" in everything
    assert "Kensington and Chelsea 11.5% 7 of 33 Top 20% New in top 20%" in everything
    assert "Barnet (now middle)" in everything


def test_london_pack_says_when_there_is_no_previous_published_period(
    build, monkeypatch
):
    html = html_of(BenchmarkReport(build=build, kind="london"), monkeypatch)

    assert "there is no previous published period to compare with" in html
    assert "Change since" not in html
    assert "left a band" not in html


def test_london_pack_names_who_reports_jointly(quarter, monkeypatch):
    joint = {"314": "314 / 318", "318": "314 / 318"}
    build = store_build(quarter, {AGENCY: AGENCY_NOW}, shared_with=joint)

    html = html_of(BenchmarkReport(build=build, kind="london"), monkeypatch)

    assert "31.5% (joint)" in html  # Kingston upon Thames
    assert (
        "Joint: Kingston upon Thames and Richmond upon Thames report together" in html
    )


def test_cluster_pack_sets_only_its_las_side_by_side(build):
    cluster = north_central()
    report = BenchmarkReport(build=build, kind="cluster", cluster=cluster)
    reader, texts = pdf_of(report)

    assert_accessible(reader, texts, "North Central cluster pack, 2025-26 Q2")
    side_by_side = " ".join(landscape(reader, texts))
    members = {a.name for a in cluster.authorities.all()}
    assert members == {"Barnet", "Camden", "Enfield", "Haringey", "Islington"}
    assert "Indicator Barnet Camden Enfield Haringey Islington" in side_by_side
    for authority in LocalAuthority.objects.exclude(name__in=members):
        assert not re.search(rf"\b{authority.name}\b", side_by_side), authority.name
    # Camden's cell: value, rank among all London, London band.
    assert "6.5% Rank 2 of 33 Top 20%" in side_by_side
    assert "25.5% Rank 21 of 33 Middle" in side_by_side
    # The cluster's mean (of 19.5, 6.5, 25.5, 26.5 and 10.5) and London's.
    assert "North Central mean London mean" in side_by_side
    assert "17.7% 21.5%" in side_by_side

    charts = [alt for tag, alt in tags(reader) if tag == "/Figure"]
    assert len(charts) == 2
    assert all(alt.startswith("Bar chart of") for alt in charts)
    assert "Camden 6.5% (2 of 33 in London)" in " ".join(charts)


def test_a_big_cluster_is_split_evenly_across_pages(build):
    south = Cluster.objects.get(cluster_set__slug="four-sub-regions", slug="south")
    north_east = Cluster.objects.get(
        cluster_set__slug="health-footprints", slug="north-east"
    )

    tables = cluster_pack(build, south)["tables"]
    assert [len(table.authorities) for table in tables] == [6, 6]
    assert [(table.first, table.last) for table in tables] == [(1, 6), (7, 12)]
    assert len(cluster_pack(build, north_east)["tables"]) == 1


def test_cluster_pack_leaves_out_las_without_a_value_from_its_charts(quarter):
    build = store_build(quarter, {AGENCY: {**AGENCY_NOW, "202": None}})

    pack = cluster_pack(build, north_central())

    chart = next(c for c in pack["charts"] if c.indicator.code == AGENCY)
    assert [row.name for row in chart.chart.rows] == [
        "Islington",
        "Barnet",
        "Enfield",
        "Haringey",
    ]
    assert chart.unranked == "No value to chart: Camden."
    line = pack["tables"][0].sections[0][1][0]
    assert line.indicator.code == AGENCY
    assert [cell.value for cell in line.cells][:2] == ["19.5%", "No value"]
    assert line.cluster_mean == "20.5%"
