"""CSV that is safe to open in a spreadsheet: the one writer of every CSV export (audit
exports, the dashboard's tables, admin downloads).

Excel, LibreOffice and Google Sheets run a cell that starts with `=`, `+`, `-`, `@`, a tab
or a carriage return as a formula, so a hostile controller name or subject id could run
one on an auditor's machine (OWASP "CSV injection"). Such a text cell gets a leading
apostrophe, which spreadsheets show as plain text. Numbers are not text: -3 stays -3.
Rows end in CRLF, as RFC 4180 says.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(rows: Iterable[Sequence[Any]]) -> str:
    """The rows as CSV, every text cell made safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()
