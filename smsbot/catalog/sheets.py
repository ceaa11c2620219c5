"""Reading an admin's list, CSV or `.xlsx`, as rows of text cells with their line numbers.

Admins keep their lists in spreadsheets, so a file is read the way a spreadsheet saved it:
a UTF-8 BOM, `;` or tab instead of `,` (from the header line), header names in any case and
with spaces (`Price IDR` is `price_idr`), cells with spaces around them, and rows left empty
(trailing or between) are skipped. In an `.xlsx` the first sheet is read, numbers come as
the spreadsheet stored them (`25000.0` is `25000`) and a line number is the sheet's row.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Iterator


class SheetError(Exception):
    """The file cannot be read at all (`line` 0: not even its header); the message says why."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


@dataclass
class Sheet:
    """`header`: the normalized column names; `rows()`: (line, cells) for each non-empty
    row after the header, cells as stripped text; `estimated_rows`: for a progress bar."""

    header: list[str]
    estimated_rows: int
    _rows: Iterator[tuple[int, list[str]]]

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        return self._rows


def header_name(text: str) -> str:
    """' Price IDR ' -> 'price_idr'."""
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


def open_sheet(path: Path) -> Sheet:
    """Open `path` (by its suffix: .xlsx/.xlsm, else CSV). Raises OSError or SheetError."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _xlsx(path)
    return _csv(path)


def _csv(path: Path) -> Sheet:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[:exc.start].count(b"\n") + 1
        raise SheetError(line, f"unreadable CSV: not UTF-8 near byte {exc.start} "
                               "(save it as 'CSV UTF-8')") from None
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for cells in reader:
                cells = [c.strip() for c in cells]
                if any(cells):
                    yield reader.line_num, cells
        except csv.Error as exc:
            raise SheetError(reader.line_num, f"unreadable CSV ({exc})") from None

    found = rows()
    header = next(found, None)
    if header is None:
        raise SheetError(1, "the file is empty")
    return Sheet([header_name(c) for c in header[1]], text.count("\n"), found)


def _xlsx(path: Path) -> Sheet:
    from openpyxl import (
        load_workbook,  # only when an .xlsx comes in (importing costs ~0.2 s)
    )

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # a damaged or renamed file: zipfile, KeyError, XML errors ...
        raise SheetError(1, f"unreadable .xlsx ({exc})") from None
    sheet = book.worksheets[0]

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = [cell_text(v) for v in values]
                if any(cells):
                    yield line, cells
        finally:
            book.close()

    found = rows()
    header = next(found, None)
    if header is None:
        raise SheetError(1, "the sheet is empty")
    return Sheet([header_name(c) for c in header[1]], sheet.max_row or 0, found)


def cell_text(value) -> str:
    """A spreadsheet cell as the text a CSV would hold: whole floats without `.0`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value).strip()
