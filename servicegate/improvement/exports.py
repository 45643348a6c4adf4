"""The scorecard as CSV and as an Excel workbook (openpyxl): a header row, one row per
key, percentages formatted as such, CSAT (scores, mean 1..5, share satisfied) last."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from servicegate.improvement.scorecard import HEADER, ScoreRow


def _values(row: ScoreRow) -> list[object]:
    return [
        row.key,
        row.label,
        row.promises,
        row.tickets,
        row.met,
        row.attainment,
        None if row.target_percent is None else row.target_percent / 100,
        None if row.kept is None else ("yes" if row.kept else "no"),
        row.csat_n,
        None if row.csat_mean is None else round(row.csat_mean, 2),
        row.csat_satisfied,
    ]


def scorecard_csv(rows: list[ScoreRow]) -> str:
    """CSV text with the header row; attainment and target as fractions."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow(["" if v is None else v for v in _values(row)])
    return out.getvalue()


def scorecard_xlsx(rows: list[ScoreRow], *, title: str) -> bytes:
    """An .xlsx workbook: bold header, frozen first row, attainment and target in %."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(list(HEADER))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(_values(row))
    for r in range(2, len(rows) + 2):
        for col in (6, 7, 11):
            sheet.cell(row=r, column=col).number_format = "0.0%"
        for col in (3, 4, 5, 9):
            sheet.cell(row=r, column=col).number_format = "#,##0"
        sheet.cell(row=r, column=10).number_format = "0.00"
    widths = (8, 40, 10, 10, 10, 12, 14, 8, 8, 10, 14)
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
