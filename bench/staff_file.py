"""Deterministic synthetic staff files for the import benchmarks."""

import csv
import random
from pathlib import Path

HEADER = [
    "staff_id",
    "org_code",
    "first_name",
    "last_name",
    "email",
    "job_title",
    "staff_group",
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
BANDS = [
    ("2", "staff"),
    ("3", "staff"),
    ("4", "staff"),
    ("5", "staff"),
    ("6", "staff"),
    ("7", "first_line"),
    ("8a", "middle"),
    ("8b", "middle"),
    ("8c", "senior"),
    ("VSM", "executive"),
]
ORGS = [f"B{i:02d}" for i in range(20)]


def write_organisations(path: Path) -> None:
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "name", "type", "parent_code", "sector"])
        writer.writerow(["BR1", "Bench Region", "region", "", "nhs"])
        writer.writerow(["BQ1", "Bench ICB", "icb", "BR1", "nhs"])
        for code in ORGS:
            writer.writerow([code, f"Bench Trust {code}", "trust", "BQ1", "nhs"])


def write_staff(path: Path, rows: int, seed: int = 7) -> None:
    """rows people; every 10th is a manager of the next nine, defined earlier in the file."""
    rnd = random.Random(seed)
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        manager = ""
        for i in range(rows):
            staff_id = f"BEN{i:07d}"
            band, level = BANDS[rnd.randrange(len(BANDS))]
            if i % 10 == 0:
                band, level, line_manager, manager = "7", "first_line", "", staff_id
            else:
                line_manager = manager
            writer.writerow(
                [
                    staff_id,
                    ORGS[i % len(ORGS)],
                    f"First{i}",
                    f"Last{i % 5000}",
                    f"person{i}@bench.example",
                    "Staff Nurse",
                    "Nursing and Midwifery Registered",
                    band,
                    level,
                    line_manager,
                    f"{2005 + i % 20}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                    "",
                    "N" if i % 17 else "Y",
                    "FMFFU"[i % 5],
                    "ABCDHJNZ"[i % 8],
                    "NNNNNNNYU"[i % 9],
                ]
            )
