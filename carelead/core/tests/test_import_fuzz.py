"""Generated import files that go wrong in the ways real ones do: each is refused cleanly, naming the row and
column, with nothing written, or imported exactly; never a crash. And what CareLead exports never runs as a
formula in a spreadsheet, yet imports back to the same values."""

import csv
import io
import tempfile
from pathlib import Path

import openpyxl
import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carelead.core.exporting import write_csv, write_xlsx
from carelead.core.spreadsheet import neutralise, restore
from carelead.core.tests.test_importing import ACTOR, STAFF_HEADER
from carelead.imports.registry import kind_get
from carelead.imports.services import import_file
from carelead.people.models import EmploymentChange, EqualityMonitoring, Person

FORMULAS = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://example.org","x")', "+SUM(1,2)", "-2+3", "@SUM(A1)", "\t=1"]
IMPOSSIBLE_DATES = ["31/02/2025", "2025-02-30", "00/01/2020", "32/01/2020", "29/02/2023", "2025-13-01"]


def base_row(n: int) -> dict[str, str]:
    return {
        "staff_id": f"FZ-{n}",
        "org_code": "RAA",
        "first_name": "Test",
        "last_name": f"Person {n}",
        "pay_band": "5",
        "level": "staff",
        "line_manager_id": "",
        "start_date": "01/04/2020",
        "end_date": "",
        "bank": "N",
        "sex": "F",
        "ethnic_category": "A",
        "disability": "N",
    }


# Each fault changes the file; the flag says whether the file must then be refused.
faults = st.one_of(
    st.tuples(st.just("formula_name"), st.sampled_from(FORMULAS)),
    st.tuples(st.just("impossible_date"), st.sampled_from(IMPOSSIBLE_DATES)),
    st.tuples(st.just("duplicate_key"), st.none()),
    st.tuples(st.just("missing_column"), st.sampled_from(["staff_id", "org_code", "last_name", "start_date"])),
    st.tuples(st.just("huge_field"), st.integers(min_value=300, max_value=200_000)),
    st.tuples(st.just("encoding"), st.sampled_from(["latin-1", "utf-16", "cp1252"])),
    st.tuples(st.just("formula_code"), st.sampled_from(FORMULAS)),
    st.tuples(st.just("none"), st.none()),
)


def build(rows: int, fault: tuple[str, object], target: int) -> bytes:
    """The file's bytes, with the fault applied to row ``target``."""
    kind, value = fault
    header = list(STAFF_HEADER)
    records = [base_row(n) for n in range(rows)]
    if kind == "formula_name":
        records[target]["last_name"] = value
    elif kind == "impossible_date":
        records[target]["start_date"] = value
    elif kind == "duplicate_key":
        records[target]["staff_id"] = records[0]["staff_id"]
    elif kind == "missing_column":
        header.remove(value)
    elif kind == "huge_field":
        records[target]["first_name"] = "É" * value
    elif kind == "formula_code":
        records[target]["org_code"] = value
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for record in records:
        writer.writerow([record[name] for name in header])
    encoding = value if kind == "encoding" else "utf-8"
    text = out.getvalue()
    if kind == "encoding":
        text = text.replace("Person", "Pérsonne")  # a character whose bytes differ from UTF-8's
    return text.encode(encoding)


def snapshot() -> tuple[int, int, int]:
    return Person.objects.count(), EqualityMonitoring.objects.count(), EmploymentChange.objects.count()


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fault=faults, rows=st.integers(min_value=1, max_value=8), data=st.data())
def test_a_faulty_file_is_refused_cleanly_or_imported_exactly(world, fault, rows, data):
    # A duplicate needs an earlier row to repeat: it goes on the second row or later.
    low = 1 if fault[0] == "duplicate_key" and rows > 1 else 0
    target = data.draw(st.integers(min_value=low, max_value=rows - 1))
    content = build(rows, fault, target)
    kind = fault[0]
    with transaction.atomic():
        before = snapshot()
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "staff.csv"
            path.write_bytes(content)
            result = import_file(kind_name="staff", path=path, actor=ACTOR)
        if result.ok:
            assert result.rows == rows
            assert snapshot()[0] == before[0] + rows
            if kind == "formula_name":
                stored = Person.objects.get(staff_id=f"FZ-{target}").last_name
                assert stored == fault[1] if not fault[1].startswith("\t") else stored.strip() == fault[1].strip()
            if kind == "huge_field":
                assert Person.objects.filter(first_name="É" * fault[1]).exists()
        else:
            assert snapshot() == before, "a refused file left records behind"
            assert result.problems, "refused without saying why"
            for problem in result.problems:
                text = problem.render()
                assert text and "Traceback" not in text
                if kind in ("impossible_date", "duplicate_key", "formula_code"):
                    assert problem.row == target + 1
                    assert problem.column == {"impossible_date": "start_date", "duplicate_key": "staff_id"}.get(
                        kind, "org_code"
                    )
            if kind == "missing_column":
                assert any(fault[1] in p.render() for p in result.problems)
        if kind in ("impossible_date", "missing_column", "formula_code") or (kind == "duplicate_key" and rows > 1):
            assert not result.ok, f"{kind} must be refused"
        if kind == "none":
            assert result.ok, [p.render() for p in result.problems]
        transaction.set_rollback(True)


@given(st.text(max_size=40))
def test_neutralised_text_never_starts_a_formula_and_restores_exactly(text):
    safe = neutralise(text)
    assert not (isinstance(safe, str) and safe[:1] in ("=", "+", "@", "\t", "\r")) or safe == text
    if safe[:1] == "-":
        float(safe)  # only numbers keep a leading minus
    assert restore(safe) == text


@pytest.mark.django_db
def test_exports_write_formulas_as_text_and_import_them_back(world, tmp_path):
    Person.objects.filter(staff_id__in=["RAA-00001"]).update(last_name="=cmd|' /C calc'!A0")
    person = Person.objects.filter(last_name="=cmd|' /C calc'!A0").first()
    assert person is not None
    exported = io.StringIO()
    write_csv(kind_get("staff"), exported)
    assert "\"'=cmd|' /C calc'!A0\"" in exported.getvalue() or "'=cmd|' /C calc'!A0" in exported.getvalue()
    assert "\n=cmd" not in exported.getvalue() and ",=cmd" not in exported.getvalue()
    workbook = tmp_path / "staff.xlsx"
    write_xlsx(kind_get("staff"), workbook)
    sheet = openpyxl.load_workbook(workbook).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell for cell in cells if cell.data_type == "f"], "a cell was written as a formula"
    path = tmp_path / "staff.csv"
    path.write_text(exported.getvalue())
    again = import_file(kind_name="staff", path=path, actor=ACTOR)
    assert again.ok and (again.counts.created, again.counts.updated) == (0, 0)
    person.refresh_from_db()
    assert person.last_name == "=cmd|' /C calc'!A0"
