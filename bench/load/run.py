"""Load test: `carelead serve` on PostgreSQL with several gunicorn workers, driven by locust (bench/load/locustfile.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/carelead_nat7 .venv/bin/python -m bench.load.run

Steps: find the demo personas' logins (the demo derives their passwords from its seed, so they are recomputed
and checked, never changed); start `carelead serve --workers N` with debug off; request every equality page once
as each persona that sees one and record those cold times (the figures are computed in the request and cached);
run the measured load (50 users, 5 spawned a second, 3 minutes); then a soak at fewer users while the workers'
resident memory is sampled every few seconds. Writes bench/results/load-latest.json and prints a summary.
The database must already hold a demo (`carelead demo --size national`); the test writes nothing to it beyond
what signing in writes (sessions and last-login times).
"""

import argparse
import csv
import json
import os
import platform
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import psutil
import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
WORK = ROOT / "var" / "load"
RESULTS = ROOT / "bench" / "results" / "load-latest.json"
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# Who sees which equality page when the run warms them: the pages whose figures are computed in the request.
EQUALITY_WARM = {
    "org_hr": ["/equality/", "/equality/measures/"],
    "regional_talent": ["/equality/"],
    "regulator": ["/equality/", "/equality/measures/"],
    "national_admin": ["/equality/"],
}


def demo_logins(*, seed: int) -> list[dict]:
    """The persona logins the demo made with this seed, each checked against the stored password hash."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from carelead.accounts.models import RoleAssignment
    from carelead.demo.names import NAME_GROUPS
    from carelead.demo.personas import PERSONAS, demo_password

    # Replays the random draws of carelead.demo.personas.personas_create in the same order.
    rng = random.Random(f"carelead-demo:{seed}:personas")
    groups = sorted(NAME_GROUPS)
    logins = []
    for persona in PERSONAS:
        assignment = RoleAssignment.objects.select_related("user").filter(role=persona).order_by("pk").first()
        if assignment is None:
            raise SystemExit(f"No {persona} login in this database: load a demo first")
        user = assignment.user
        if user.person_id is None:
            female, male, surnames = NAME_GROUPS[rng.choice(groups)]
            rng.choice(female + male)
            rng.choice(surnames)
        password = demo_password(rng=rng)
        if not user.check_password(password):
            raise SystemExit(f"The {persona} password is not the seed-{seed} demo's: pass --seed")
        logins.append({"persona": str(persona), "username": user.email, "password": password})
    return logins


def wait_for(url: str, *, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=10).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass
        time.sleep(0.5)
    raise SystemExit(f"The server did not answer {url} within {seconds:.0f} s")


def sign_in(host: str, login: dict) -> requests.Session:
    session = requests.Session()
    form = session.get(f"{host}/accounts/login/", timeout=30)
    token = CSRF.search(form.text).group(1)
    response = session.post(
        f"{host}/accounts/login/",
        data={"csrfmiddlewaretoken": token, "username": login["username"], "password": login["password"]},
        headers={"Referer": f"{host}/accounts/login/"},
        timeout=30,
    )
    if "sessionid" not in session.cookies:
        raise SystemExit(f"{login['persona']} could not sign in (HTTP {response.status_code})")
    return session


def warm_equality(host: str, logins: dict[str, dict]) -> list[dict]:
    """Request each equality page once per persona that sees it: the cold times, then one warm time each."""
    rows = []
    for persona, paths in EQUALITY_WARM.items():
        session = sign_in(host, logins[persona])
        for path in paths:
            timings = []
            for _ in range(2):
                started = time.perf_counter()
                response = session.get(f"{host}{path}", timeout=600)
                timings.append(round((time.perf_counter() - started) * 1000))
                if response.status_code != 200:
                    raise SystemExit(f"{persona} {path}: HTTP {response.status_code} while warming")
            rows.append({"persona": persona, "path": path, "cold_ms": timings[0], "warm_ms": timings[1]})
            print(f"  {persona:<16} {path:<22} cold {timings[0]:>7} ms, then {timings[1]:>5} ms", flush=True)
    return rows


class RssSampler(threading.Thread):
    """Samples the resident memory of the gunicorn master's worker processes every `every` seconds."""

    def __init__(self, master_pid: int, every: float):
        super().__init__(daemon=True)
        self.master = psutil.Process(master_pid)
        self.every = every
        self.samples: list[dict] = []
        self.halt = threading.Event()

    def run(self):
        started = time.monotonic()
        while not self.halt.is_set():
            workers = {}
            for child in self.master.children():
                try:
                    workers[str(child.pid)] = round(child.memory_info().rss / 2**20, 1)
                except psutil.NoSuchProcess:
                    continue
            self.samples.append({"t": round(time.monotonic() - started, 1), "rss_mib": workers})
            self.halt.wait(self.every)

    def summary(self) -> dict:
        """Per worker: RSS at the first and last sample, the peak, and the growth over the second half."""
        if not self.samples:
            return {}
        pids = sorted({pid for s in self.samples for pid in s["rss_mib"]})
        out = {}
        for pid in pids:
            series = [(s["t"], s["rss_mib"][pid]) for s in self.samples if pid in s["rss_mib"]]
            half = series[len(series) // 2 :]
            out[pid] = {
                "start_mib": series[0][1],
                "end_mib": series[-1][1],
                "peak_mib": max(v for _, v in series),
                "growth_mib": round(series[-1][1] - series[0][1], 1),
                "growth_second_half_mib": round(half[-1][1] - half[0][1], 1),
                "samples": len(series),
            }
        return out


def run_locust(*, host: str, users: int, spawn_rate: float, seconds: int, prefix: Path, logins_file: Path) -> dict:
    env = {**os.environ, "CARELEAD_LOAD_LOGINS": str(logins_file)}
    command = [
        str(BIN / "locust"),
        "-f",
        str(LOCUSTFILE),
        "--host",
        host,
        "--headless",
        "--only-summary",
        "-u",
        str(users),
        "-r",
        str(spawn_rate),
        "-t",
        f"{seconds}s",
        "--stop-timeout",
        "10",
        "--csv",
        str(prefix),
        "--loglevel",
        "WARNING",
    ]
    print(f"  locust: {users} users, {spawn_rate}/s, {seconds} s", flush=True)
    completed = subprocess.run(command, env=env, cwd=ROOT, check=False)
    stats = read_stats(prefix.with_name(prefix.name + "_stats.csv"))
    stats["locust_exit_code"] = completed.returncode
    failures_file = prefix.with_name(prefix.name + "_failures.csv")
    with failures_file.open(encoding="utf-8") as handle:
        stats["failures"] = list(csv.DictReader(handle))
    return stats


def read_stats(path: Path) -> dict:
    pages, total = [], None
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            entry = {
                "name": row["Name"],
                "method": row["Type"],
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "requests_per_s": round(float(row["Requests/s"]), 2),
                "median_ms": float(row["50%"]),
                "p95_ms": float(row["95%"]),
                "p99_ms": float(row["99%"]),
                "max_ms": round(float(row["Max Response Time"])),
                "mean_ms": round(float(row["Average Response Time"])),
            }
            if row["Name"] == "Aggregated":
                total = entry
            else:
                pages.append(entry)
    return {"total": total, "pages": sorted(pages, key=lambda p: p["name"])}


def hardware() -> dict:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "postgresql": pg_version(),
    }


def pg_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


def print_table(title: str, stats: dict) -> None:
    print(f"\n{title}")
    print(f"  {'page':<28} {'requests':>8} {'fail':>5} {'req/s':>7} {'median':>7} {'p95':>7} {'p99':>7}")
    for row in [*stats["pages"], stats["total"]]:
        print(
            f"  {row['name']:<28} {row['requests']:>8} {row['failures']:>5} {row['requests_per_s']:>7} "
            f"{row['median_ms']:>7.0f} {row['p95_ms']:>7.0f} {row['p99_ms']:>7.0f}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--seconds", type=int, default=180, help="length of the measured run")
    parser.add_argument("--soak-users", type=int, default=20)
    parser.add_argument("--soak-seconds", type=int, default=600, help="0 skips the soak")
    parser.add_argument("--sample-every", type=float, default=5, help="seconds between worker memory samples")
    parser.add_argument("--seed", type=int, default=1, help="the seed the demo was loaded with")
    parser.add_argument("--keep-cache", action="store_true", help="keep the figures cached by an earlier run")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to the PostgreSQL database that holds the demo")

    WORK.mkdir(parents=True, exist_ok=True)
    if not args.keep_cache:
        shutil.rmtree(WORK / "cache", ignore_errors=True)  # so the warm-up measures the cold equality pages
    logins = demo_logins(seed=args.seed)
    logins_file = WORK / "logins.json"
    logins_file.write_text(json.dumps(logins, indent=2), encoding="utf-8")
    logins_file.chmod(0o600)

    host = f"http://127.0.0.1:{args.port}"
    server_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "CARELEAD_DEBUG": "0",
        "CARELEAD_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # A cache of its own, so figures cached by other runs on other databases are never served.
        "CARELEAD_CACHE_LOCATION": str(WORK / "cache"),
        # No task worker runs in the rig: the warm-up requests compute the equality figures themselves.
        "CARELEAD_FIGURES_IN_REQUEST": "1",
        # A TOTP code is accepted once per 30-second step, so many simulated people sharing one persona's login
        # cannot all give one; the scenario measures the pages, and two-factor sign-in has its own tests.
        "CARELEAD_TWO_FACTOR_REQUIRED": "0",
    }
    log_path = WORK / "server.log"
    log = log_path.open("w", encoding="utf-8")
    command = [str(BIN / "carelead"), "serve", "--workers", str(args.workers), "--bind", f"127.0.0.1:{args.port}"]
    server = subprocess.Popen(command, env=server_env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    result: dict = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "hardware": hardware(),
        "server": {"command": " ".join(command[1:]), "workers": args.workers, "threads": 4, "debug": False},
        "database": os.environ["DATABASE_URL"].rsplit("/", 1)[-1],
        # With --keep-cache the equality pages were cached by an earlier run, so their "cold" times are warm.
        "equality_cache_kept": args.keep_cache,
    }
    try:
        wait_for(f"{host}/healthz", seconds=60)
        print("Warming the equality pages (cold figures are computed in the request):", flush=True)
        by_persona = {row["persona"]: row for row in logins}
        result["equality_cold"] = warm_equality(host, by_persona)

        def phase(users: int, seconds: int, name: str) -> tuple[dict, RssSampler]:
            """One locust run with the workers' memory sampled beside it."""
            sampler = RssSampler(server.pid, args.sample_every)
            sampler.start()
            run = {
                "users": users,
                "spawn_rate": args.spawn_rate,
                "seconds": seconds,
                **run_locust(
                    host=host,
                    users=users,
                    spawn_rate=args.spawn_rate,
                    seconds=seconds,
                    prefix=WORK / name,
                    logins_file=logins_file,
                ),
            }
            sampler.halt.set()
            sampler.join()
            run["worker_rss"] = sampler.summary()
            return run, sampler

        result["measured"], _ = phase(args.users, args.seconds, "measured")
        print_table(f"Measured: {args.users} users", result["measured"])

        if args.soak_seconds:
            result["soak"], soak_rss = phase(args.soak_users, args.soak_seconds, "soak")
            result["soak"]["rss_samples"] = soak_rss.samples
            print_table(f"Soak: {args.soak_users} users", result["soak"])
            print("\nWorker resident memory over the soak (MiB):")
            for pid, row in result["soak"]["worker_rss"].items():
                print(
                    f"  worker {pid}: {row['start_mib']} -> {row['end_mib']} (peak {row['peak_mib']}, "
                    f"second half {row['growth_second_half_mib']:+})"
                )
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()

    server_errors = [line for line in log_path.read_text(encoding="utf-8").splitlines() if "Traceback" in line]
    result["server_log_tracebacks"] = len(server_errors)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\nWrote {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}")
    failures = result["measured"]["total"]["failures"] + result.get("soak", {}).get("total", {}).get("failures", 0)
    return 1 if failures or server_errors else 0


if __name__ == "__main__":
    sys.exit(main())
