"""The regulator's evidence pack as a workbook: one sheet per part, published figures only."""

import io
from typing import Any

import openpyxl
from openpyxl.styles import Font

from carelead.core import spreadsheet
from carelead.equality.engine import Period
from carelead.equality.monitors import GROUP_LABELS, MONITORS
from carelead.organisations.models import Organisation

BOLD = Font(bold=True)


def _sheet(book, title: str, header: list[str], rows: list[list[Any]]) -> None:
    sheet = book.create_sheet(title[:31])
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = BOLD
    for row in rows:
        sheet.append(
            [
                "*" if v is None and i and header[i] in ("Value", "Count") else spreadsheet.neutralise(v)
                for i, v in enumerate(row)
            ]
        )
    sheet.freeze_panes = "A2"
    for column, name in zip(sheet.columns, header, strict=False):
        sheet.column_dimensions[column[0].column_letter].width = max(12, min(60, len(name) + 4))


def _shown(row: dict | None) -> Any:
    if row is None:
        return "no data"
    if row.get("suppressed"):
        return "*"
    return row.get("value") if row.get("value") is not None else (row.get("note") or "not defined")


def evidence_workbook(*, org: Organisation, period: Period, pack: dict) -> bytes:
    book = openpyxl.Workbook()
    about = book.active
    about.title = "About"
    for line in [
        [f"Equality evidence pack: {org.name} ({org.code})"],
        [f"Financial year {period.label}: {period.start.isoformat()} to {period.end.isoformat()}"],
        ["Published figures: counts from 1 to 7 are shown as *, other counts are rounded to the nearest 5, and"],
        ["figures are worked out from the rounded counts. Relative likelihoods above 1 mean the minority group"],
        ["fares worse. The 0.80 to 1.25 band is a locally adopted setting, not an NHS England rule."],
    ]:
        about.append(line)
    about["A1"].font = BOLD
    _sheet(
        book,
        "Headlines",
        ["Indicator", "What it measures", "Value", "CI low", "CI high"],
        [
            [code, label, _shown(row), (row or {}).get("ci_low"), (row or {}).get("ci_high")]
            for code, label, row in pack["headlines"]
        ],
    )
    _sheet(
        book,
        "Staff survey",
        ["Indicator", "Group", "Percent", "Respondents"],
        [[r["code"], r["group"], _shown(r), r.get("respondents")] for r in pack["survey"]],
    )
    _sheet(
        book,
        "Board",
        [
            "Indicator",
            "Board members",
            "Gap (points)",
            "Group on board",
            "Board total",
            "Group in workforce",
            "Workforce",
        ],
        [
            [
                r["code"],
                r["board_part"],
                _shown(r),
                r.get("board_count"),
                r.get("board_total"),
                r.get("workforce_count"),
                r.get("workforce_total"),
            ]
            for r in pack["board"]
        ],
    )
    _sheet(
        book,
        "Fairness monitors",
        [
            "Decision",
            "Characteristic",
            "Group",
            "Compared with",
            "Relative likelihood",
            "CI low",
            "CI high",
            "Outside band",
        ],
        [
            [
                MONITORS[r["code"]].title if r["code"] in MONITORS else r["code"],
                r["characteristic"],
                GROUP_LABELS.get(r["group"], r["group"]),
                GROUP_LABELS.get(r["reference"], r["reference"]),
                _shown(r),
                r.get("ci_low"),
                r.get("ci_high"),
                {True: "yes", False: "no"}.get(r.get("outside_band"), ""),
            ]
            for r in pack["monitors"]
        ],
    )
    trend_rows = []
    for code, charts in pack["charts"]:
        for entry in charts:
            for p in entry["points"]:
                value = "*" if p["suppressed"] else p["value"]
                variation = ""
                if entry["chart"] is not None:
                    classes = {c.date: c.variation_label for c in entry["chart"].points}
                    variation = classes.get(p["quarter_end"].isoformat(), "")
                trend_rows.append([code, entry["series"].title, p["date"], value, variation])
    _sheet(book, "Trends", ["Indicator", "Series", "Quarter ending", "Value", "Variation"], trend_rows)
    _sheet(
        book,
        "Action plan",
        ["Measure", "Action", "Success measure", "Owner", "Start", "Due", "Status", "Overdue"],
        [
            [
                a.measure_code,
                a.title,
                a.success_measure,
                f"{a.owner_name}, {a.owner_role}",
                a.start_on,
                a.due_on,
                a.get_status_display(),
                a.is_overdue,
            ]
            for a in pack["actions"] or []
        ],
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
