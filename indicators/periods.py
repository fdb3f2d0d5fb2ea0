"""Period labels and dates (DESIGN.md section 4): pure functions, no database."""

import datetime
import re
from dataclasses import dataclass

LABEL_PATTERN = re.compile(
    r"^(?P<start>\d{4})-(?P<end>\d{2})(?: Q(?P<quarter>[1-4]))?$"
)

# The default gap between a quarter's end and its due date, and between the due
# date and edits closing. The analyst changes both per period.
DEFAULT_DUE_AFTER = datetime.timedelta(weeks=6)
DEFAULT_CLOSE_AFTER_DUE = datetime.timedelta(weeks=4)


class PeriodLabelError(ValueError):
    pass


@dataclass(frozen=True)
class PeriodKey:
    year_start: int
    quarter: int | None = None

    @property
    def label(self) -> str:
        year = f"{self.year_start}-{(self.year_start + 1) % 100:02d}"
        return f"{year} Q{self.quarter}" if self.quarter else year

    @property
    def slug(self) -> str:
        return self.label.lower().replace(" ", "-")

    @property
    def start_date(self) -> datetime.date:
        if self.quarter is None:
            return datetime.date(self.year_start, 4, 1)
        month = 4 + 3 * (self.quarter - 1)
        year = self.year_start + (month > 12)
        return datetime.date(year, (month - 1) % 12 + 1, 1)

    @property
    def end_date(self) -> datetime.date:
        if self.quarter is None or self.quarter == 4:
            return datetime.date(self.year_start + 1, 3, 31)
        return PeriodKey(
            self.year_start, self.quarter + 1
        ).start_date - datetime.timedelta(days=1)

    def previous_quarter(self) -> "PeriodKey":
        if self.quarter is None:
            raise PeriodLabelError("A year has no previous quarter.")
        if self.quarter == 1:
            return PeriodKey(self.year_start - 1, 4)
        return PeriodKey(self.year_start, self.quarter - 1)

    def next_quarter(self) -> "PeriodKey":
        if self.quarter is None:
            raise PeriodLabelError("A year has no next quarter.")
        if self.quarter == 4:
            return PeriodKey(self.year_start + 1, 1)
        return PeriodKey(self.year_start, self.quarter + 1)


def parse_period_label(label: str) -> PeriodKey:
    """Read `2024-25` or `2024-25 Q3`; slugs such as `2024-25-q3` are accepted too."""
    text = label.strip().upper().replace("-Q", " Q")
    match = LABEL_PATTERN.match(text)
    if not match:
        raise PeriodLabelError(
            f"‘{label}’ is not a period: use a financial year such as 2024-25 "
            "or a quarter such as 2024-25 Q3"
        )

    start = int(match["start"])
    if int(match["end"]) != (start + 1) % 100:
        raise PeriodLabelError(
            f"‘{label}’ is not a financial year: {start} is followed by "
            f"{(start + 1) % 100:02d}"
        )
    quarter = int(match["quarter"]) if match["quarter"] else None
    return PeriodKey(start, quarter)


def quarter_containing(day: datetime.date) -> PeriodKey:
    year_start = day.year if day.month >= 4 else day.year - 1
    quarter = ((day.month - 4) % 12) // 3 + 1
    return PeriodKey(year_start, quarter)
