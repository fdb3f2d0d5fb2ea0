"""Import DfE's published statistics from its CSV files (DESIGN.md section 7).

`published_import` reads every file before it writes anything. A file is
recognised by its published-source mappings (or, for ONS population
estimates, by its columns); its London LA rows become `PublishedValue`s and
its England, London, Inner and Outer London rows become comparators. Rows of
other regions are not wanted and are passed over without comment.

All or nothing: one problem anywhere and the run writes nothing, so the
portal never holds half a release. Each problem is reported with the file's
line number, counting the header as line 1, as a spreadsheet would show it.

Time periods become annual periods: `2025` as a reporting year is the year
ending 31 March 2025, `2024-25`; `202425` as a financial or academic year is
`2024-25` too; and a calendar year (SEN2 counts plans issued in one) is given
to the financial year that starts in it, where nine of its months fall.
"""

import csv
import io
import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import PurePath

from django.db import transaction
from django.utils import timezone

from authorities.models import LocalAuthority
from indicators.periods import PeriodKey
from indicators.services import period_get_or_create

from .models import (
    REGION_CODES,
    AreaKind,
    PopulationEstimate,
    PublishedSourceMapping,
    PublishedValue,
)

logger = logging.getLogger(__name__)

SUPPRESSION_SYMBOLS = frozenset({"c", "x", "z", "k", "u", "low", ":"})

# London LA rows carry their Inner or Outer London code; a file that gives
# London's own code instead is read the same way.
LONDON_REGIONS = frozenset({"E12000007", "E13000001", "E13000002"})

POPULATION_AGE_GROUP = "children aged 0 to 17 years"
POPULATION_COLUMNS = ("population_estimate", "age_group")
PER_10K = Decimal(10_000)

# The columns that place every row in time and space.
PLACE_COLUMNS = ("time_period", "time_identifier", "geographic_level", "region_code")
LA_CODE_COLUMNS = ("new_la_code", "old_la_code")

# The places of PublishedValue's fields; anything bigger will not fit.
VALUE_PLACES = Decimal("0.000001")
PART_PLACES = Decimal("0.0001")
LARGEST = Decimal(10) ** 12

UNKNOWN_PERIOD = "unknown"


class RowError(ValueError):
    """What is wrong with one row, written for the analyst."""


# The report
# ----------


@dataclass(frozen=True)
class Problem:
    """Something wrong with a file, or with one line of it."""

    file: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line else self.file
        return f"{where}: {self.message}"


@dataclass
class Tally:
    """What one indicator's rows for one period came to."""

    indicator: str
    period: str
    la_values: int = 0
    suppressed: int = 0
    shared: int = 0
    rejected: int = 0
    comparators: int = 0


@dataclass
class FileSummary:
    """A file read, what it was recognised as holding, and its rows."""

    name: str
    holds: str
    rows: int


@dataclass
class ImportReport:
    """What an import found, and what it wrote unless there were problems."""

    dry_run: bool = False
    files: list[FileSummary] = field(default_factory=list)
    tallies: list[Tally] = field(default_factory=list)
    populations: dict[int, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def problems_by_file(self) -> dict[str, list[Problem]]:
        grouped: dict[str, list[Problem]] = defaultdict(list)
        for problem in self.problems:
            grouped[problem.file].append(problem)
        return dict(grouped)

    def summary_lines(self) -> list[str]:
        """The report as plain text, for the management command."""
        lines = [f"{f.name}: {f.holds} ({f.rows} rows)" for f in self.files]
        if self.tallies:
            lines += ["", _TABLE_ROW.format(*_TABLE_HEADINGS)]
            lines += [_TABLE_ROW.format(*_tally_cells(t)) for t in self.tallies]
        if self.populations:
            lines += ["", _populations_line(self.populations)]
        lines.append("")
        lines += [str(problem) for problem in self.problems]
        lines.append(self.outcome())
        return lines

    def outcome(self) -> str:
        """One sentence on what happened to the database."""
        if self.problems:
            count = len(self.problems)
            noun = "problem" if count == 1 else "problems"
            return f"{count} {noun} found. Nothing has been saved."
        counts = (
            f"{self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged"
        )
        if self.dry_run:
            return f"Dry run: nothing has been saved. Importing would give {counts}."
        return f"Imported: {counts}."


_TABLE_HEADINGS = (
    "Indicator",
    "Period",
    "LA values",
    "Suppressed",
    "Shared",
    "Rejected",
    "Comparators",
)
_TABLE_ROW = "{:<12} {:<8} {:>9} {:>10} {:>6} {:>8} {:>11}"


def _populations_line(populations: dict[int, int]) -> str:
    years = list(populations)
    counts = set(populations.values())
    if len(counts) == 1 and years == list(range(years[0], years[-1] + 1)):
        span = f"mid-{years[0]}" + (f" to mid-{years[-1]}" if len(years) > 1 else "")
        return f"Population estimates: {counts.pop()} LAs for each of {span}"
    listed = ", ".join(f"mid-{year} {count} LAs" for year, count in populations.items())
    return f"Population estimates: {listed}"


def _tally_cells(tally: Tally) -> tuple:
    return (
        tally.indicator,
        tally.period,
        tally.la_values,
        tally.suppressed,
        tally.shared,
        tally.rejected,
        tally.comparators,
    )


# The service
# -----------


def published_import(
    files: list[tuple[str, bytes | str]], *, dry_run: bool = False
) -> ImportReport:
    """Import DfE's published CSV files, given as (file name, content) pairs.

    Writes nothing if any file has a problem; the report lists them all.
    With `dry_run` the writes are made and rolled back, so the report counts
    what an import would create, update and leave unchanged.
    """
    run = _Run(dry_run=dry_run)
    for name, content in files:
        run.read_file(PurePath(name).name, content)
    run.resolve_rates()
    report = run.finish()

    if report.problems:
        logger.warning(
            "Published import of %s files refused with %s problems",
            len(files),
            len(report.problems),
        )
        return report

    with transaction.atomic():
        _write_values(run.values, report)
        _write_populations(run.populations, report)
        if dry_run:
            transaction.set_rollback(True)
    logger.info(
        "Published import of %s files%s: %s created, %s updated, %s unchanged",
        len(files),
        " (dry run)" if dry_run else "",
        report.created,
        report.updated,
        report.unchanged,
    )
    return report


# Reading
# -------


@dataclass
class _Csv:
    name: str
    columns: dict[str, str]  # folded name -> name as written
    rows: list[tuple[int, dict[str, str]]]  # line, cells by folded name

    def has(self, column: str) -> bool:
        return column.casefold() in self.columns

    def first_present(self, columns: list[str]) -> str | None:
        return next((c.casefold() for c in columns if self.has(c)), None)


def _decode(content: bytes | str) -> str:
    if isinstance(content, str):
        return content.removeprefix("\ufeff")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in its own code page.
        return content.decode("cp1252")


def _read_csv(name: str, content: bytes | str) -> _Csv:
    """The file's header and non-blank rows; RowError if it is not CSV."""
    try:
        text = _decode(content)
    except UnicodeDecodeError:
        raise RowError("The file is not text. Upload DfE's CSV file.") from None

    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if not header or not any(cell.strip() for cell in header):
            raise RowError("The file is empty.")
        keys = [cell.strip().casefold() for cell in header]
        twice = sorted({key for key in keys if key and keys.count(key) > 1})
        if twice:
            raise RowError(f"The header names {', '.join(twice)} more than once.")
        columns = {cell.strip().casefold(): cell.strip() for cell in header}
        rows = []
        for record in reader:
            if any(cell.strip() for cell in record):
                cells = [cell.strip() for cell in record]
                cells += [""] * (len(keys) - len(cells))
                rows.append((reader.line_num, dict(zip(keys, cells, strict=False))))
    except csv.Error as error:
        raise RowError(f"Line {reader.line_num} is not valid CSV: {error}.") from None
    return _Csv(name, columns, rows)


@dataclass
class _Plan:
    """One mapping as it applies to one file's columns."""

    mapping: PublishedSourceMapping
    value_column: str
    numerator_column: str | None
    denominator_column: str | None
    filters: dict[str, set[str]]

    def selects(self, cells: dict[str, str]) -> bool:
        return all(
            cells.get(column, "").casefold() in accepted
            for column, accepted in self.filters.items()
        )

    @property
    def code(self) -> str:
        return self.mapping.indicator.code


def _as_list(value) -> list[str]:
    """A mapping's column list, forgiving a single name typed in the admin."""
    if isinstance(value, str):
        return [value] if value.strip() else []
    return [str(item) for item in value or []]


def _plan(mapping: PublishedSourceMapping, table: _Csv) -> tuple[_Plan | None, str]:
    """How `mapping` reads `table`, or why it cannot: the file's name is not
    its stem (no reason given) or the file lacks columns it needs."""
    stem = mapping.file_stem.strip().casefold()
    if not stem or not table.name.casefold().startswith(stem):
        return None, ""

    filters = {
        column.casefold(): {v.strip().casefold() for v in _as_list(accepted)}
        for column, accepted in (mapping.filters or {}).items()
    }
    needed = [*_as_list(mapping.required_columns), *filters]
    missing = [column for column in needed if not table.has(column)]
    value_column = table.first_present(_as_list(mapping.value_columns))
    if value_column is None:
        missing.append(" or ".join(_as_list(mapping.value_columns)) or "a value")
    if missing:
        return None, f"{mapping.indicator.code} needs {', '.join(missing)}"

    plan = _Plan(
        mapping=mapping,
        value_column=value_column,
        numerator_column=table.first_present(_as_list(mapping.numerator_columns)),
        denominator_column=table.first_present(_as_list(mapping.denominator_columns)),
        filters=filters,
    )
    return plan, ""


def _period_start(time_period: str, time_identifier: str) -> int:
    """The year in which the row's financial year starts (see the module's
    docstring)."""
    identifier = time_identifier.strip().casefold()
    text = time_period.strip()
    if not text:
        raise RowError("time_period is blank.")

    year = None
    single = re.fullmatch(r"\d{4}", text)
    span = re.fullmatch(r"(\d{4})(\d{2})", text)
    if single and identifier == "reporting year":
        year = int(text) - 1
    elif single and identifier == "calendar year":
        year = int(text)
    elif span and identifier in {"financial year", "academic year"}:
        start, end = int(span[1]), int(span[2])
        year = start if end == (start + 1) % 100 else None
    if year is None or not 1990 <= year <= 2100:
        raise RowError(
            f"time_period ‘{text}’ with time_identifier ‘{time_identifier}’ is "
            "not a year the portal can read, such as 2025 as a reporting year."
        )
    return year


def _period_label(cells: dict[str, str]) -> str:
    """The row's period for counting it as rejected, if it has one."""
    try:
        return PeriodKey(
            _period_start(cells["time_period"], cells["time_identifier"])
        ).label
    except RowError:
        return UNKNOWN_PERIOD


def _number(cell: str, column: str, *, required: bool) -> tuple[Decimal | None, str]:
    """A cell as a number, or as DfE's symbol for a value it does not give."""
    text = cell.strip()
    if not text:
        if required:
            raise RowError(f"{column} is blank.")
        return None, ""
    if text.casefold() in SUPPRESSION_SYMBOLS:
        return None, text.casefold()

    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise RowError(
            f"{column} ‘{text}’ is neither a number nor one of DfE's symbols "
            "(c, x, z, k, u, low or :)."
        )
    if abs(number) >= LARGEST:
        raise RowError(f"{column} ‘{text}’ is too large.")
    return number, ""


@dataclass(frozen=True)
class _Place:
    area_kind: str
    authorities: tuple[int, ...] = ()
    shared_with: str = ""

    @property
    def is_la(self) -> bool:
        return self.area_kind == AreaKind.LA


def _part(cells: dict[str, str], column: str | None) -> Decimal | None:
    """A numerator or denominator: optional, and None where DfE gives none."""
    if column is None:
        return None
    return _number(cells[column], column, required=False)[0]


def _split_codes(cell: str) -> list[str]:
    return [part.strip().upper() for part in cell.split("/") if part.strip()]


@dataclass
class _Value:
    """One value read from one line, for one LA, two sharing, or a region."""

    mapping: PublishedSourceMapping
    year_start: int
    place: _Place
    value: Decimal | None
    suppression: str
    numerator: Decimal | None
    denominator: Decimal | None
    file: str
    line: int

    @property
    def period_label(self) -> str:
        return PeriodKey(self.year_start).label


@dataclass
class _Population:
    authority: int
    year: int
    children: int
    file: str
    line: int


class _Run:
    """The state of one import while its files are read and checked."""

    def __init__(self, *, dry_run: bool):
        self.report = ImportReport(dry_run=dry_run)
        self.mappings = list(
            PublishedSourceMapping.objects.select_related("indicator").order_by(
                "indicator__display_order", "pk"
            )
        )
        self.codes: dict[str, int] = {}
        self.names: dict[int, str] = {}
        for la in LocalAuthority.objects.all():
            self.codes[la.dfe_code.upper()] = self.codes[la.ons_code.upper()] = la.pk
            self.names[la.pk] = la.name
        self.values: list[_Value] = []
        self.populations: list[_Population] = []
        self.rejected: dict[tuple[str, str], int] = defaultdict(int)

    def problem(self, file: str, message: str, line: int | None = None) -> None:
        self.report.problems.append(Problem(file, message, line))

    def read_file(self, name: str, content: bytes | str) -> None:
        try:
            table = _read_csv(name, content)
        except RowError as error:
            self.problem(name, str(error))
            return

        if all(table.has(column) for column in POPULATION_COLUMNS):
            self._read_population(table)
            return

        plans, reasons = [], []
        for mapping in self.mappings:
            plan, reason = _plan(mapping, table)
            if plan:
                plans.append(plan)
            elif reason:
                reasons.append(reason)
        if not plans:
            self._unrecognised(table, reasons)
            return
        self._read_values(table, plans)

    def _unrecognised(self, table: _Csv, reasons: list[str]) -> None:
        self.report.files.append(FileSummary(table.name, "not recognised", 0))
        if reasons:
            message = (
                "The file's name matches a published-source mapping, but it "
                f"lacks columns: {'; '.join(reasons)}."
            )
        else:
            message = (
                "No published-source mapping matches this file. Check that it "
                "is one of DfE's files, or add a mapping in the admin."
            )
        self.problem(table.name, message)

    def _missing_place_columns(self, table: _Csv) -> bool:
        missing = [column for column in PLACE_COLUMNS if not table.has(column)]
        if not any(table.has(c) for c in LA_CODE_COLUMNS):
            missing.append(" or ".join(LA_CODE_COLUMNS))
        if missing:
            self.problem(table.name, f"The file lacks columns: {', '.join(missing)}.")
        return bool(missing)

    def _place(self, cells: dict[str, str]) -> _Place | None:
        """Where a row's figures belong: None for a place the portal does
        not want, such as another region."""
        level = cells.get("geographic_level", "").casefold()
        region = cells.get("region_code", "").upper()
        if not level:
            raise RowError("geographic_level is blank.")
        if level == "national":
            return _Place(AreaKind.ENGLAND)
        if level == "regional":
            kind = REGION_CODES.get(region)
            return _Place(kind) if kind and kind != AreaKind.ENGLAND else None
        if level != "local authority" or region not in LONDON_REGIONS:
            return None
        return self._la_place(cells)

    def _la_place(self, cells: dict[str, str]) -> _Place:
        new_cell = cells.get("new_la_code", "")
        old_cell = cells.get("old_la_code", "")
        if not new_cell and not old_cell:
            raise RowError("The LA code is blank: give new_la_code or old_la_code.")

        for cell in (new_cell, old_cell):
            codes = _split_codes(cell)
            if codes and all(code in self.codes for code in codes):
                ids = tuple(dict.fromkeys(self.codes[code] for code in codes))
                shared = old_cell if len(_split_codes(old_cell)) > 1 else cell
                return _Place(AreaKind.LA, ids, shared if len(ids) > 1 else "")

        given = ", ".join(
            f"{name} ‘{cell}’"
            for name, cell in (("old_la_code", old_cell), ("new_la_code", new_cell))
            if cell
        )
        raise RowError(f"{given}: not the code of a London LA the portal knows.")

    def _read_values(self, table: _Csv, plans: list[_Plan]) -> None:
        codes = ", ".join(dict.fromkeys(plan.code for plan in plans))
        self.report.files.append(FileSummary(table.name, codes, len(table.rows)))
        if self._missing_place_columns(table):
            return

        for line, cells in table.rows:
            selected = [plan for plan in plans if plan.selects(cells)]
            if not selected:
                continue
            try:
                place = self._place(cells)
                if place is None:
                    continue
                year = _period_start(cells["time_period"], cells["time_identifier"])
            except RowError as error:
                self.problem(table.name, str(error), line)
                for plan in selected:
                    self.rejected[plan.code, _period_label(cells)] += 1
                continue
            for plan in selected:
                self._read_value(table.name, line, cells, plan, place, year)

    def _read_value(
        self, file: str, line: int, cells: dict, plan: _Plan, place: _Place, year: int
    ) -> None:
        # DfE gives no population for regions, so no rate can be worked out.
        if plan.mapping.rate_from_population and not place.is_la:
            return
        try:
            value, symbol = _number(
                cells[plan.value_column], plan.value_column, required=True
            )
            numerator = _part(cells, plan.numerator_column)
            denominator = _part(cells, plan.denominator_column)
        except RowError as error:
            self.problem(file, f"{plan.code}: {error}", line)
            self.rejected[plan.code, PeriodKey(year).label] += 1
            return

        self.values.append(
            _Value(
                mapping=plan.mapping,
                year_start=year,
                place=place,
                value=value,
                suppression=symbol,
                numerator=numerator,
                denominator=denominator,
                file=file,
                line=line,
            )
        )

    def _read_population(self, table: _Csv) -> None:
        self.report.files.append(
            FileSummary(table.name, "population estimates", len(table.rows))
        )
        if self._missing_place_columns(table):
            return

        for line, cells in table.rows:
            if cells["age_group"].casefold() != POPULATION_AGE_GROUP:
                continue
            try:
                place = self._place(cells)
                if place is None or not place.is_la:
                    continue
                self._read_estimate(table.name, line, cells, place)
            except RowError as error:
                self.problem(table.name, str(error), line)

    def _read_estimate(self, file: str, line: int, cells, place: _Place) -> None:
        if len(place.authorities) > 1:
            raise RowError("A population estimate cannot be shared by two LAs.")
        text = cells["time_period"]
        if not re.fullmatch(r"\d{4}", text):
            raise RowError(f"time_period ‘{text}’ is not a year, such as 2024.")

        children, symbol = _number(
            cells["population_estimate"], "population_estimate", required=True
        )
        if children is None or children < 0 or children != int(children):
            shown = symbol or cells["population_estimate"]
            raise RowError(f"population_estimate ‘{shown}’ is not a whole number.")
        self.populations.append(
            _Population(place.authorities[0], int(text), int(children), file, line)
        )

    def resolve_rates(self) -> None:
        """Turn counts into rates per 10,000 children for mappings that ask.

        A count whose LA has no population estimate for the year is left out
        and reported.
        """
        known = self._population_lookup()
        kept = []
        for item in self.values:
            if item.mapping.rate_from_population and item.value is not None:
                people = [
                    known.get((a, item.year_start)) for a in item.place.authorities
                ]
                if not all(people):
                    self._population_missing(item, known)
                    continue
                item.numerator, item.denominator = item.value, Decimal(sum(people))
                item.value = item.value * PER_10K / item.denominator
            kept.append(item)
        self.values = kept

    def _population_lookup(self) -> dict[tuple[int, int], int]:
        """Estimates by LA and year: those stored, overlaid by this run's."""
        wanted = {
            item.year_start for item in self.values if item.mapping.rate_from_population
        }
        known = {
            (e.authority_id, e.year): e.children
            for e in PopulationEstimate.objects.filter(year__in=wanted)
        }
        known.update({(p.authority, p.year): p.children for p in self.populations})
        return known

    def _population_missing(self, item: _Value, known) -> None:
        lacking = [
            self.names[authority]
            for authority in item.place.authorities
            if not known.get((authority, item.year_start))
        ]
        self.problem(
            item.file,
            f"{item.mapping.indicator.code} {item.period_label}: there is no "
            f"mid-{item.year_start} population estimate for {' and '.join(lacking)}"
            ", needed for a rate per 10,000. Import DfE's population file too.",
            item.line,
        )
        self.rejected[item.mapping.indicator.code, item.period_label] += 1

    def finish(self) -> ImportReport:
        """Check for figures given twice, count what was read, and put the
        problems in the order of the files and their lines."""
        self._check_repeats()
        self._tally()
        years: dict[int, int] = defaultdict(int)
        for estimate in self.populations:
            years[estimate.year] += 1
        self.report.populations = dict(sorted(years.items()))

        order = {summary.name: n for n, summary in enumerate(self.report.files)}
        self.report.problems.sort(key=lambda p: (order.get(p.file, -1), p.line or 0))
        return self.report

    def _check_repeats(self) -> None:
        seen: dict[tuple, _Value] = {}
        for item in self.values:
            for key in _value_keys(item):
                first = seen.setdefault(key, item)
                if first is item:
                    continue
                code = item.mapping.indicator.code
                what = f"{code} {item.period_label} for {self._area(key)}"
                self._repeat(item.file, item.line, what, first.file, first.line)
                self.rejected[code, item.period_label] += 1

        people: dict[tuple, _Population] = {}
        for estimate in self.populations:
            key = (estimate.authority, estimate.year)
            first = people.setdefault(key, estimate)
            if first is not estimate:
                what = f"mid-{estimate.year} population of {self.names[key[0]]}"
                self._repeat(estimate.file, estimate.line, what, first.file, first.line)

    def _area(self, key: tuple) -> str:
        *_, area_kind, authority = key
        return self.names[authority] if authority else AreaKind(area_kind).label

    def _repeat(self, file: str, line: int, what: str, first_file: str, first_line):
        where = f"line {first_line}"
        if first_file != file:
            where += f" of {first_file}"
        self.problem(file, f"The {what} was given already, on {where}.", line)

    def _tally(self) -> None:
        tallies: dict[tuple[str, str], Tally] = {}
        order = {m.indicator.code: m.indicator.display_order for m in self.mappings}

        def tally(code: str, period: str) -> Tally:
            return tallies.setdefault((code, period), Tally(code, period))

        for item in self.values:
            entry = tally(item.mapping.indicator.code, item.period_label)
            if not item.place.is_la:
                entry.comparators += 1
                continue
            count = len(item.place.authorities)
            entry.la_values += count
            entry.suppressed += count if item.suppression else 0
            entry.shared += count if item.place.shared_with else 0
        for (code, period), rejected in self.rejected.items():
            tally(code, period).rejected += rejected

        self.report.tallies = sorted(
            tallies.values(),
            key=lambda t: (order.get(t.indicator, 0), t.indicator, t.period),
        )


def _value_keys(item: _Value) -> list[tuple]:
    """The keys of the unique constraints the value will be stored under."""
    base = (item.mapping.indicator_id, item.year_start)
    if item.place.is_la:
        return [(*base, "la", authority) for authority in item.place.authorities]
    return [(*base, item.place.area_kind, None)]


# Writing
# -------

_VALUE_FIELDS = ["value", "suppression", "numerator", "denominator", "shared_with"]


def _quantized(number: Decimal | None, places: Decimal) -> Decimal | None:
    return None if number is None else number.quantize(places)


def _write_values(values: list[_Value], report: ImportReport) -> None:
    """Create or update the values, counting those already as read."""
    periods = {
        year: period_get_or_create(PeriodKey(year))
        for year in sorted({item.year_start for item in values})
    }
    stored = {
        _stored_key(pv): pv
        for pv in PublishedValue.objects.filter(
            indicator__in={item.mapping.indicator_id for item in values},
            period__in=periods.values(),
        )
    }

    new, changed = [], []
    for item in values:
        fields = {
            "value": _quantized(item.value, VALUE_PLACES),
            "suppression": item.suppression,
            "numerator": _quantized(item.numerator, PART_PLACES),
            "denominator": _quantized(item.denominator, PART_PLACES),
            "shared_with": item.place.shared_with[:100],
        }
        period = periods[item.year_start]
        for key in _value_keys(item):
            existing = stored.get((key[0], period.pk, key[2], key[3]))
            if existing is None:
                new.append(_new_value(item, period, key[3], fields))
            elif any(getattr(existing, k) != v for k, v in fields.items()):
                for name, value in fields.items():
                    setattr(existing, name, value)
                existing.source_file = item.file[:200]
                existing.imported_at = timezone.now()
                changed.append(existing)
            else:
                report.unchanged += 1

    PublishedValue.objects.bulk_create(new)
    PublishedValue.objects.bulk_update(
        changed, [*_VALUE_FIELDS, "source_file", "imported_at"]
    )
    report.created += len(new)
    report.updated += len(changed)


def _stored_key(value: PublishedValue) -> tuple:
    if value.authority_id is not None:
        return (value.indicator_id, value.period_id, "la", value.authority_id)
    return (value.indicator_id, value.period_id, value.area_kind, None)


def _new_value(item: _Value, period, authority: int | None, fields) -> PublishedValue:
    return PublishedValue(
        indicator_id=item.mapping.indicator_id,
        period=period,
        area_kind=item.place.area_kind,
        authority_id=authority,
        source_file=item.file[:200],
        **fields,
    )


def _write_populations(populations: list[_Population], report: ImportReport) -> None:
    stored = {
        (e.authority_id, e.year): e
        for e in PopulationEstimate.objects.filter(
            year__in={p.year for p in populations}
        )
    }
    new, changed = [], []
    for estimate in populations:
        existing = stored.get((estimate.authority, estimate.year))
        if existing is None:
            new.append(
                PopulationEstimate(
                    authority_id=estimate.authority,
                    year=estimate.year,
                    children=estimate.children,
                    source_file=estimate.file[:200],
                )
            )
        elif existing.children != estimate.children:
            existing.children = estimate.children
            existing.source_file = estimate.file[:200]
            changed.append(existing)
        else:
            report.unchanged += 1

    PopulationEstimate.objects.bulk_create(new)
    PopulationEstimate.objects.bulk_update(changed, ["children", "source_file"])
    report.created += len(new)
    report.updated += len(changed)
