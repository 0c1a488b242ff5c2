"""Tiny helpers shared across the package."""
from __future__ import annotations


def isna(value) -> bool:
    """True for an empty cell: None, NaN, pandas NA or the empty string."""
    if value is None or value == "":
        return True
    try:
        return bool(value != value)  # NaN is the one value not equal to itself
    except (TypeError, ValueError):  # pandas.NA refuses bool()
        return True
