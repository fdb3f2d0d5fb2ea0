"""`manage.py build_reports`: a published build's PDFs made in the command.

Only the first test lays out a real PDF (a few seconds); the others replace
the rendering with a fake one, since they are about which reports are made
and what the command says.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from authorities.models import Cluster, LocalAuthority
from benchmarking import services
from benchmarking.models import BenchmarkReport
from benchmarking.reports import Rendered
from benchmarking.tests.benchmark_data import store_build
from indicators.models import Indicator

pytestmark = pytest.mark.django_db


def london_values() -> dict[str, dict[str, float]]:
    """Every core indicator, every LA's value its place in DfE code order."""
    codes = sorted(LocalAuthority.objects.values_list("dfe_code", flat=True))
    by_la = {code: float(place) for place, code in enumerate(codes, start=1)}
    return {indicator.code: dict(by_la) for indicator in Indicator.objects.core()}


def run(*args, out: StringIO | None = None) -> str:
    out = out or StringIO()
    call_command("build_reports", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def published(quarter):
    return store_build(quarter, london_values())


@pytest.fixture
def fake_render(monkeypatch):
    """Rendering in no time; the London pack fails unexpectedly."""
    rendered = []

    def render(report):
        if report.kind == BenchmarkReport.Kind.LONDON:
            raise RuntimeError("the London pack's template is broken")
        rendered.append(report.pk)
        return Rendered(b"%PDF-fake", 1)

    monkeypatch.setattr(services, "report_render", render)
    return rendered


def test_it_writes_one_las_report_and_stores_it_with_the_build(
    published, quarter, tmp_path
):
    folder = tmp_path / "reports"

    out = run(quarter.label, "--la", "202", "--output", str(folder))

    path = folder / f"ria-benchmark-{quarter.slug}-202-camden.pdf"
    assert path.read_bytes().startswith(b"%PDF")
    report = BenchmarkReport.objects.get(build=published)
    assert report.authority.dfe_code == "202"
    assert report.status == BenchmarkReport.Status.DONE
    assert bytes(report.pdf) == path.read_bytes()
    assert f"Camden benchmarking report, {quarter.label}: " in out
    assert f"{report.page_count} pages in " in out
    assert "1 of 1 reports made" in out


def test_an_unknown_period_is_refused_with_its_label(db):
    with pytest.raises(CommandError, match="There is no period 2030-31 Q1"):
        run("2030-31 Q1")


def test_a_period_label_that_cannot_be_read_is_refused(db):
    with pytest.raises(CommandError):
        run("next quarter")


def test_a_period_without_a_published_build_is_refused(quarter):
    store_build(quarter, london_values(), published=False)

    with pytest.raises(CommandError, match="has no published benchmark"):
        run(quarter.label)
    assert not BenchmarkReport.objects.exists()


def test_an_unknown_la_code_is_refused_before_any_report_is_made(
    published, quarter, fake_render
):
    with pytest.raises(CommandError, match="no London LA with DfE code 999"):
        run(quarter.label, "--la", "999")
    assert fake_render == []


def test_an_output_that_is_not_a_folder_is_refused_before_any_report_is_made(
    published, quarter, tmp_path, fake_render
):
    taken = tmp_path / "a-file"
    taken.write_text("not a folder")

    with pytest.raises(CommandError, match="Cannot write PDFs to"):
        run(quarter.label, "--output", str(taken))
    assert fake_render == []


def test_a_failed_report_is_reported_and_the_others_are_still_made(
    published, quarter, tmp_path, fake_render
):
    out = StringIO()
    with pytest.raises(CommandError, match="1 of 43 reports failed"):
        run(quarter.label, "--output", str(tmp_path), out=out)
    out = out.getvalue()

    reports = BenchmarkReport.objects.filter(build=published)
    clusters = Cluster.objects.count()
    assert reports.count() == 33 + 1 + clusters == 43
    failed = reports.get(status=BenchmarkReport.Status.FAILED)
    assert failed.kind == BenchmarkReport.Kind.LONDON
    assert "London benchmarking pack" in out and "failed after" in out
    assert reports.filter(status=BenchmarkReport.Status.DONE).count() == 42
    assert len(fake_render) == 42
    assert len(list(tmp_path.glob("*.pdf"))) == 42
    assert "42 of 43 reports made" in out


def test_a_report_already_made_is_made_again(published, quarter, camden, fake_render):
    made = BenchmarkReport.objects.create(
        build=published,
        kind=BenchmarkReport.Kind.LA,
        authority=camden,
        status=BenchmarkReport.Status.DONE,
        pdf=b"%PDF-old",
    )

    run(quarter.label, "--la", "202")

    made.refresh_from_db()
    assert bytes(made.pdf) == b"%PDF-fake"
    assert made.status == BenchmarkReport.Status.DONE
    assert fake_render == [made.pk]
