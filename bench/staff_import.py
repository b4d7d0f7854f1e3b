"""One timed run, in its own process so peak memory is its own: python -m bench.staff_import MODE FILE.

MODE is `carelead` (the real importer with full validation), `floor` (the same rows loaded with no
validation: executemany into a bare table on SQLite, COPY on PostgreSQL) or `import_export`
(django-import-export on the same file). Prints one JSON object.
"""

import csv
import json
import os
import resource
import sys
import time
from pathlib import Path


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    mode, path = sys.argv[1], Path(sys.argv[2])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    organisations = path.with_name("organisations.csv")
    from carelead.audit.services import Actor
    from carelead.imports.services import import_file

    import_file(kind_name="organisations", path=organisations, actor=Actor(system="bench"))
    baseline = peak_mb()
    started = time.perf_counter()
    rows = 0
    if mode == "carelead":
        result = import_file(kind_name="staff", path=path, actor=Actor(system="bench"))
        assert result.written, [p.render() for p in result.problems[:5]]
        rows = result.rows
    elif mode == "floor":
        with open(path, newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            columns = ", ".join(f'"{c}"' for c in header)
            with connection.cursor() as cursor:
                cursor.execute(f"CREATE TABLE bench_floor ({', '.join(f'{c} TEXT' for c in header)})")
                if connection.vendor == "postgresql":
                    with cursor.cursor.copy(f"COPY bench_floor ({columns}) FROM STDIN") as copy:
                        for record in reader:
                            copy.write_row(record)
                            rows += 1
                else:
                    placeholders = ", ".join(["%s"] * len(header))
                    batch = []
                    for record in reader:
                        batch.append(record)
                        rows += 1
                        if len(batch) == 5000:
                            cursor.executemany(f"INSERT INTO bench_floor VALUES ({placeholders})", batch)
                            batch = []
                    if batch:
                        cursor.executemany(f"INSERT INTO bench_floor VALUES ({placeholders})", batch)
            connection.commit() if not connection.get_autocommit() else None
    elif mode == "import_export":
        from bench.import_export_resource import run_import_export

        rows = run_import_export(path)
    else:
        raise SystemExit(f"unknown mode {mode}")
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "mode": mode,
                "rows": rows,
                "seconds": round(seconds, 3),
                "peak_mb": round(peak_mb(), 1),
                "baseline_mb": round(baseline, 1),
                "vendor": connection.vendor,
            }
        )
    )


if __name__ == "__main__":
    main()
