"""The import runner: streaming, row/column errors, all-or-nothing, idempotence and round trips."""

import csv
import datetime
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carelead.audit.models import AuditLog
from carelead.audit.services import Actor
from carelead.core.exporting import write_csv
from carelead.core.importing import CellError, format_cell, parse_bool, parse_date
from carelead.imports.registry import KINDS, kind_get
from carelead.imports.services import import_file
from carelead.people.models import EmploymentChange, EqualityMonitoring, Person

SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "samples"
ACTOR = Actor(system="test")

STAFF_HEADER = [
    "staff_id",
    "org_code",
    "first_name",
    "last_name",
    "pay_band",
    "level",
    "line_manager_id",
    "start_date",
    "end_date",
    "bank",
    "sex",
    "ethnic_category",
    "disability",
]


def write(tmp_path: Path, name: str, rows: list[list], header: list[str] = STAFF_HEADER, bom: bool = False) -> Path:
    path = tmp_path / name
    with open(path, "w", newline="", encoding="utf-8-sig" if bom else "utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def staff_row(staff_id, org="RAA", manager="", band="5", level="staff", ethnic="A", **extra):
    return [staff_id, org, "Test", f"Person {staff_id}", band, level, manager, "01/04/2020", "", "N", "F", ethnic, "N"]


@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_both_date_forms_parse_to_the_same_day(day):
    assert parse_date(day.isoformat()) == day
    assert parse_date(day.strftime("%d/%m/%Y")) == day
    assert parse_date(format_cell(day)) == day


@given(st.booleans())
def test_booleans_round_trip(value):
    assert parse_bool(format_cell(value)) is value


@given(st.decimals(min_value=0, max_value=100, places=2, allow_nan=False))
def test_decimals_round_trip(value):
    assert Decimal(format_cell(value)) == value


@pytest.mark.parametrize("text", ["2026-02-30", "31/04/2025", "2026/01/01", "1 April 2026", "20260101", "99/99/9999"])
def test_impossible_or_unknown_dates_are_refused(text):
    with pytest.raises(CellError) as error:
        parse_date(text)
    assert error.value.code == "invalid_date"


def test_every_bad_row_is_named_and_nothing_is_written(world, tmp_path):
    before = Person.objects.count()
    path = write(
        tmp_path,
        "staff.csv",
        [
            staff_row("N-1"),
            staff_row("N-2", ethnic="Q"),
            staff_row("N-3", band="10"),
            staff_row("N-4", manager="NOBODY"),
            staff_row("N-5", org="ZZZ"),
            staff_row("N-1"),
            staff_row("N-6"),
        ],
    )
    result = import_file(kind_name="staff", path=path, actor=ACTOR)
    rendered = [p.render() for p in result.problems]
    assert rendered[0].startswith("row 2, column ethnic_category:")
    assert rendered[1].startswith("row 3, column pay_band:")
    assert rendered[2].startswith("row 4, column line_manager_id:")
    assert rendered[3].startswith("row 5, column org_code:")
    assert rendered[4].startswith("row 6, column staff_id:") and "earlier in the file" in rendered[4]
    assert result.problem_count == 5
    assert not result.written
    assert Person.objects.count() == before
    assert not Person.objects.filter(staff_id__in=["N-1", "N-6"]).exists()


def test_a_manager_defined_earlier_in_the_file_resolves_a_later_one_does_not(world, tmp_path):
    ok = write(tmp_path, "ok.csv", [staff_row("M-1", level="first_line", band="7"), staff_row("M-2", manager="M-1")])
    assert import_file(kind_name="staff", path=ok, actor=ACTOR).written
    assert Person.objects.get(staff_id="M-2").line_manager.staff_id == "M-1"
    late = write(tmp_path, "late.csv", [staff_row("L-2", manager="L-1"), staff_row("L-1")])
    result = import_file(kind_name="staff", path=late, actor=ACTOR)
    assert [p.column for p in result.problems] == ["line_manager_id"]


def test_importing_twice_changes_nothing_and_history_records_a_promotion(world, tmp_path):
    from carelead.standards.models import Requirement

    Requirement.objects.update(active=False)  # the progression gate has its own tests
    path = write(tmp_path, "staff.csv", [staff_row("P-1")])
    first = import_file(kind_name="staff", path=path, actor=ACTOR)
    assert (first.counts.created, first.counts.updated) == (1, 0)
    second = import_file(kind_name="staff", path=path, actor=ACTOR)
    assert (second.counts.created, second.counts.updated, second.counts.unchanged) == (0, 0, 1)
    promoted = write(tmp_path, "promoted.csv", [staff_row("P-1", band="7", level="first_line")])
    third = import_file(kind_name="staff", path=promoted, actor=ACTOR)
    assert third.counts.updated == 1
    history = list(EmploymentChange.objects.filter(person__staff_id="P-1").order_by("id"))
    assert [h.kind for h in history] == ["started", "changed"]
    assert history[1].previous == {"pay_band": "5", "level": "staff"}
    assert (history[1].pay_band, history[1].level) == ("7", "first_line")


def test_dry_run_reports_but_writes_nothing(world, tmp_path):
    path = write(tmp_path, "staff.csv", [staff_row("D-1")])
    result = import_file(kind_name="staff", path=path, actor=ACTOR, dry_run=True)
    assert result.ok and result.counts.created == 1 and not result.written
    assert not Person.objects.filter(staff_id="D-1").exists()


def test_headers_are_case_insensitive_bom_accepted_unknown_columns_warned(world, tmp_path):
    header = [h.upper() for h in STAFF_HEADER] + ["Favourite colour"]
    path = write(tmp_path, "staff.csv", [[*staff_row("B-1"), "blue"]], header=header, bom=True)
    result = import_file(kind_name="staff", path=path, actor=ACTOR)
    assert result.written
    assert result.warnings == ["column Favourite colour is not used by a staff import and was ignored"]


def test_a_missing_required_column_is_reported_by_name(world, tmp_path):
    header = [h for h in STAFF_HEADER if h != "pay_band"]
    path = write(tmp_path, "staff.csv", [], header=header)
    result = import_file(kind_name="staff", path=path, actor=ACTOR)
    assert [p.render() for p in result.problems] == ["header, column pay_band: this required column is missing"]


def test_a_file_that_is_not_utf8_is_refused_cleanly(world, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_bytes(",".join(STAFF_HEADER).encode() + b"\nS-1,RAA,Jos\xe9\n")
    result = import_file(kind_name="staff", path=path, actor=ACTOR)
    assert not result.ok and result.problems[0].code == "not_utf8"


def test_xlsx_files_import_like_csv(world, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(STAFF_HEADER)
    sheet.append(
        ["X-1", "RAA", "Xan", "Lee", 6, "staff", None, datetime.datetime(2021, 5, 4), None, "N", "M", "N", "Y"]
    )
    path = tmp_path / "staff.xlsx"
    book.save(path)
    result = import_file(kind_name="staff", path=path, actor=ACTOR)
    assert result.written, [p.render() for p in result.problems]
    person = Person.objects.get(staff_id="X-1")
    assert (person.pay_band, person.start_date) == ("6", datetime.date(2021, 5, 4))
    assert EqualityMonitoring.objects.get(person=person).disability == "Y"


def test_a_scoped_import_cannot_reach_other_organisations(world, tmp_path):
    path = write(
        tmp_path,
        "staff.csv",
        [staff_row("RAA-NEW"), staff_row("RCC-NEW", org="RCC"), staff_row("RBB-00001", org="RAA")],
    )
    result = import_file(kind_name="staff", path=path, actor=ACTOR, scope_path=world.orgs["RAA"].path)
    assert {(p.row, p.column, p.code) for p in result.problems} == {
        (2, "org_code", "unknown_reference"),
        (3, "staff_id", "outside_scope"),
    }
    assert not Person.objects.filter(staff_id="RAA-NEW").exists()


def test_special_category_values_never_reach_the_audit_log(world, tmp_path):
    import_file(kind_name="staff", path=write(tmp_path, "a.csv", [staff_row("E-1", ethnic="A")]), actor=ACTOR)
    import_file(kind_name="staff", path=write(tmp_path, "b.csv", [staff_row("E-1", ethnic="N")]), actor=ACTOR)
    entry = AuditLog.objects.get(object_id="E-1", action=AuditLog.Action.UPDATE)
    assert entry.changes == {"ethnic_category": ["(changed)", "(changed)"]}


@pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"sample files not found at {SAMPLES}")
def test_every_sample_file_imports_exports_and_round_trips(db, tmp_path):
    order = [
        "organisations",
        "staff",
        "board_members",
        "recruitment",
        "training",
        "disciplinary",
        "capability",
        "survey",
    ]
    assert set(order) | {"appraisals"} == set(KINDS)  # appraisal history is CareLead's own kind, tested with it
    for name in order:
        result = import_file(kind_name=name, path=SAMPLES / f"{name}.csv", actor=ACTOR)
        assert result.written, (name, [p.render() for p in result.problems[:5]])
        again = import_file(kind_name=name, path=SAMPLES / f"{name}.csv", actor=ACTOR)
        assert (again.counts.created, again.counts.updated) == (0, 0), name
        exported = io.StringIO()
        rows = write_csv(kind_get(name), exported)
        assert rows == result.rows, name
        out = tmp_path / f"{name}.csv"
        out.write_text(exported.getvalue())
        round_trip = import_file(kind_name=name, path=out, actor=ACTOR)
        assert (round_trip.counts.created, round_trip.counts.updated) == (0, 0), name
        second = io.StringIO()
        write_csv(kind_get(name), second)
        assert second.getvalue() == exported.getvalue(), name


cell = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(cell, min_size=len(STAFF_HEADER), max_size=len(STAFF_HEADER)), max_size=6))
def test_arbitrary_cells_never_crash_and_never_half_write(rows):
    import tempfile

    from django.db import transaction

    with transaction.atomic():
        before = Person.objects.count()
        with tempfile.TemporaryDirectory() as tmp:
            result = import_file(kind_name="staff", path=write(Path(tmp), "fuzz.csv", rows), actor=ACTOR)
        assert all(p.row is None or 1 <= p.row <= len(rows) for p in result.problems)
        if not result.ok:
            assert Person.objects.count() == before
        transaction.set_rollback(True)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_are_refused_cleanly(data):
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "junk.csv"
        path.write_bytes(data)
        result = import_file(kind_name="organisations", path=path, actor=ACTOR)
    assert result.ok or result.problems


def test_date_of_birth_is_optional_checked_and_kept(world, tmp_path):
    header = [*STAFF_HEADER, "date_of_birth"]
    bad = write(tmp_path, "young.csv", [[*staff_row("B-1"), "2012-06-01"]], header=header)
    result = import_file(kind_name="staff", path=bad, actor=ACTOR)
    assert [p.render().split(":")[0] for p in result.problems] == ["row 1, column date_of_birth"]
    assert not Person.objects.filter(staff_id="B-1").exists()
    good = write(tmp_path, "ok.csv", [[*staff_row("B-1"), "1980-06-01"], [*staff_row("B-2"), ""]], header=header)
    assert import_file(kind_name="staff", path=good, actor=ACTOR).written
    born = dict(
        EqualityMonitoring.objects.filter(person__staff_id__in=["B-1", "B-2"]).values_list(
            "person__staff_id", "date_of_birth"
        )
    )
    assert born == {"B-1": datetime.date(1980, 6, 1), "B-2": None}
