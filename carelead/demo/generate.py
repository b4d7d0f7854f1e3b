"""Loading a demo data set: plan the organisations, generate each one's workforce, write it, add the logins.

Each organisation's workforce also gets its curriculum completions (development.py), from the curriculum read
once from the database (curriculum.py); its gate exceptions and prior-learning applications name users, so they
are written after the logins exist.

Everything is written in one transaction, so a crash leaves the database as it was (and ``--if-empty``
never mistakes half a load for a finished one). Rows go straight to the tables in chunks, one organisation
at a time, so memory stays bounded whatever the size: the national set never holds more than one
organisation's people and a chunk of buffered rows.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q
from django.test import override_settings

from carelead.accounts.models import RoleAssignment, User
from carelead.audit.models import AuditLog
from carelead.audit.services import Actor, AuditEntry, audit_bulk
from carelead.boards.models import BoardMember, BoardMemberMonitoring
from carelead.demo import catalogue as cat
from carelead.demo.actions import action_plans_create
from carelead.demo.appraisals import appraisals_create
from carelead.demo.boarddiversity import population_references_create
from carelead.demo.boards import board_appraisals_create
from carelead.demo.boardskills import board_skills_create
from carelead.demo.committees import committees_create
from carelead.demo.curriculum import REGIONAL, Curriculum, StandardsDrafts
from carelead.demo.development import OrgDevelopment
from carelead.demo.ned import ned_demo_create
from carelead.demo.nedcampaigns import ned_campaigns_create
from carelead.demo.personas import Login, PersonaScopes, persona_emails, personas_create
from carelead.demo.plan import SIZES, organisation_plan
from carelead.demo.programme import past_cohorts_create, programme_create
from carelead.demo.sink import Sink
from carelead.demo.speakup import speakup_demo_create
from carelead.demo.talent import talent_create
from carelead.demo.workforce import OrgWorkforce, PersonaPick, Tables
from carelead.equality.models import CapabilityCase, DisciplinaryCase, RecruitmentDecision, SurveyResult
from carelead.learning.models import TrainingRecord
from carelead.organisations.models import Organisation
from carelead.organisations.services import organisation_tree_rebuild
from carelead.people.models import EmploymentChange, EqualityMonitoring, Person
from carelead.standards.models import CohortApplication, GateException, PriorLearning

# Rows buffered before they are written; large enough for fast batches, small enough to bound memory.
CHUNK_ROWS = 100_000
DEFAULT_SEED = 1


@dataclass
class DemoResult:
    """What a demo load wrote."""

    size: str
    seed: int
    counts: dict[str, int]
    logins: list[Login]
    seconds: float


def demo_database_has_data() -> bool:
    """True when the database already holds organisations or staff (demo or real)."""
    return Organisation.objects.exists() or Person.objects.exists()


class DemoConflict(Exception):
    """The database holds something the demo load would collide with."""


def _check_logins_free(plan: list) -> None:
    trust = next(o for o in plan if o.persona)
    emails = persona_emails(
        trust_code=trust.code, region_code=trust.region.code, provider_code=cat.TRAINING_PROVIDER[0]
    )
    taken = User.objects.filter(
        Q(email__in=emails.values()) | Q(email__iendswith=f"@{trust.code.lower()}.nhs.example")
    ).values_list("email", flat=True)[:5]
    if taken:
        raise DemoConflict(f"users already exist with the demo personas' addresses: {', '.join(taken)}")


def _write_drafts(drafts: StandardsDrafts, *, logins: list[Login], exceptions, prior_learning) -> None:
    """The load's gate exceptions and prior-learning applications, naming the persona users who handled them."""
    ids = dict(User.objects.filter(email__in=[login.username for login in logins]).values_list("email", "id"))
    user = {login.persona: ids[login.username] for login in logins}
    moment = connection.ops.adapt_datetimefield_value
    for e in drafts.exceptions:
        decided = e.decided_at is not None
        exceptions.add(
            (
                e.person,
                e.level,
                e.reason,
                user[e.requested_by],
                e.status,
                user[REGIONAL] if decided else None,
                moment(e.decided_at) if decided else None,
                e.expires_on.isoformat(),
                moment(e.requested_at),
                moment(e.decided_at if decided else e.requested_at),
            )
        )
    for p in drafts.prior_learning:
        prior_learning.add(
            (
                p.person,
                p.requirement,
                p.evidence,
                p.status,
                user[p.reviewer] if p.reviewer else None,
                p.reviewed_on.isoformat() if p.reviewed_on else None,
                p.note,
                moment(p.applied_at),
                moment(p.applied_at),
            )
        )


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")  # the demo never emails anyone
def demo_load(*, size: str, seed: int = DEFAULT_SEED, progress: Callable[[int, int], None] | None = None) -> DemoResult:
    """Load the demo data set of a size (tiny, region, national) in one transaction; same seed, same data.

    ``progress`` is called with (people written so far, people planned) after each organisation.
    """
    if size not in SIZES:
        raise ValueError(f"unknown demo size {size!r}")
    started = time.monotonic()
    plan = organisation_plan(size=size, seed=seed)
    planned = sum(o.staff for o in plan)
    _check_logins_free(plan)
    # The standards and curriculum are national content the migrations load; a database emptied since (a test
    # harness's flush) gets them again, so the demo always has something to assess against.
    from carelead.standards.loading import national_content_load
    from carelead.standards.models import Framework

    if not Framework.objects.exists():
        national_content_load()
    # The curriculum is national content already in the database: read once, not per organisation.
    curriculum = Curriculum.load()
    drafts = StandardsDrafts()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Check foreign keys per statement: deferring them queues millions of checks in server memory.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        sink = Sink(connection)
        orgs = sink.table(
            Organisation,
            ["id", "code", "name", "type", "parent", "sector", "oversight_segment", "cqc_rating", "path"],
        )
        tables = Tables(
            person=sink.table(
                Person,
                [
                    "id",
                    "staff_id",
                    "organisation",
                    "first_name",
                    "last_name",
                    "email",
                    "job_title",
                    "staff_group",
                    "pay_band",
                    "level",
                    "line_manager",
                    "start_date",
                    "end_date",
                    "bank",
                ],
            ),
            monitoring=sink.table(
                EqualityMonitoring,
                [
                    "person",
                    "sex",
                    "ethnic_category",
                    "disability",
                    "sexual_orientation",
                    "religion",
                    "date_of_birth",
                ],
            ),
            history=sink.table(
                EmploymentChange,
                [
                    "person",
                    "effective_on",
                    "kind",
                    "organisation",
                    "pay_band",
                    "level",
                    "job_title",
                    "previous",
                    "source",
                ],
            ),
            training=sink.table(
                TrainingRecord,
                [
                    "record_id",
                    "person",
                    "course_code",
                    "mandatory",
                    "date",
                    "completed",
                    "expires_on",
                    "provider_code",
                ],
            ),
            disciplinary=sink.table(DisciplinaryCase, ["case_id", "person", "date"]),
            capability=sink.table(CapabilityCase, ["case_id", "person", "date", "reason"]),
            board=sink.table(
                BoardMember,
                [
                    "id",
                    "member_id",
                    "organisation",
                    "name",
                    "role",
                    "voting",
                    "start_date",
                    "end_date",
                    "person",
                ],
            ),
            board_monitoring=sink.table(BoardMemberMonitoring, ["member", "sex", "ethnic_category", "disability"]),
            recruitment=sink.table(
                RecruitmentDecision,
                [
                    "application_id",
                    "vacancy_id",
                    "organisation",
                    "date",
                    "shortlisted",
                    "appointed",
                    "ethnic_category",
                    "disability",
                    "sex",
                    "level",
                ],
            ),
            survey=sink.table(SurveyResult, ["organisation", "period", "measure", "group", "percent", "respondents"]),
        )
        # Filled once the persona users exist: exceptions and applications name who asked and who decided.
        exceptions = sink.table(
            GateException,
            [
                "person",
                "level",
                "reason",
                "requested_by",
                "status",
                "decided_by",
                "decided_at",
                "expires_on",
                "created_at",
                "updated_at",
            ],
        )
        prior_learning = sink.table(
            PriorLearning,
            [
                "person",
                "requirement",
                "evidence",
                "status",
                "reviewed_by",
                "reviewed_on",
                "review_note",
                "created_at",
                "updated_at",
            ],
        )
        first_id = orgs.allocate(len(plan))
        for index, org in enumerate(plan):
            org.id = first_id + index
        for org in plan:
            orgs.add(
                (
                    org.id,
                    org.code,
                    org.name,
                    org.type,
                    org.parent.id if org.parent else None,
                    org.sector,
                    org.oversight_segment,
                    org.cqc_rating,
                    "",
                )
            )
        sink.flush()

        persona: PersonaPick | None = None
        done = 0
        for org in plan:
            if not org.staff and org.type not in ("trust", "icb"):
                continue
            workforce = OrgWorkforce(org=org, seed=seed, tables=tables, provider_code=cat.TRAINING_PROVIDER[0])
            if org.staff:
                workforce.build()
                if org.persona:
                    persona = workforce.pick_personas()
                workforce.write_people()
                workforce.write_training()
                OrgDevelopment(workforce=workforce, curriculum=curriculum, drafts=drafts, seed=seed).write()
                workforce.write_cases()
                workforce.write_recruitment()
            if org.type in ("trust", "icb"):
                workforce.write_board()
            if org.type == "trust":
                workforce.write_survey()
            # Flush only between organisations, so one organisation's people go in together.
            if sink.pending >= CHUNK_ROWS:
                sink.flush()
            done += org.staff
            if progress is not None:
                progress(done, planned)
        sink.flush()
        sink.finish()
        if connection.vendor == "postgresql":
            # Back to Django's default for whatever else runs in an enclosing transaction (tests do).
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        organisation_tree_rebuild()

        if persona is None:
            raise RuntimeError("the demo plan has no trust for the personas")
        trust = Organisation.objects.get(code=next(o.code for o in plan if o.persona))
        scopes = PersonaScopes(
            trust=trust,
            region=Organisation.objects.get(pk=trust.region_id),
            provider=Organisation.objects.get(code=cat.TRAINING_PROVIDER[0]),
            line_manager=Person.objects.get(pk=persona.line_manager_id),
            staff=Person.objects.get(pk=persona.staff_id),
        )
        logins = personas_create(seed=seed, scopes=scopes)
        # The demo's training-provider organisation delivers as the curriculum's provider of the same name.
        from carelead.standards.models import Provider

        Provider.objects.filter(name=scopes.provider.name, organisation__isnull=True).update(
            organisation=scopes.provider
        )
        # Gate exceptions and prior learning name users, so they go in now; finishing again moves the key
        # sequences of their tables (reset while still empty) past the rows just written.
        _write_drafts(drafts, logins=logins, exceptions=exceptions, prior_learning=prior_learning)
        persona_ids = dict(User.objects.filter(email__in=[x.username for x in logins]).values_list("email", "id"))
        by_persona = {x.persona: persona_ids[x.username] for x in logins}
        programme_create(
            seed=seed,
            region=scopes.region,
            trust=scopes.trust,
            regional_talent=by_persona["regional_talent"],
        )
        # Past cohorts: the personas and this year's applicants stay out of them; completions are training records.
        regions = [
            (region, by_persona["regional_talent"] if region.pk == scopes.region.pk else by_persona["national_admin"])
            for region in Organisation.objects.filter(type="region").order_by("code")
        ]
        applied = set(CohortApplication.objects.values_list("person_id", flat=True))
        past_cohorts_create(
            seed=seed,
            regions=regions,
            exclude=applied | {persona.line_manager_id, persona.staff_id},
            add_training=tables.training.add,
        )
        sink.flush()
        sink.finish()
        counts = {t.model._meta.label: t.count for t in sink.tables}
        counts["actionplans.Action"] = action_plans_create(
            seed=seed,
            plan=plan,
            organisation_ids=dict(Organisation.objects.values_list("code", "id")),
            author=by_persona["national_admin"],
            hr=(scopes.trust.code, by_persona["org_hr"]),
        )
        users = User.objects.in_bulk([by_persona["national_admin"], by_persona["org_hr"]])
        counts["appraisals.Appraisal"] = appraisals_create(
            seed=seed,
            plan=plan,
            trust=scopes.trust,
            persona_staff=scopes.staff,
            persona_manager=scopes.line_manager,
            national_admin=users[by_persona["national_admin"]],
            hr=users[by_persona["org_hr"]],
        )
        ned_user = User.objects.get(pk=by_persona["ned_team"])
        counts.update(
            ned_demo_create(seed=seed, ned_user=ned_user, trust=scopes.trust, hr_user=users[by_persona["org_hr"]])
        )
        counts.update(committees_create(seed=seed))
        counts["boardskills"] = board_skills_create(seed=seed, ned_user=ned_user)
        counts["boarddiversity.PopulationReference"] = population_references_create(seed=seed)
        counts["nedcampaigns.Campaign"] = ned_campaigns_create(seed=seed, ned_user=ned_user)
        counts["boardappraisals.BoardAppraisal"] = board_appraisals_create(
            seed=seed,
            plan=plan,
            trust=scopes.trust,
            regional_user=User.objects.get(pk=by_persona["regional_talent"]),
            national_admin=users[by_persona["national_admin"]],
        )
        talent = talent_create(
            seed=seed,
            trust=scopes.trust,
            region=scopes.region,
            persona_staff=scopes.staff,
            persona_manager=scopes.line_manager,
            users=by_persona,
        )
        # added, not replaced: the recruitment table already counts the imported-style decisions
        for label, count in talent.items():
            counts[label] = counts.get(label, 0) + count
        counts["speakup.Case"] = speakup_demo_create(
            seed=seed, guardian_user=User.objects.get(pk=by_persona["guardian"])
        )
        counts[User._meta.label] = len(logins)
        counts[RoleAssignment._meta.label] = len(logins)
        audit_bulk(
            actor=Actor(system="demo"),
            entries=[
                AuditEntry(
                    action=AuditLog.Action.BULK_CREATE,
                    object_type=label,
                    object_id=f"{count} records",
                    changes={"count": count, "source": "demo", "size": size, "seed": seed},
                )
                for label, count in counts.items()
            ],
        )
    sink.analyze()
    return DemoResult(size=size, seed=seed, counts=counts, logins=logins, seconds=time.monotonic() - started)
