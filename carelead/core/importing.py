"""The one import runner every KIND uses: stream a CSV or XLSX file, validate each row, write all or nothing.

A kind (see ``ImportKind``) declares its columns and how to check references and write a batch. The runner
reads the file lazily, parses cells with the column parsers, hands batches of clean rows to the kind, and
keeps everything in one transaction that is rolled back when any row is invalid or on a dry run.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from django.db import transaction

from carelead.core.spreadsheet import restore

BATCH_SIZE = 2000
MAX_PROBLEMS_KEPT = 10_000


class CellError(ValueError):
    """A cell that cannot be accepted; ``code`` is stable for clients, ``message`` is for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class FileError(Exception):
    """The file as a whole cannot be read (wrong type, not UTF-8, no header, missing columns)."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.render() for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str | None
    code: str
    message: str

    def render(self) -> str:
        where = []
        where.append(f"row {self.row}" if self.row is not None else "header")
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "code": self.code, "message": self.message}


# Cell parsers: each takes the stripped text of a cell (never None) and returns the clean value.


def text(max_length: int = 200) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if len(value) > max_length:
            raise CellError("too_long", f"must be at most {max_length} characters (it has {len(value)})")
        return value

    return parse


_DATE_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_UK = re.compile(r"^\d{2}/\d{2}/\d{4}$")


def parse_date(value: str) -> date | None:
    """YYYY-MM-DD or DD/MM/YYYY; blank is None."""
    if value == "":
        return None
    try:
        if _DATE_ISO.match(value):
            return date.fromisoformat(value)
        if _DATE_UK.match(value):
            day, month, year = value.split("/")
            return date(int(year), int(month), int(day))
    except ValueError:
        raise CellError("invalid_date", f"'{value}' is not a real date") from None
    raise CellError("invalid_date", f"'{value}' is not a date in the form YYYY-MM-DD or DD/MM/YYYY")


def parse_bool(value: str) -> bool | None:
    """Y or N (any case); blank is None so the column default can apply."""
    if value == "":
        return None
    upper = value.upper()
    if upper in ("Y", "N"):
        return upper == "Y"
    raise CellError("invalid_boolean", f"'{value}' must be Y or N")


def choice(values: Iterable[str], *, case_sensitive: bool = False, blank: str | None = None) -> Callable[[str], str]:
    """One of a code list; ``blank`` is what an empty cell means (None makes it an error when required)."""
    allowed = list(values)
    lookup = {v if case_sensitive else v.lower(): v for v in allowed}

    def parse(value: str) -> str:
        if value == "" and blank is not None:
            return blank
        found = lookup.get(value if case_sensitive else value.lower())
        if found is None:
            raise CellError("invalid_choice", f"'{value}' is not one of {', '.join(allowed)}")
        return found

    return parse


def integer(minimum: int | None = None, maximum: int | None = None) -> Callable[[str], int | None]:
    def parse(value: str) -> int | None:
        if value == "":
            return None
        try:
            number = int(Decimal(value)) if Decimal(value) == int(Decimal(value)) else None
        except (InvalidOperation, ValueError):
            number = None
        if number is None:
            raise CellError("invalid_number", f"'{value}' is not a whole number")
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            raise CellError("out_of_range", f"{number} must be between {minimum} and {maximum}")
        return number

    return parse


def decimal(minimum: Decimal | None = None, maximum: Decimal | None = None) -> Callable[[str], Decimal | None]:
    def parse(value: str) -> Decimal | None:
        if value == "":
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise CellError("invalid_number", f"'{value}' is not a number") from None
        if not number.is_finite():
            raise CellError("invalid_number", f"'{value}' is not a number")
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            raise CellError("out_of_range", f"{value} must be between {minimum} and {maximum}")
        return number

    return parse


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    parse: Callable[[str], Any] = field(default_factory=text)


@dataclass
class Row:
    """One data row: its number in the file (from 1) and the clean values by column name."""

    number: int
    values: dict[str, Any]


@dataclass
class WriteCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: WriteCounts) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged


@dataclass
class ImportResult:
    kind: str
    rows: int = 0
    counts: WriteCounts = field(default_factory=WriteCounts)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "rows": self.rows,
            "created": self.counts.created,
            "updated": self.counts.updated,
            "unchanged": self.counts.unchanged,
            "problem_count": self.problem_count,
            "problems": [p.as_dict() for p in self.problems],
            "warnings": self.warnings,
            "dry_run": self.dry_run,
            "written": self.written,
        }


class BatchContext:
    """What a kind sees while validating and writing: the actor, the problems so far and the keys seen."""

    def __init__(self, *, actor, source: str, scope_path: str | None = None):
        self.actor = actor
        self.source = source
        # When set, every organisation a row names must lie under this path (an HR lead's own organisation).
        self.scope_path = scope_path
        self.seen: dict[str, set] = {}
        self.failed = False
        self._problems: list[Problem] = []
        # Counts of things worth telling the person importing, keyed by a sentence with {n} in it.
        self.notes: dict[str, int] = {}

    def note(self, message: str, n: int = 1) -> None:
        self.notes[message] = self.notes.get(message, 0) + n

    def row_of_key(self, key: tuple) -> int | None:
        """The row where a key was first seen in this file, if it was."""
        return self.seen.get("__keys__", {}).get(key)

    def defined_before(self, key: tuple, row: Row) -> bool:
        """Whether a key appears in an earlier row of this file (references may point only backwards)."""
        first = self.row_of_key(key)
        return first is not None and first < row.number

    def problem(self, row: Row, column: str | None, code: str, message: str) -> None:
        self._problems.append(Problem(row.number, column, code, message))

    def take_problems(self) -> list[Problem]:
        taken, self._problems = self._problems, []
        return taken


class ImportKind:
    """Base for one import KIND of the contract. Subclasses set the class attributes and the two hooks."""

    name: str = ""
    title: str = ""
    columns: list[Column] = []
    key: tuple[str, ...] = ()

    def check_batch(self, rows: list[Row], ctx: BatchContext) -> list[Row]:
        """Check references and cross-field rules; report problems on ctx; return the rows still valid."""
        return rows

    def write_batch(self, rows: list[Row], ctx: BatchContext) -> WriteCounts:
        """Upsert valid rows by key (called only while the whole file is still valid)."""
        raise NotImplementedError

    def finish(self, ctx: BatchContext) -> None:
        """Called once after the last batch when every row was valid and written."""

    def export_rows(self) -> Iterator[dict[str, Any]]:
        """Every stored record, as the import columns, in a stable order."""
        raise NotImplementedError

    def key_of(self, row: Row) -> tuple:
        return tuple(row.values[k] for k in self.key)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


# Reading files


class _CountingReader(io.RawIOBase):
    """Wraps a binary file to count bytes read, for progress."""

    def __init__(self, raw: IO[bytes]):
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.count += n
        return n


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "Y" if value else "N"
    return str(value).strip()


def is_xlsx(path: Path) -> bool:
    """XLSX files are ZIP archives; anything else is read as CSV."""
    with open(path, "rb") as handle:
        return handle.read(4) == b"PK\x03\x04" and zipfile.is_zipfile(path)


def read_table(path: Path) -> tuple[list[str], Iterator[list[str]], Callable[[], float]]:
    """Open a CSV or XLSX file lazily: the header, an iterator of rows as text cells, and a progress fraction."""
    size = max(path.stat().st_size, 1)
    if is_xlsx(path):
        import openpyxl

        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a damaged workbook
            raise FileError([Problem(None, None, "unreadable", f"the workbook cannot be read ({exc})")]) from exc
        sheet = book.worksheets[0]
        total = max(sheet.max_row or 1, 1)
        rows = sheet.iter_rows(values_only=True)
        try:
            header = [_cell_text(v) for v in next(rows)]
        except StopIteration:
            raise FileError([Problem(None, None, "empty_file", "the file has no header row")]) from None
        state = {"n": 0}

        def body() -> Iterator[list[str]]:
            try:
                for values in rows:
                    state["n"] += 1
                    yield [_cell_text(v) for v in values]
            finally:
                book.close()

        return header, body(), lambda: min(state["n"] / total, 1.0)

    raw = open(path, "rb")  # noqa: SIM115 - closed when the body iterator finishes
    counter = _CountingReader(raw)
    stream = io.TextIOWrapper(io.BufferedReader(counter, 1 << 16), encoding="utf-8-sig", newline="")
    reader = csv.reader(stream)
    try:
        header = next(reader)
    except StopIteration:
        raw.close()
        raise FileError([Problem(None, None, "empty_file", "the file has no header row")]) from None
    except UnicodeDecodeError:
        raw.close()
        raise FileError(
            [Problem(None, None, "not_utf8", "the file is not UTF-8 text (save it as CSV UTF-8)")]
        ) from None

    def body() -> Iterator[list[str]]:
        try:
            for record in reader:
                yield [v.strip() for v in record]
        except UnicodeDecodeError:
            raise FileError(
                [Problem(reader.line_num, None, "not_utf8", "the file is not UTF-8 text (save it as CSV UTF-8)")]
            ) from None
        except csv.Error as exc:
            raise FileError([Problem(reader.line_num, None, "bad_csv", f"the CSV cannot be read ({exc})")]) from None
        finally:
            raw.close()

    return [h.strip() for h in header], body(), lambda: min(counter.count / size, 1.0)


def _map_header(kind: ImportKind, header: list[str]) -> tuple[dict[str, int], list[str], list[Problem]]:
    wanted = {c.name: c for c in kind.columns}
    positions: dict[str, int] = {}
    warnings: list[str] = []
    problems: list[Problem] = []
    for index, raw in enumerate(header):
        name = raw.strip().lower()
        if name in wanted:
            if name in positions:
                problems.append(Problem(None, name, "duplicate_column", "the column appears more than once"))
            positions[name] = index
        elif name:
            warnings.append(f"column {raw} is not used by a {kind.name} import and was ignored")
    for column in kind.columns:
        if column.required and column.name not in positions:
            problems.append(Problem(None, column.name, "missing_column", "this required column is missing"))
    return positions, warnings, problems


def import_run(
    *,
    kind: ImportKind,
    path: Path,
    actor,
    dry_run: bool = False,
    progress: Callable[[float, int], None] | None = None,
    scope_path: str | None = None,
) -> ImportResult:
    """Validate and import one file of ``kind``: all rows are written, or none are."""
    result = ImportResult(kind=kind.name, dry_run=dry_run)
    try:
        header, body, fraction = read_table(Path(path))
    except FileError as exc:
        _keep(result, exc.problems)
        return result
    positions, result.warnings, header_problems = _map_header(kind, header)
    if header_problems:
        _keep(result, header_problems)
        return result

    ctx = BatchContext(actor=actor, source=Path(path).name, scope_path=scope_path)
    with transaction.atomic():
        batch: list[Row] = []
        try:
            for number, cells in enumerate(body, start=1):
                if not any(cells):
                    continue
                row = _parse_row(kind, number, cells, positions, ctx)
                result.rows += 1
                if row is not None:
                    batch.append(row)
                if len(batch) >= BATCH_SIZE:
                    _flush(kind, batch, ctx, result)
                    batch = []
                    if progress:
                        progress(fraction(), result.rows)
            _flush(kind, batch, ctx, result)
        except FileError as exc:
            ctx._problems.extend(exc.problems)
            _keep(result, ctx.take_problems())
        if result.ok:
            kind.finish(ctx)
            result.warnings.extend(message.format(n=f"{n:,}") for message, n in ctx.notes.items())
        if progress:
            progress(1.0, result.rows)
        if not result.ok or dry_run:
            transaction.set_rollback(True)
    if not result.ok:
        result.counts = WriteCounts()
    result.problems.sort(
        key=lambda p: (p.row or 0, kind.column_names.index(p.column) if p.column in kind.column_names else -1)
    )
    return result


def _parse_row(kind: ImportKind, number: int, cells: list[str], positions: dict[str, int], ctx) -> Row | None:
    values: dict[str, Any] = {}
    row = Row(number, values)
    bad = False
    for column in kind.columns:
        index = positions.get(column.name)
        raw = restore(cells[index]) if index is not None and index < len(cells) else ""
        if raw == "" and column.required:
            ctx.problem(row, column.name, "required", "a value is required")
            bad = True
            continue
        try:
            values[column.name] = column.parse(raw)
        except CellError as exc:
            ctx.problem(row, column.name, exc.code, exc.message)
            bad = True
    if bad:
        ctx.failed = True
        return None
    key = kind.key_of(row)
    if ctx.row_of_key(key) is not None:
        ctx.problem(row, kind.key[0], "duplicate_key", f"{'/'.join(map(str, key))} appears earlier in the file")
        ctx.failed = True
        return None
    ctx.seen.setdefault("__keys__", {})[key] = number
    return row


def _flush(kind: ImportKind, batch: list[Row], ctx: BatchContext, result: ImportResult) -> None:
    if batch:
        valid = kind.check_batch(batch, ctx)
        if len(valid) != len(batch):
            ctx.failed = True
        if not ctx.failed and not result.problem_count and not ctx._problems:
            result.counts.add(kind.write_batch(valid, ctx))
    _keep(result, ctx.take_problems())


def _keep(result: ImportResult, problems: list[Problem]) -> None:
    result.problem_count += len(problems)
    room = MAX_PROBLEMS_KEPT - len(result.problems)
    if room > 0:
        result.problems.extend(problems[:room])


def format_cell(value: Any) -> str:
    """How exports write a value so that importing it again gives the same value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)
