"""ISO 8601 partial dates (YYYY, YYYY-MM, YYYY-MM-DD) and their precision."""
from __future__ import annotations

import calendar
import datetime as dt

PRECISIONS = {4: "year", 7: "month", 10: "day"}


def precision_of(value: str | None) -> str:
    """The precision a partial date is written to; ValueError if it is no real date."""
    if value is None or value == "":
        return "unknown"
    if len(value) not in PRECISIONS:
        raise ValueError(value)
    parts = [int(p) for p in value.split("-")]
    year, month, day = (parts + [1, 1])[:3]
    dt.date(year, month, day)  # raises ValueError for 2020-13-01 or 2021-02-29
    return PRECISIONS[len(value)]


def bounds(value: str | None, precision: str | None = None) -> tuple[dt.date, dt.date]:
    """First and last day a partial date may mean: '1993' -> (1993-01-01, 1993-12-31)."""
    if value is None or value != value or value == "":
        raise ValueError("no date")
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        last = calendar.monthrange(parts[0], parts[1])[1]
        return dt.date(parts[0], parts[1], 1), dt.date(parts[0], parts[1], last)
    day = dt.date(*parts)
    return day, day


def midpoint(value: str) -> dt.date:
    """The middle of the range a partial date may mean (for placing a mark on an axis)."""
    lo, hi = bounds(value)
    return lo + (hi - lo) / 2


def label(value: str | None, precision: str | None = None) -> str:
    """A date as a reader sees it: '8 March 2013', 'May 1994', '1993', 'date unknown'."""
    if value is None or value != value or value == "":
        return "date unknown"
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return str(parts[0])
    month = calendar.month_name[parts[1]]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    return f"{parts[2]} {month} {parts[0]}"
