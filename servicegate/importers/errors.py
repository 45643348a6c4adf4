"""Import errors that name the file, the line, the column and what to do."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class RowError:
    """Why one row of an input file cannot be imported."""

    file: str
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}"
        if self.column:
            where += f", column {self.column!r}"
        return f"{where}: {self.reason}"


class ImportFailure(Exception):
    """The input cannot be imported; nothing of the file was stored.

    ``errors`` holds the row errors found (the first few are in the message).
    """

    def __init__(self, message: str, errors: Iterable[RowError] = ()) -> None:
        self.errors = list(errors)
        super().__init__(message)

    @classmethod
    def from_rows(cls, errors: list[RowError]) -> ImportFailure:
        first = errors[0]
        more = len(errors) - 1
        message = f"{first}. Nothing of this file was imported."
        if more:
            message += f" {more} more row(s) are invalid."
        message += (
            " Correct the file and import it again, or use --skip-invalid to import the"
            " valid rows and write the rejected ones to a .rejected.csv file next to it."
        )
        return cls(message, errors)


def closest(word: str, candidates: Iterable[str]) -> str:
    """A " Did you mean …?" sentence for the candidate closest to ``word``, or ''."""
    match = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" Did you mean {match[0]!r}?" if match else ""
