"""Vacancy matching against a plain read of the same pool: how long ranking a region's pool for one vacancy takes.

Run in a process whose DATABASE_URL holds a CareLead database (a fresh one, the region demo or the national
demo on PostgreSQL):

    python -m bench.matching --sizes 1000,5000 --runs 15

For each size N it builds, on top of what the database holds, a synthetic region with 20 trusts and a talent pool
of N approved members for a senior vacancy: most complete the gating modules below senior (the rest fail the
gate), each with a talent conversation and a signed-off appraisal. It then times, run after run, the matching
engine ranking that pool (gate, standards evidence, readiness, appraisal, mobility, region, explanations) and,
as the baseline, a plain query fetching the same members with their organisations. Everything it writes is rolled
back at the end. Prints one JSON line.
"""

import argparse
import json
import os
import statistics
import sys
import time
from datetime import date, timedelta

TRUSTS = 20


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def _curriculum(level: str, on: date) -> tuple[list[tuple[str, str]], list[str]]:
    """For each gating requirement below ``level``: a module and a provider accredited for it today; and up to 8
    standard codes the modules develop (the vacancy's required standards)."""
    from carelead.standards.gate import gating_requirements

    picks, standards = [], []
    for requirement in gating_requirements(level=level):
        for module in requirement.modules.all():
            providers = [a.provider.code for a in module.accreditations.all() if a.covers(on - timedelta(days=30))]
            if providers:
                picks.append((module.code, providers[0]))
                standards.extend(module.standard_codes or [])
                break
    return picks, sorted(set(standards))[:8]


def build(size: int, tag: str, on: date):
    """The synthetic region, pool and vacancy; returns the vacancy (with its organisation loaded)."""
    from carelead.accounts.models import User
    from carelead.appraisals.models import Appraisal, Cycle
    from carelead.learning.models import TrainingRecord
    from carelead.organisations.models import Organisation
    from carelead.people.models import Person
    from carelead.talent.models import PoolMembership, TalentConversation, TalentPool
    from carelead.vacancies.models import Vacancy

    user = User.objects.create_user(email=f"bench-{tag}@example.org", password=None)
    region = Organisation.objects.create(code=f"B{tag}R", name=f"Bench Region {tag}", type="region", sector="nhs")
    Organisation.objects.filter(pk=region.pk).update(path=f"/{region.pk}/", region_id=region.pk)
    trusts = []
    for i in range(TRUSTS):
        trust = Organisation.objects.create(
            code=f"B{tag}T{i:02d}",
            name=f"Bench Trust {tag}-{i}",
            type="trust",
            sector="nhs",
            parent=region,
            oversight_segment=5 if i == 0 else 2,
        )
        Organisation.objects.filter(pk=trust.pk).update(path=f"/{region.pk}/{trust.pk}/", region_id=region.pk)
        trusts.append(trust)
    picks, standards = _curriculum("senior", on)
    people = Person.objects.bulk_create(
        [
            Person(
                staff_id=f"B{tag}-{n:07d}",
                organisation=trusts[n % TRUSTS],
                first_name=f"First{n}",
                last_name=f"Last{n}",
                pay_band="8a",
                level="middle",
                start_date=date(2018, 4, 1),
            )
            for n in range(size)
        ],
        batch_size=2000,
    )
    if not all(p.pk for p in people):  # databases that do not return keys from bulk inserts
        people = list(Person.objects.filter(staff_id__startswith=f"B{tag}-").order_by("staff_id"))
    pool = TalentPool.objects.create(region=region, level="senior", name=f"Bench pool {tag}")
    PoolMembership.objects.bulk_create(
        [
            PoolMembership(
                pool=pool,
                person=p,
                status="approved",
                nominated_by=user,
                nominated_on=on - timedelta(days=100),
                nomination_reason="bench",
                decided_by=user,
                decided_on=on - timedelta(days=90),
                expires_on=on + timedelta(days=365),
            )
            for p in people
        ],
        batch_size=2000,
    )
    records = []
    for n, p in enumerate(people):
        # One in five misses the last gating module, so the gate leaves them out.
        for index, (module, provider) in enumerate(picks):
            if n % 5 == 0 and index == len(picks) - 1:
                continue
            records.append(
                TrainingRecord(
                    record_id=f"B{tag}-{n}-{module}",
                    person=p,
                    course_code=module,
                    mandatory=False,
                    date=on - timedelta(days=30 + n % 300),
                    completed=True,
                    provider_code=provider,
                )
            )
    TrainingRecord.objects.bulk_create(records, batch_size=2000)
    readiness = ["ready_now", "1_2_years", "3_plus_years"]
    TalentConversation.objects.bulk_create(
        [
            TalentConversation(
                person=p,
                held_on=on - timedelta(days=10 + n % 200),
                impact="high",
                growth="medium",
                growth_direction="stretch",
                readiness=readiness[n % 3],
                mobility_regions=[region.code] if n % 4 == 0 else [],
                mobility_sectors=["nhs"] if n % 7 == 0 else [],
                recorded_by=user,
            )
            for n, p in enumerate(people)
        ],
        batch_size=2000,
    )
    year = on.year - 1 if on.month < 4 else on.year
    cycles = {
        t.pk: Cycle.objects.create(
            organisation=t,
            year=f"{year - 1}-{str(year)[2:]}",
            imported=True,
            opens_on=date(year - 1, 4, 1),
            self_assessment_due=date(year - 1, 6, 1),
            review_due=date(year - 1, 9, 1),
            sign_off_due=date(year - 1, 12, 1),
        )
        for t in trusts
    }
    ratings = ["exceptional", "good", "good", "development_needed"]
    Appraisal.objects.bulk_create(
        [
            Appraisal(
                cycle=cycles[p.organisation_id],
                person=p,
                state="signed_off",
                overall_rating=ratings[n % 4],
                signed_off_on=date(year, 2, 1),
                readiness="now" if n % 2 else "",
            )
            for n, p in enumerate(people)
        ],
        batch_size=2000,
    )
    vacancy = Vacancy.objects.create(
        reference=f"BENCH-{tag}",
        title="Director of Operations",
        organisation=trusts[0],
        level="senior",
        location="Bench",
        required_standards=standards,
        opens_on=on - timedelta(days=7),
        closes_on=on + timedelta(days=21),
        status="open",
        created_by=user,
    )
    return Vacancy.objects.select_related("organisation").get(pk=vacancy.pk), pool


def _time(vacancy, pool, on, runs: int) -> dict:
    """Rank the pool for the vacancy ``runs`` times beside a plain read of the same members; the figures both
    benchmarks report (the first ranking warms the connection and caches, as a live page would be)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from carelead.people.models import Person
    from carelead.talent.models import PoolMembership
    from carelead.vacancies.matching import ranking_for

    ranking_for(vacancy=vacancy, on=on)
    with CaptureQueriesContext(connection) as captured:
        ranking_for(vacancy=vacancy, on=on)
    ours, theirs = [], []
    for _ in range(runs):
        started = time.perf_counter()
        ranking = ranking_for(vacancy=vacancy, on=on)
        ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        members = PoolMembership.objects.filter(pool=pool, status="approved", expires_on__gte=on)
        plain = list(Person.objects.filter(pk__in=members.values("person_id")).select_related("organisation"))
        theirs.append(time.perf_counter() - started)
    median, base_median = statistics.median(ours), statistics.median(theirs)
    return {
        "pool": len(plain),
        "ranked": len(ranking.candidates),
        "excluded_by_gate": ranking.excluded_by_gate,
        "queries": len(captured),
        "runs": runs,
        "median_ms": round(1000 * median, 1),
        "p95_ms": round(1000 * _percentile(ours, 0.95), 1),
        "baseline_median_ms": round(1000 * base_median, 1),
        "baseline_p95_ms": round(1000 * _percentile(theirs, 0.95), 1),
        "x_baseline": round(median / base_median, 1) if base_median else None,
    }


def measure(size: int, runs: int) -> dict:
    from django.db import transaction
    from django.utils import timezone

    on = timezone.localdate()
    with transaction.atomic():
        started = time.perf_counter()
        vacancy, pool = build(size, f"{size}", on)
        build_s = time.perf_counter() - started
        result = _time(vacancy, pool, on, runs)
        transaction.set_rollback(True)
    return {**result, "pool": size, "fetched_by_baseline": result["pool"], "build_s": round(build_s, 1)}


def measure_demo(runs: int) -> dict | None:
    """The same timing on a loaded demo: the largest pool of approved, unexpired members in the database, for a
    vacancy at its level in one of its region's trusts (an open one where the demo has it, else one made here and
    rolled back)."""
    from django.db import transaction
    from django.db.models import Count, Q
    from django.utils import timezone

    from carelead.accounts.models import User
    from carelead.organisations.models import Organisation
    from carelead.talent.models import TalentPool
    from carelead.vacancies.models import Vacancy

    on = timezone.localdate()
    live = Q(memberships__status="approved", memberships__expires_on__gte=on)
    pool = TalentPool.objects.annotate(n=Count("memberships", filter=live)).filter(n__gt=0).order_by("-n", "pk").first()
    if pool is None:
        return None
    with transaction.atomic():
        vacancy = (
            Vacancy.objects.filter(organisation__region_id=pool.region_id, level=pool.level, status="open")
            .select_related("organisation")
            .order_by("pk")
            .first()
        )
        if vacancy is None:
            trust = Organisation.objects.filter(region_id=pool.region_id, type="trust").order_by("pk").first()
            made = Vacancy.objects.create(
                reference="BENCH-DEMO",
                title="Bench vacancy",
                organisation=trust,
                level=pool.level,
                location="Bench",
                required_standards=[],
                opens_on=on,
                closes_on=on + timedelta(days=21),
                status="open",
                created_by=User.objects.order_by("pk").first(),
            )
            vacancy = Vacancy.objects.select_related("organisation").get(pk=made.pk)
        result = _time(vacancy, pool, on, runs)
        transaction.set_rollback(True)
    return {**result, "pool_name": pool.name, "vacancy": vacancy.reference}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default=os.environ.get("BENCH_MATCHING_SIZES", "1000,5000"))
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_MATCHING_RUNS", "15")))
    parser.add_argument("--demo", action="store_true", help="rank the largest pool of the loaded demo instead")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from carelead.people.models import Person

    staff = Person.objects.count()
    if args.demo:
        result = measure_demo(args.runs)
        results = [result] if result else []
    else:
        results = [measure(int(size), args.runs) for size in args.sizes.split(",") if size.strip()]
    kind = "demo" if args.demo else "synthetic"
    print(
        json.dumps(
            {"benchmark": "matching", "kind": kind, "database": connection.vendor, "staff": staff, "results": results}
        )
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
