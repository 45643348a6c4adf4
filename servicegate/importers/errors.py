"""Import errors that name the file, the line, the column and what to do.

The messages are built in the active language (English or German) when they are
raised; the upload job activates the uploading user's language first.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RowError:
    """Why one row of an input file cannot be imported."""

    file: str
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        values = {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "reason": self.reason,
        }
        if self.column:
            return _("%(file)s, line %(line)d, column %(column)r: %(reason)s") % values
        return _("%(file)s, line %(line)d: %(reason)s") % values


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
        message = _("%(error)s. Nothing of this file was imported.") % {"error": first}
        if more:
            message += " " + _("%(count)d more row(s) are invalid.") % {"count": more}
        message += " " + _(
            "Correct the file and import it again, or use --skip-invalid to import the"
            " valid rows and write the rejected ones to a .rejected.csv file next to it."
        )
        return cls(message, errors)


SUGGESTED = 64  # longest name a suggestion is computed for (difflib is quadratic)


def closest(word: str, candidates: Iterable[str]) -> str:
    """A " Did you mean …?" sentence for the candidate closest to ``word``, or ''.

    Only short names get a suggestion: a long one is no misspelt column name, and
    comparing it would take time quadratic in its length.
    """
    if len(word) > SUGGESTED:
        return ""
    match = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return " " + _("Did you mean %(candidate)r?") % {"candidate": match[0]} if match else ""


def too_few_fields(count: int, expected: int) -> str:
    """The reason for a row with fewer fields than the header."""
    return _("has %(count)d fields, the header has %(expected)d") % {
        "count": count,
        "expected": expected,
    }


def not_a_flag(value: str) -> str:
    """The reason for a yes/no value that is neither."""
    return _("expected true or false, not %(value)r") % {"value": value}


LISTED = 20  # names an error lists at most (a header may have a million columns)


def listed(names: Sequence[str], limit: int = LISTED) -> str:
    """``names`` separated by commas, at most ``limit`` of them and how many more."""
    shown = ", ".join(names[:limit])
    more = len(names) - limit
    if more <= 0:
        return shown
    return _("%(names)s and %(count)d more") % {"names": shown, "count": more}
