"""make bench: run each benchmark beside its baseline, print a table and write bench/results/latest.json."""

import json
import os
import platform
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bench.staff_file import write_organisations, write_staff

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PG = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/carelead_bench")
SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "20000,200000,400000").split(",")]
MODES = os.environ.get("BENCH_MODES", "carelead,floor,import_export,equality,matching,pages").split(",")
STAFF_MODES = [m for m in MODES if m in ("carelead", "floor", "import_export")]
# The equality, matching and persona-page benchmarks: the region demo in a fresh SQLite database, and any
# database named here (for example one holding the national demo on PostgreSQL).
EQUALITY_DATABASES = [u for u in os.environ.get("BENCH_EQUALITY_DATABASES", "").split(",") if u]
# django-import-export writes row by row; past this size its run takes too long for a routine bench.
IMPORT_EXPORT_MAX_ROWS = int(os.environ.get("BENCH_IMPORT_EXPORT_MAX_ROWS", "20000"))


def postgres_available() -> bool:
    try:
        import psycopg

        psycopg.connect(PG.rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
        return True
    except Exception:
        return False


def run_one(mode: str, staff: Path, database: str, data_dir: Path) -> dict:
    env = {**os.environ, "CARELEAD_DATA_DIR": str(data_dir), "DATABASE_URL": database}
    done = subprocess.run(
        [sys.executable, "-m", "bench.staff_import", mode, str(staff)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return {"mode": mode, "error": done.stderr.strip().splitlines()[-1] if done.stderr else "failed"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def fresh_postgres(name: str) -> str:
    import psycopg

    url = PG.rsplit("/", 1)[0]
    with psycopg.connect(url + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{url}/{name}"


def main() -> None:
    rows = []
    databases = ["sqlite"] + (["postgresql"] if postgres_available() else [])
    with tempfile.TemporaryDirectory(prefix="carelead-bench-") as tmp:
        tmp_path = Path(tmp)
        write_organisations(tmp_path / "organisations.csv")
        for size in SIZES if STAFF_MODES else []:
            staff = tmp_path / f"staff-{size}.csv"
            write_staff(staff, size)
            for vendor in databases:
                for mode in STAFF_MODES:
                    if mode == "import_export" and size > IMPORT_EXPORT_MAX_ROWS:
                        continue
                    data_dir = tmp_path / f"{vendor}-{mode}-{size}"
                    data_dir.mkdir()
                    if vendor == "sqlite":
                        database = f"sqlite:///{data_dir / 'bench.sqlite3'}"
                    else:
                        database = fresh_postgres(f"carelead_bench_{mode}_{size}")
                    result = run_one(mode, staff, database, data_dir)
                    result.update({"benchmark": "staff_import", "database": vendor, "size": size})
                    rows.append(result)
                    print(
                        f"  {vendor:<10} {size:>8,} {mode:<14} "
                        + (
                            f"{result['seconds']:>8.1f}s {result['peak_mb']:>8.0f} MB"
                            if "seconds" in result
                            else result["error"]
                        ),
                        flush=True,
                    )
    equality, matching, pages = demo_runs() if {"equality", "matching", "pages"} & set(MODES) else ([], [], [])
    summary = summarise(rows)
    RESULTS.mkdir(parents=True, exist_ok=True)
    payload = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": platform.platform(),
        "cpus": os.cpu_count(),
        "runs": rows,
        "summary": summary,
        "equality": equality,
        "matching": matching,
        "pages": pages,
    }
    (RESULTS / "latest.json").write_text(json.dumps(payload, indent=2) + "\n")
    print_table(summary)
    print_equality(equality)
    print_matching(matching)
    print_pages(pages)
    print(f"\nwritten to {RESULTS / 'latest.json'}")


def summarise(rows: list[dict]) -> list[dict]:
    out = []
    for vendor in sorted({r["database"] for r in rows}):
        for size in sorted({r["size"] for r in rows}):
            by_mode = {r["mode"]: r for r in rows if r["database"] == vendor and r["size"] == size and "seconds" in r}
            if "carelead" not in by_mode:
                continue
            ours = by_mode["carelead"]
            line = {
                "database": vendor,
                "rows": size,
                "carelead_s": ours["seconds"],
                "carelead_rows_per_s": round(size / ours["seconds"]),
                "carelead_peak_mb": ours["peak_mb"],
            }
            if "floor" in by_mode:
                line["floor_s"] = by_mode["floor"]["seconds"]
                line["x_floor"] = round(ours["seconds"] / by_mode["floor"]["seconds"], 1)
            if "import_export" in by_mode:
                line["import_export_s"] = by_mode["import_export"]["seconds"]
                line["x_faster_than_import_export"] = round(by_mode["import_export"]["seconds"] / ours["seconds"], 1)
            out.append(line)
    return out


def print_table(summary: list[dict]) -> None:
    print("\nStaff import (full validation, one transaction) against its baselines")
    print(
        f"{'database':<11}{'rows':>9}{'CareLead s':>12}{'rows/s':>9}{'peak MB':>9}{'floor s':>9}{'× floor':>9}"
        f"{'import-export s':>17}"
    )
    for s in summary:
        print(
            f"{s['database']:<11}{s['rows']:>9,}{s['carelead_s']:>12.1f}{s['carelead_rows_per_s']:>9,}"
            f"{s['carelead_peak_mb']:>9.0f}{s.get('floor_s', float('nan')):>9.1f}{s.get('x_floor', float('nan')):>9.1f}"
            f"{s.get('import_export_s', float('nan')):>17.1f}"
        )


def _bench(module: str, args: list[str], env: dict) -> dict:
    """Run one benchmark module in its own process; its last line of output is its JSON result."""
    done = subprocess.run(
        [sys.executable, "-m", module, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode == 0:
        return json.loads(done.stdout.strip().splitlines()[-1])
    return {"benchmark": module.split(".")[-1], "error": (done.stderr.strip().splitlines() or ["failed"])[-1]}


def demo_runs() -> tuple[list[dict], list[dict], list[dict]]:
    """On the region demo in a fresh SQLite database and on each database in BENCH_EQUALITY_DATABASES: WRES, WDES
    and the fairness monitors for every scope beside DuckDB computing the core indicators; ranking the largest
    talent pool for a vacancy beside a plain read of the same members (plus synthetic pools of set sizes); and
    every persona's main pages with the progression gate for one person."""
    equality, matching, pages = [], [], []
    with tempfile.TemporaryDirectory(prefix="carelead-bench-eq-") as tmp:
        data_dir = Path(tmp)
        region = f"sqlite:///{data_dir / 'region.sqlite3'}"
        env = {**os.environ, "CARELEAD_DATA_DIR": str(data_dir), "DATABASE_URL": region}
        env["CARELEAD_TRENDS_REFRESH_ON_CHANGE"] = "0"
        carelead = [str(Path(sys.executable).parent / "carelead")]
        subprocess.run([*carelead, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run(
            [*carelead, "demo", "--size", "region", "--no-progress"], cwd=ROOT, env=env, check=True, capture_output=True
        )
        for n, database in enumerate([region, *EQUALITY_DATABASES]):
            run_env = {**env, "DATABASE_URL": database}
            if "equality" in MODES:
                equality.append(_bench("bench.equality", [], run_env))
            if "matching" in MODES:
                matching.append(_bench("bench.matching", ["--demo"], run_env))
            if "pages" in MODES:
                # A cache of its own, so the first request of each page is cold whatever ran before it.
                pages_dir = data_dir / f"pages-{n}"
                pages_dir.mkdir()
                pages.append(_bench("bench.pages", [], {**run_env, "CARELEAD_DATA_DIR": str(pages_dir)}))
        if "matching" in MODES:
            synthetic = {**env, "DATABASE_URL": f"sqlite:///{data_dir / 'matching.sqlite3'}"}
            matching.append(_bench("bench.matching", ["--sizes", "1000,3000", "--runs", "9"], synthetic))
    return equality, matching, pages


def print_equality(runs: list[dict]) -> None:
    print("\nEquality standards and fairness monitors for every scope, against DuckDB (core indicators)")
    print(f"{'database':<11}{'staff':>11}{'scopes':>8}{'CareLead s':>12}{'DuckDB s':>10}{'copy s':>8}{'agree':>7}")
    for r in runs:
        if "error" in r:
            print(f"  error: {r['error']}")
            continue
        agree = "yes" if r["max_abs_difference"] < 1e-9 else f"{r['max_abs_difference']:.2g}"
        print(
            f"{r['database']:<11}{r['staff']:>11,}{r['scopes']:>8,}{r['carelead_s']:>12.1f}{r['duckdb_s']:>10.1f}"
            f"{r['duckdb_load_s']:>8.1f}{agree:>7}"
        )


def print_matching(runs: list[dict]) -> None:
    print("\nRanking a talent pool for one vacancy, against a plain read of the same members")
    print(
        f"{'database':<11}{'kind':<11}{'staff':>11}{'pool':>7}{'ranked':>8}{'median ms':>11}{'p95 ms':>9}"
        f"{'plain ms':>10}{'queries':>9}"
    )
    for r in runs:
        if "error" in r:
            print(f"  error: {r['error']}")
            continue
        for x in r["results"]:
            print(
                f"{r['database']:<11}{r['kind']:<11}{r['staff']:>11,}{x['pool']:>7,}{x['ranked']:>8,}"
                f"{x['median_ms']:>11.0f}{x['p95_ms']:>9.0f}{x['baseline_median_ms']:>10.0f}{x['queries']:>9}"
            )


def _size_label(run: dict) -> str:
    return f"{run['database']} {run['staff']:,}"


def print_pages(runs: list[dict]) -> None:
    """One line per persona and page, each database's median, p95 and queries side by side (the region demo first,
    then each database in BENCH_EQUALITY_DATABASES); "queries differ" flags a page whose query count is not the same
    everywhere, which means a query runs per row somewhere."""
    ok = [r for r in runs if "error" not in r]
    for r in runs:
        if "error" in r:
            print(f"\npersona pages: error: {r['error']}")
    if not ok:
        return
    print("\nEach persona's main pages (server time in process, after one warm-up request), and the queries they make")
    print(f"{'':<44}" + "".join(f" | {_size_label(r) + ' staff':<30}" for r in ok))
    print(
        f"{'persona':<16}{'page':<28}"
        + "".join(f" | {'median':>9}{'p95':>9}{'queries':>8}{'':>4}" for _ in ok)
        + ("   queries differ" if len(ok) > 1 else "")
    )
    keys = []
    for r in ok:
        for p in r["pages"]:
            if (p["persona"], p["name"]) not in keys:
                keys.append((p["persona"], p["name"]))
    for persona, name in keys:
        line, counts = f"{persona:<16}{name:<28}", set()
        for r in ok:
            p = next((x for x in r["pages"] if (x["persona"], x["name"]) == (persona, name)), None)
            if p is None:
                line += f" | {'':>30}"
            elif "error" in p:
                line += f" | {p['error'][:30]:>30}"
            else:
                counts.add(p["queries"])
                line += f" | {p['median_ms']:>7.0f}ms{p['p95_ms']:>7.0f}ms{p['queries']:>8}{'':>4}"
        if len(ok) > 1 and len(counts) > 1:
            line += "   yes"
        print(line)
    print("\nThe progression gate for one person, against a plain read of their training records")
    print(f"{'database':<26}{'people':>8}{'median ms':>11}{'p95 ms':>9}{'queries':>9}{'plain ms':>10}")
    for r in ok:
        e = r["eligibility"]
        if "error" in e:
            print(f"{_size_label(r):<26}  error: {e['error']}")
            continue
        print(
            f"{_size_label(r):<26}{e['people']:>8}{e['median_ms']:>11.1f}{e['p95_ms']:>9.1f}{e['queries']:>9}"
            f"{e['baseline_median_ms']:>10.1f}"
        )


if __name__ == "__main__":
    main()
