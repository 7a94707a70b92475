"""Reading and writing Excel and CSV files for the register's import and export.

Reading streams (openpyxl in read-only mode, the csv module), so a 30,000-row file never sits in
memory whole. Writing guards every text cell against formula injection: a value that a spreadsheet
would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a
leading quote, and reading strips that quote again, so an exported file imports unchanged.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime
import io
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

XLSX = "xlsx"
CSV = "csv"
FORMATS = (XLSX, CSV)
CONTENT_TYPES = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    CSV: "text/csv; charset=utf-8",
}

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")


class FileProblem(ValueError):
    """The file as a whole cannot be read (wrong type, broken, no header row)."""


def safe_cell(value: Any) -> Any:
    """``value`` as a spreadsheet will show it, never as a formula it would run."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def unguard(value: str) -> str:
    """Undo ``safe_cell``: the quote in front of a would-be formula is ours, not the user's."""
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        return value[1:]
    return value


# --- reading ---------------------------------------------------------------------------------------


def sniff_format(head: bytes, name: str) -> str:
    """``xlsx`` or ``csv`` from the first bytes and the name; FileProblem for anything else."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext == XLSX:
        if not head.startswith(b"PK\x03\x04"):
            raise FileProblem(_("This file is not an Excel workbook (.xlsx)."))
        return XLSX
    if ext == CSV:
        if b"\x00" in head or head.startswith(b"PK\x03\x04"):
            raise FileProblem(_("This file is not a CSV text file."))
        return CSV
    raise FileProblem(_("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."))


def _seekable(fh: IO[bytes]) -> IO[bytes]:
    # A zip needs random access; storages that stream (object storage) get a local copy.
    if fh.seekable():
        fh.seek(0)
        return fh
    copy = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - returned to the caller
    while chunk := fh.read(1024 * 1024):
        copy.write(chunk)
    copy.seek(0)
    return copy


def _csv_encoding(fh: IO[bytes]) -> str:
    """UTF-8 (with or without BOM) when every byte decodes, else Windows-1252 (old Excel exports)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    fh.seek(0)
    try:
        while chunk := fh.read(1024 * 1024):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    finally:
        fh.seek(0)
    return "utf-8-sig"


@contextlib.contextmanager
def open_table(fh: IO[bytes], fmt: str) -> Iterator[tuple[int, Iterator[tuple[int, tuple[Any, ...]]]]]:
    """The rows of the first sheet (or of the CSV) as ``(line, cells)``, header row included, with
    about how many rows there are, for a progress bar before reading them.

    ``line`` is the row number a spreadsheet program shows. An Excel file states its size (the
    sheet's dimension); a CSV's lines are counted. Raises FileProblem when the file cannot be opened.
    """
    fh = _seekable(fh)
    if fmt == XLSX:
        try:
            workbook = load_workbook(fh, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise FileProblem(_("The Excel file could not be read; save it again as .xlsx.")) from exc
        try:
            sheet = workbook.worksheets[0]
            yield sheet.max_row or 0, enumerate(sheet.iter_rows(values_only=True), start=1)
        finally:
            workbook.close()
        return
    lines = 0
    while chunk := fh.read(1024 * 1024):
        lines += chunk.count(b"\n")
    fh.seek(0)
    text = io.TextIOWrapper(fh, encoding=_csv_encoding(fh), newline="")
    try:
        yield lines, _csv_rows(text)
    finally:
        text.detach()


def _csv_rows(text: io.TextIOWrapper) -> Iterator[tuple[int, tuple[Any, ...]]]:
    sample = text.read(8192)
    text.seek(0)
    try:
        dialect: Any = csv.Sniffer().sniff(sample.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        for line, cells in enumerate(csv.reader(text, dialect), start=1):
            yield line, tuple(cells)
    except csv.Error as exc:
        raise FileProblem(_("The CSV file could not be read: %(error)s") % {"error": exc}) from exc


def normalise_header(value: Any) -> str:
    """A header as typed, compared without case, stars (required marks) and extra spaces."""
    return re.sub(r"[\s*]+", " ", str(value or "")).strip().casefold()


def is_blank(cells: Iterable[Any]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


# --- cell values -----------------------------------------------------------------------------------

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
TRUE_WORDS = frozenset({"ya", "y", "yes", "true", "benar", "1", "x", "✓"})
FALSE_WORDS = frozenset({"tidak", "t", "no", "n", "false", "salah", "0", "-"})


def as_text(value: Any) -> str:
    """A cell as clean text: numbers without a trailing ``.0``, dates as ISO, quotes undone."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return unguard(str(value).strip())


def as_date(value: Any) -> datetime.date | None:
    """A date from an Excel date cell or a text ``DD/MM/YYYY`` or ``YYYY-MM-DD``; ValueError if not one."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = as_text(value)
    if not text:
        return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("Enter a date as DD/MM/YYYY or YYYY-MM-DD."))


def as_int(value: Any, *, minimum: int = 0) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(_("Enter a whole number."))
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(_("Enter a whole number."))
        value = int(value)
    if isinstance(value, int):
        number = value
    else:
        text = as_text(value)
        if not text:
            return None
        if not re.fullmatch(r"\d+", text):
            raise ValueError(_("Enter a whole number."))
        number = int(text)
    if number < minimum:
        raise ValueError(_("Enter a number of at least %(minimum)s.") % {"minimum": minimum})
    return number


def as_float(value: Any) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = as_text(value).replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise ValueError(_("Enter a number, e.g. -6.1754.")) from None


def as_bool(value: Any) -> bool:
    if value is None or value == "":
        return False
    if isinstance(value, bool):
        return value
    text = as_text(value).casefold()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS or not text:
        return False
    raise ValueError(_("Enter “ya” or “tidak”."))


def as_region_code(value: Any) -> str:
    """A Kemendagri code, dotted (``31.71.01.1001``) whether typed with dots or as plain digits."""
    text = as_text(value).replace(" ", "")
    if re.fullmatch(r"\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?", text):
        return text
    if re.fullmatch(r"\d{2}|\d{4}|\d{6}|\d{10}", text):
        parts = [text[0:2], text[2:4], text[4:6], text[6:10]]
        return ".".join(p for p in parts if p)
    raise ValueError(_("Enter a Kemendagri region code such as 31.71.01.1001."))


# --- writing ---------------------------------------------------------------------------------------


class TableWriter:
    """Writes a header row and then rows to an Excel (write-only, streamed) or CSV file.

    Every cell passes through ``safe_cell``. ``close()`` finishes the file.
    """

    def __init__(self, out: IO[bytes], fmt: str, *, sheet_title: str, headers: list[str]) -> None:
        self.fmt = fmt
        self.out = out
        if fmt == XLSX:
            self.workbook = Workbook(write_only=True)
            self.sheet = self.workbook.create_sheet(title=sheet_title[:31])
            self.sheet.freeze_panes = "A2"
            header_cells = []
            for header in headers:
                cell = WriteOnlyCell(self.sheet, value=safe_cell(header))
                cell.font = HEADER_FONT
                cell.fill = HEADER_FILL
                header_cells.append(cell)
            self.sheet.append(header_cells)
        else:
            # A BOM makes Excel open UTF-8 correctly (Indonesian names, the mask's bullets).
            self.text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
            self.csv = csv.writer(self.text)
            self.csv.writerow([safe_cell(h) for h in headers])

    def write(self, row: Iterable[Any]) -> None:
        cells = [safe_cell(_plain(v)) for v in row]
        if self.fmt == XLSX:
            self.sheet.append(cells)
        else:
            self.csv.writerow(cells)

    def close(self) -> None:
        if self.fmt == XLSX:
            self.workbook.save(self.out)
        else:
            self.text.flush()
            self.text.detach()


def _plain(value: Any) -> Any:
    # Yes/no as the words the import reads back; dates stay dates in Excel, ISO text in CSV.
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if value is None:
        return ""
    return value
