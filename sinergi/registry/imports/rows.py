"""The rows of an uploaded file: read as a stream, matched to the import's columns by header, and
parsed cell by cell, each problem kept with its line and column."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from sinergi.registry.imports.columns import Column, example_row, header_spellings
from sinergi.registry.spreadsheets import FileProblem, as_text, is_blank, normalise_header


@dataclass(frozen=True)
class Problem:
    """Something wrong (or, as a warning, worth a look) in one cell or row of the file."""

    line: int
    key: str  # the column's key; "" for the row or the file as a whole
    message: str
    warning: bool = False


class Row:
    """One data row being checked: its cells by column key, its problems, and, once good, its draft."""

    def __init__(self, line: int, cells: Mapping[str, Any]) -> None:
        self.line = line
        self.cells = cells
        self.problems: list[Problem] = []
        self.draft: Any = None

    @property
    def bad(self) -> bool:
        return any(not p.warning for p in self.problems)

    def error(self, key: str, message: Any) -> None:
        self.problems.append(Problem(self.line, key, str(message)))

    def warn(self, key: str, message: Any) -> None:
        self.problems.append(Problem(self.line, key, str(message), warning=True))

    def reject(self, exc: ValidationError, keys: Mapping[str, str], default: str = "") -> None:
        """Record a ValidationError from a rule or a model, each message on the column of its field."""
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                for message in ValidationError(errors).messages:
                    self.error(keys.get(name, default), message)
        else:
            for message in exc.messages:
                self.error(default, message)

    def text(self, key: str, *, required: bool = False) -> str:
        value = as_text(self.cells.get(key))
        if required and not value:
            self.error(key, _("This column is required."))
        return value

    def value(self, key: str, parse: Callable[[Any], Any], *, required: bool = False) -> Any:
        """The cell parsed by ``parse``; None (and a problem) when it does not parse or is missing."""
        try:
            value = parse(self.cells.get(key))
        except ValueError as exc:
            self.error(key, exc)
            return None
        if required and value is None:
            self.error(key, _("This column is required."))
        return value

    def choice(self, key: str, options: Mapping[str, str], *, required: bool = False) -> str:
        """One of ``options`` (typed as a code or a label, any case), or "" with a problem."""
        typed = self.text(key, required=required)
        if not typed:
            return ""
        value = options.get(typed.casefold())
        if value is None:
            self.error(key, _("“%(value)s” is not one of the allowed values.") % {"value": typed})
            return ""
        return value


def options_of(choices: Iterable[tuple[Any, Any]], *extra: tuple[str, str]) -> dict[str, str]:
    """Accepted spellings of choices: the code and the label in every language, without case."""
    options: dict[str, str] = {}
    pairs = list(choices)
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for value, label in pairs:
                options[str(label).casefold()] = str(value)
    for value, _label in pairs:
        options[str(value).casefold()] = str(value)
    for typed, value in extra:
        options[typed.casefold()] = value
    return options


class Sheet:
    """The data rows of an uploaded file, by column key, read as a stream.

    The first non-empty row is the header; columns are matched by header (in either language, or
    the field name) in any order, unknown columns are ignored. A row equal to the template's
    example row is skipped, as are empty rows.
    """

    def __init__(self, rows: Iterator[tuple[int, tuple[Any, ...]]], columns: Sequence[Column]) -> None:
        self.columns = columns
        self._rows = rows
        self.positions: dict[str, int] = {}
        self.ignored: list[str] = []
        for _line, cells in rows:
            if not is_blank(cells):
                self._map_header(cells)
                break
        else:
            raise FileProblem(_("The file is empty."))
        missing = [str(c.header) for c in columns if c.required and c.key not in self.positions]
        if missing:
            raise FileProblem(
                _("The file lacks the required columns: %(columns)s. Start from the template.")
                % {"columns": ", ".join(missing)}
            )
        self._example = [as_text(v).casefold() for v in example_row(columns)]

    def _map_header(self, cells: tuple[Any, ...]) -> None:
        spellings = {spelling: column.key for column in self.columns for spelling in header_spellings(column)}
        for position, cell in enumerate(cells):
            header = normalise_header(cell)
            key = spellings.get(header)
            if key is None:
                if header:
                    self.ignored.append(str(cell))
            elif key not in self.positions:
                self.positions[key] = position

    def letter(self, key: str) -> str:
        """The spreadsheet column letter of ``key`` ("" for the row as a whole)."""
        position = self.positions.get(key)
        return get_column_letter(position + 1) if position is not None else ""

    def __iter__(self) -> Iterator[Row]:
        for line, cells in self._rows:
            if is_blank(cells):
                continue
            values = {key: cells[pos] if pos < len(cells) else None for key, pos in self.positions.items()}
            if self._is_example(values):
                continue
            yield Row(line, values)

    def _is_example(self, values: Mapping[str, Any]) -> bool:
        first = self.columns[0].key
        if as_text(values.get(first)).casefold() != self._example[0]:
            return False
        typed = [as_text(values.get(column.key)).casefold() for column in self.columns]
        return typed == self._example
