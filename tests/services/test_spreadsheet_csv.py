"""The one CSV writer: cells a spreadsheet would run as formulas are written as text."""

from __future__ import annotations

import csv
import io

import pytest

from consent_app.services.spreadsheet_csv import csv_text


@pytest.mark.parametrize(
    "hostile",
    ['=HYPERLINK("https://evil.example")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"],
)
def test_a_cell_a_spreadsheet_would_run_is_written_as_text(hostile: str) -> None:
    [[cell]] = list(csv.reader(io.StringIO(csv_text([[hostile]]))))
    assert cell == "'" + hostile


def test_numbers_and_ordinary_text_are_written_as_they_are() -> None:
    text = csv_text([["Nordlys AS", -3, 0.25, "a-b", ""]])
    assert text == "Nordlys AS,-3,0.25,a-b,\r\n"
