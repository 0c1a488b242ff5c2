"""One exception type for bad data, one for a failed build."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in data/: the unit the check command prints."""

    file: str
    row: int | None  # line number in the file (header = 1); None for whole-file problems
    column: str | None
    expected: str
    found: str

    def __str__(self) -> str:
        row = "-" if self.row is None else str(self.row)
        col = "-" if not self.column else self.column
        return (
            f"{self.file}: row {row}, column {col}: "
            f"expected {self.expected}; found {self.found}"
        )


class DataError(Exception):
    """Bad data in data/. Carries every problem found, each naming file, row and column."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def one(cls, file: str, row: int | None, column: str | None, expected: str, found: str):
        return cls([Problem(file, row, column, expected, found)])


class BuildError(Exception):
    """The build stopped; the message says where (notebook, cell) and why."""
