"""The equality engine against a columnar baseline: every WRES and WDES figure for every scope.

Run in a process whose DATABASE_URL holds data (the demo, or real imports):

    python -m bench.equality --period 2025-26

It times CareLead computing WRES, WDES and the fairness monitors for every organisation, ICB, region and England
from its own database (cold cache), then copies the records the core indicators need into DuckDB (an in-memory
columnar analytics engine; the copy is timed separately) and computes WRES1 headcounts, WRES2, WRES3 (pooled
two years) and WRES4 for every scope there. The two answers are compared figure by figure, so the benchmark is
also a cross-check of the engine. Prints one JSON line.
"""

import argparse
import csv
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ETHNIC_GROUP_SQL = """
    CASE WHEN ethnic IS NULL OR ethnic = '' OR ethnic = '99' THEN 'unknown'
         WHEN left(ethnic, 1) IN ('A', 'B', 'C') THEN 'white'
         WHEN left(ethnic, 1) IN ('D','E','F','G','H','J','K','L','M','N','P','R','S') THEN 'bme'
         ELSE 'unknown' END
"""


def _dump(path: Path, sql: str) -> int:
    """Stream a query's rows to CSV with the Django connection (no rows held in memory)."""
    from django.db import connection

    n = 0
    with connection.cursor() as cursor, open(path, "w", newline="", encoding="utf-8") as handle:
        cursor.execute(sql)
        writer = csv.writer(handle)
        writer.writerow([c[0] for c in cursor.description])
        while batch := cursor.fetchmany(20000):
            writer.writerows(batch)
            n += len(batch)
    return n


def carelead_run(period_label: str) -> tuple[float, dict, int]:
    from carelead.equality.engine import Period, compute_standards
    from carelead.equality.monitors import compute_monitors

    period = Period.parse(period_label)
    started = time.perf_counter()
    both = compute_standards(period=period, published=False)
    wres, wdes = both["wres"], both["wdes"]
    monitors = compute_monitors(period=period, published=False)
    seconds = time.perf_counter() - started
    scopes = {r["scope"] for r in wres}
    index = {(r["code"], r["scope"]): r for r in wres if r["code"] in ("WRES2", "WRES3", "WRES4")}
    return seconds, {"index": index, "rows": len(wres) + len(wdes) + len(monitors)}, len(scopes)


def duckdb_run(period_label: str, workdir: Path) -> tuple[float, float, dict]:
    import duckdb

    from carelead.equality.engine import Period

    period = Period.parse(period_label)
    previous = period.previous
    load_started = time.perf_counter()
    _dump(
        workdir / "orgs.csv",
        "SELECT o.id, o.code, o.type, i.code AS icb, r.code AS region FROM organisations_organisation o "
        "LEFT JOIN organisations_organisation i ON i.id = o.icb_id "
        "LEFT JOIN organisations_organisation r ON r.id = o.region_id",
    )
    _dump(
        workdir / "people.csv",
        "SELECT p.id, p.organisation_id AS org, p.pay_band AS band, p.start_date, p.end_date, p.bank, "
        "m.ethnic_category AS ethnic FROM people_person p "
        "LEFT JOIN people_equalitymonitoring m ON m.person_id = p.id",
    )
    _dump(workdir / "disciplinary.csv", "SELECT person_id, date FROM equality_disciplinarycase")
    _dump(
        workdir / "recruitment.csv",
        "SELECT organisation_id AS org, date, shortlisted, appointed, ethnic_category AS ethnic "
        "FROM equality_recruitmentdecision",
    )
    _dump(
        workdir / "cpd.csv",
        "SELECT person_id, date FROM learning_trainingrecord WHERE mandatory = " + _false(),
    )
    db = duckdb.connect()
    for name in ("orgs", "people", "disciplinary", "recruitment", "cpd"):
        db.execute(f"CREATE TABLE {name} AS SELECT * FROM read_csv_auto('{workdir / name}.csv', header=true)")
    load_seconds = time.perf_counter() - load_started

    started = time.perf_counter()
    db.execute(
        """
        CREATE TEMP TABLE scopes AS
        SELECT id AS org, 'national' AS scope FROM orgs
        UNION ALL SELECT id, 'org:' || code FROM orgs WHERE type NOT IN ('national', 'region', 'icb')
        UNION ALL SELECT id, 'icb:' || icb FROM orgs WHERE icb IS NOT NULL
        UNION ALL SELECT id, 'region:' || region FROM orgs WHERE region IS NOT NULL
        """
    )
    db.execute(f"CREATE TEMP TABLE staff AS SELECT *, {ETHNIC_GROUP_SQL} AS grp FROM people WHERE NOT bank::BOOLEAN")

    def in_post(day) -> str:
        return f"start_date <= DATE '{day}' AND (end_date IS NULL OR end_date >= DATE '{day}')"

    results: dict = {}
    # WRES1: headcount shares per band and group, every scope.
    results["WRES1_cells"] = db.execute(
        f"""SELECT count(*) FROM (SELECT s.scope, band, grp, count(*) FROM staff JOIN scopes s ON s.org = staff.org
        WHERE {in_post(period.end)} GROUP BY ALL)"""
    ).fetchone()[0]
    # WRES2: appointment from shortlisting.
    wres2 = db.execute(
        f"""SELECT s.scope,
          count(*) FILTER (WHERE g = 'white' AND appointed::BOOLEAN), count(*) FILTER (WHERE g = 'white'),
          count(*) FILTER (WHERE g = 'bme' AND appointed::BOOLEAN), count(*) FILTER (WHERE g = 'bme')
        FROM (SELECT *, {ETHNIC_GROUP_SQL} AS g FROM recruitment
              WHERE shortlisted::BOOLEAN AND date BETWEEN DATE '{period.start}' AND DATE '{period.end}') r
        JOIN scopes s ON s.org = r.org GROUP BY s.scope"""
    ).fetchall()
    # WRES3: distinct entrants in each year over both year-end headcounts, pooled.
    wres3 = db.execute(
        f"""WITH entrants AS (
          SELECT DISTINCT d.person_id, staff.org, staff.grp,
                 CASE WHEN d.date >= DATE '{period.start}' THEN 1 ELSE 0 END AS yr
          FROM disciplinary d JOIN staff ON staff.id = d.person_id
          WHERE d.date BETWEEN DATE '{previous.start}' AND DATE '{period.end}')
        SELECT s.scope, count(*) FILTER (WHERE e.grp = 'bme'), count(*) FILTER (WHERE e.grp = 'white')
        FROM entrants e JOIN scopes s ON s.org = e.org GROUP BY s.scope"""
    ).fetchall()
    heads3 = {
        (scope, grp): n
        for scope, grp, n in db.execute(
            f"""SELECT s.scope, grp, count(*) FILTER (WHERE {in_post(period.end)})
                   + count(*) FILTER (WHERE {in_post(previous.end)})
                FROM staff JOIN scopes s ON s.org = staff.org GROUP BY ALL"""
        ).fetchall()
    }
    # WRES4: staff in post with a non-mandatory record in the year.
    wres4 = db.execute(
        f"""WITH took AS (SELECT DISTINCT person_id FROM cpd
                          WHERE date BETWEEN DATE '{period.start}' AND DATE '{period.end}')
        SELECT s.scope,
          count(*) FILTER (WHERE grp = 'white' AND took.person_id IS NOT NULL), count(*) FILTER (WHERE grp = 'white'),
          count(*) FILTER (WHERE grp = 'bme' AND took.person_id IS NOT NULL), count(*) FILTER (WHERE grp = 'bme')
        FROM staff LEFT JOIN took ON took.person_id = staff.id JOIN scopes s ON s.org = staff.org
        WHERE {in_post(period.end)} GROUP BY s.scope"""
    ).fetchall()
    seconds = time.perf_counter() - started

    def ratio(a, n1, c, n2):
        return None if not n1 or not n2 or not c else (a / n1) / (c / n2)

    results["WRES2"] = {scope: ratio(a, n1, c, n2) for scope, a, n1, c, n2 in wres2}
    results["WRES3"] = {
        scope: ratio(bme, heads3.get((scope, "bme"), 0), white, heads3.get((scope, "white"), 0))
        for scope, bme, white in wres3
    }
    results["WRES4"] = {scope: ratio(a, n1, c, n2) for scope, a, n1, c, n2 in wres4}
    return load_seconds, seconds, results


def _false() -> str:
    from django.db import connection

    return "false" if connection.vendor == "postgresql" else "0"


def compare(ours: dict, theirs: dict) -> dict:
    """How many figures both engines computed, and the largest difference between them."""
    checked, worst = 0, 0.0
    for code in ("WRES2", "WRES3", "WRES4"):
        for scope, value in theirs[code].items():
            row = ours["index"].get((code, scope))
            if row is None or value is None or row["value"] is None:
                continue
            checked += 1
            worst = max(worst, abs(row["value"] - value))
    return {"figures_compared": checked, "max_abs_difference": worst}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--period", default="2025-26")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from django.db import connection

    from carelead.people.models import Person

    staff = Person.objects.count()
    ours_s, ours, scopes = carelead_run(args.period)
    with tempfile.TemporaryDirectory(prefix="carelead-bench-eq-") as tmp:
        load_s, theirs_s, theirs = duckdb_run(args.period, Path(tmp))
    result = {
        "benchmark": "equality",
        "database": connection.vendor,
        "staff": staff,
        "scopes": scopes,
        "carelead_s": round(ours_s, 2),
        "carelead_rows": ours["rows"],
        "duckdb_load_s": round(load_s, 2),
        "duckdb_s": round(theirs_s, 2),
        **compare(ours, theirs),
    }
    print(json.dumps(result))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
