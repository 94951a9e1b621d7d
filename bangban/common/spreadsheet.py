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


def append_row(sheet, values: Iterable[Any]) -> int:
    """Append ``values`` as the next row; returns the row number."""
    row = sheet.max_row + 1 if sheet.max_row > 1 or sheet.cell(1, 1).value is not None else 1
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column)
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"
    return row
