"""Excel helpers shared by every app: text goes in as text, never as a formula.

openpyxl stores any string that starts with ``=`` as a formula, so a project named
``=HYPERLINK("http://…","点此查看")`` would become a live link in staff's spreadsheets.
:func:`append_row` writes every string as a text cell (``data_type = "s"``) whatever it
starts with (``=``, ``+``, ``-``, ``@``); numbers and dates keep their types. It lives here,
at the bottom of the house, so that apps of the same layer (documents, eligibility) share it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell import Cell


def append_row(sheet, values: Iterable[Any]) -> int:
    """Append ``values`` as the next row; returns the row number.

    The cells are made here (a string's type set to text) and handed to openpyxl's own
    ``append``, which keeps track of the next row: no scan of the sheet per row."""
    cells = []
    for value in values:
        cell = Cell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
        cells.append(cell)
    sheet.append(cells)
    return cells[0].row if cells else sheet.max_row
