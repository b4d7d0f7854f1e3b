"""Writing an import kind's records back out as CSV or XLSX, streaming."""

from pathlib import Path
from typing import TextIO

from carelead.core import spreadsheet
from carelead.core.importing import ImportKind, format_cell


def write_csv(kind: ImportKind, handle: TextIO) -> int:
    """Write every record as CSV with the import's columns; returns the row count."""
    writer = spreadsheet.csv_writer(handle, lineterminator="\n")
    writer.writerow(kind.column_names)
    count = 0
    for record in kind.export_rows():
        writer.writerow([format_cell(record.get(name)) for name in kind.column_names])
        count += 1
    return count


def write_xlsx(kind: ImportKind, path: Path) -> int:
    """Write every record to the first sheet of a workbook, in openpyxl's streaming mode."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(kind.name[:31])
    sheet.append(kind.column_names)
    count = 0
    for record in kind.export_rows():
        sheet.append([spreadsheet.neutralise(format_cell(record.get(name))) for name in kind.column_names])
        count += 1
    book.save(path)
    return count
