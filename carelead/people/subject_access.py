"""Subject access (UK GDPR Article 15): everything CareLead holds about one person, gathered app by app.

Each app that holds data about people contributes a part: a function registered with ``@part`` that returns the
sections it holds about one person, each section one query reached through joins from the person (so the number of
queries is fixed, whatever the data) and read with ``values()`` and ``iterator()``. A new app that stores data about
people adds its part here, or in its own ``carelead/<app>/subject_access.py`` imported at the end of this module.

The same export serves the person (``SUBJECT``) and whoever answers a request for them (``HANDLER``: the roles that
may read the person's special-category data in their scope, since the export holds it). Both get the same parts,
with two differences. The handler does not get what personas.md keeps from their role: the names of the people
asked for 360 feedback, and the 360 reports, which only the person sees. The person's own copy does not hold
succession plans and 9-box placements, which CareLead keeps from them as management planning; the handler's copy
holds them, to decide on. Nobody's copy holds what the person could not see on their own pages: anonymous raters'
answers stay combined under the three-answer rule, the appraiser's confidential notes and the content of Board
Member References are listed as not included, and speak-up concerns are never linked to anyone
(docs/decisions/0010), so there is nothing to find.
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from types import SimpleNamespace
from typing import Any

from django.db.models import CharField, Count, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from carelead.accounts.permissions import Scope, assignment_has
from carelead.audit.models import AuditLog
from carelead.audit.services import Actor, audit_record
from carelead.core.choices import ethnic_category_label
from carelead.people.models import Person
from carelead.people.permissions import VIEW_SPECIAL_CATEGORY

SUBJECT = "subject"
HANDLER = "handler"


@dataclass(frozen=True)
class Column:
    key: str
    label: str


@dataclass
class Section:
    """One table of what is held (or, with ``single``, one record shown as a summary list)."""

    title: str
    columns: list[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""
    single: bool = False


@dataclass(frozen=True)
class Part:
    key: str
    title: str
    gather: Callable[[Person, str], list[Section]]


PARTS: list[Part] = []


def part(key: str, title: str):
    """Register a part of the export; parts appear in the order they are registered."""

    def register(gather: Callable[[Person, str], list[Section]]):
        if any(p.key == key for p in PARTS):
            raise RuntimeError(f"subject access part {key} registered twice")
        PARTS.append(Part(key, title, gather))
        return gather

    return register


# (key, label) or (key, label, ORM path) for each column of a section.
Fields = list[tuple[str, ...]]


def section(
    title: str,
    queryset: QuerySet,
    fields: Fields,
    *,
    show: dict[str, Callable[[Any], Any]] | None = None,
    note: str = "",
    single: bool = False,
) -> Section:
    """A section read with one query: ``fields`` name the columns, ``show`` turns stored codes into what they mean."""
    paths = {f[0]: f[2] if len(f) > 2 else f[0] for f in fields}
    show = show or {}
    rows = []
    for values in queryset.values(*set(paths.values())).iterator(chunk_size=500):
        row = {}
        for key, path in paths.items():
            value = values[path]
            row[key] = show[key](value) if key in show and value not in (None, "") else value
        rows.append(row)
    return Section(title, [Column(f[0], f[1]) for f in fields], rows, note, single)


def label_of(model, name: str) -> Callable[[Any], Any]:
    """The label of a stored choice (the code itself when it is no longer a choice)."""
    labels = dict(model._meta.get_field(name).flatchoices)
    return lambda code: labels.get(code, code)


def _name(prefix: str) -> Concat:
    return Concat(f"{prefix}first_name", Value(" "), f"{prefix}last_name", output_field=CharField())


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _emails(person: Person) -> Q:
    """Q over an ``email`` column matching the person's staff record or sign-in address (stored in lower case)."""
    from carelead.accounts.models import User

    emails = Q(email__in=User.objects.filter(person=person).values("email"))
    if person.email:
        emails |= Q(email=person.email.strip().lower())
    return emails


def _prefixed(q: Q, prefix: str) -> Q:
    """The same condition reached through ``prefix`` (e.g. "candidate__")."""
    out = Q()
    out.connector, out.negated = q.connector, q.negated
    out.children = [
        _prefixed(child, prefix) if isinstance(child, Q) else (f"{prefix}{child[0]}", child[1]) for child in q.children
    ]
    return out


# People --------------------------------------------------------------------------------------------------------------


@part("record", "Your staff record")
def _record(person: Person, audience: str) -> list[Section]:
    from carelead.people.models import EmploymentChange

    manager = person.line_manager
    record = Section(
        "Staff record",
        [
            Column(k, label)
            for k, label in (
                ("staff_id", "Staff ID"),
                ("first_name", "First name"),
                ("last_name", "Last name"),
                ("email", "Email"),
                ("organisation", "Organisation"),
                ("job_title", "Job title"),
                ("staff_group", "Staff group"),
                ("pay_band", "Pay band"),
                ("level", "Level"),
                ("line_manager", "Line manager"),
                ("start_date", "Started"),
                ("end_date", "Last day worked"),
                ("bank", "Bank staff"),
                ("created_at", "Record created"),
                ("updated_at", "Record last changed"),
            )
        ],
        [
            {
                "staff_id": person.staff_id,
                "first_name": person.first_name,
                "last_name": person.last_name,
                "email": person.email,
                "organisation": f"{person.organisation.name} ({person.organisation.code})",
                "job_title": person.job_title,
                "staff_group": person.staff_group,
                "pay_band": person.get_pay_band_display(),
                "level": person.get_level_display(),
                "line_manager": f"{manager.full_name} ({manager.staff_id})" if manager else "",
                "start_date": person.start_date,
                "end_date": person.end_date,
                "bank": person.bank,
                "created_at": person.created_at,
                "updated_at": person.updated_at,
            }
        ],
        single=True,
    )
    history = section(
        "Employment history",
        EmploymentChange.objects.filter(person=person).order_by("effective_on", "pk"),
        [
            ("effective_on", "From"),
            ("kind", "Change"),
            ("organisation", "Organisation", "organisation__name"),
            ("pay_band", "Pay band"),
            ("level", "Level"),
            ("job_title", "Job title"),
            ("source", "Where it came from"),
            ("recorded_at", "Recorded"),
        ],
        show={"kind": label_of(EmploymentChange, "kind"), "level": label_of(EmploymentChange, "level")},
    )
    return [record, history]


@part("monitoring", "Your equality monitoring answers (special-category data)")
def _monitoring(person: Person, audience: str) -> list[Section]:
    from carelead.people.models import EqualityMonitoring

    return [
        section(
            "Equality monitoring",
            EqualityMonitoring.objects.filter(person=person),
            [
                ("sex", "Sex"),
                ("ethnic_category", "Ethnic group"),
                ("disability", "Disability"),
                ("sexual_orientation", "Sexual orientation"),
                ("religion", "Religion or belief"),
                ("date_of_birth", "Date of birth"),
                ("updated_by_self", "Last given by you"),
                ("updated_at", "Last changed"),
            ],
            show={
                "sex": label_of(EqualityMonitoring, "sex"),
                "ethnic_category": ethnic_category_label,
                "disability": label_of(EqualityMonitoring, "disability"),
            },
            note="Only HR leads of your organisation and national administrators may read these, and every look "
            "is recorded (see the audit log part below).",
            single=True,
        )
    ]


# Accounts ------------------------------------------------------------------------------------------------------------


@part("account", "Your CareLead account")
def _account(person: Person, audience: str) -> list[Section]:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from carelead.accounts.models import RoleAssignment, User

    return [
        section(
            "Sign-in account",
            User.objects.filter(person=person),
            [
                ("email", "Email"),
                ("full_name", "Name"),
                ("is_active", "Can sign in"),
                ("date_joined", "Created"),
                ("last_login", "Last signed in"),
            ],
            single=True,
        ),
        section(
            "Roles",
            RoleAssignment.objects.filter(user__person=person).order_by("granted_at", "pk"),
            [
                ("role", "Role"),
                ("scope", "Where", "organisation__name"),
                ("is_active", "Active"),
                ("granted_at", "Granted"),
            ],
            show={"role": label_of(RoleAssignment, "role")},
            note="A role without a place is held for the whole of England.",
        ),
        section(
            "Two-factor sign-in",
            TOTPDevice.objects.filter(user__person=person).order_by("pk"),
            [("name", "Authenticator"), ("confirmed", "Set up")],
            note="The secret your authenticator app holds is never included.",
        ),
    ]


# Learning and development ------------------------------------------------------------------------------------------


@part("learning", "Your training and development")
def _learning(person: Person, audience: str) -> list[Section]:
    from carelead.learning.models import IssuedCredential, TrainingRecord
    from carelead.standards.models import CohortApplication, GateException, PriorLearning, Reminder

    return [
        section(
            "Training records",
            TrainingRecord.objects.filter(person=person).order_by("date", "pk"),
            [
                ("record_id", "Record"),
                ("course_code", "Course"),
                ("mandatory", "Mandatory"),
                ("date", "Date"),
                ("completed", "Completed"),
                ("expires_on", "Expires"),
                ("provider_code", "Provider"),
            ],
        ),
        section(
            "Credentials issued to you",
            IssuedCredential.objects.filter(person=person).order_by("issued_at"),
            [
                ("id", "Credential"),
                ("course", "Course", "record__course_code"),
                ("issued_at", "Issued"),
                ("revoked_at", "Revoked"),
                ("revoked_reason", "Why revoked"),
            ],
        ),
        section(
            "Recognition of prior learning",
            PriorLearning.objects.filter(person=person).order_by("created_at"),
            [
                ("requirement", "Requirement", "requirement__code"),
                ("evidence", "Evidence"),
                ("status", "Status"),
                ("reviewed_on", "Reviewed"),
                ("review_note", "Review note"),
                ("created_at", "Asked"),
            ],
            show={"status": label_of(PriorLearning, "status")},
        ),
        section(
            "Progression gate exceptions",
            GateException.objects.filter(person=person).order_by("created_at"),
            [
                ("level", "Level"),
                ("reason", "Reason"),
                ("status", "Status"),
                ("decided_at", "Decided"),
                ("expires_on", "Expires"),
            ],
            show={"level": label_of(GateException, "level"), "status": label_of(GateException, "status")},
        ),
        section(
            "Programme applications",
            CohortApplication.objects.filter(person=person).order_by("created_at"),
            [
                ("cohort", "Cohort", "cohort__title"),
                ("statement", "Your statement"),
                ("status", "Status"),
                ("manager_note", "Line manager's note"),
                ("decision_reason", "Reason for the decision"),
                ("sessions_attended", "Sessions attended"),
                ("completed_on", "Completed"),
                ("created_at", "Applied"),
            ],
            show={"status": label_of(CohortApplication, "status")},
        ),
        section(
            "Reminders sent to you",
            Reminder.objects.filter(person=person).order_by("sent_at"),
            [("kind", "Reminder"), ("due_on", "Due"), ("sent_at", "Sent")],
        ),
    ]


# Appraisals --------------------------------------------------------------------------------------------------------


@part("appraisals", "Your appraisals")
def _appraisals(person: Person, audience: str) -> list[Section]:
    from carelead.appraisals.models import (
        Appraisal,
        AppraiserChange,
        BehaviourRating,
        CalibrationAdjustment,
        Dissent,
        Objective,
    )

    rating = label_of(Appraisal, "overall_rating")
    year = ("year", "Year", "appraisal__cycle__year")
    return [
        section(
            "Appraisals",
            Appraisal.objects.filter(person=person)
            .annotate(appraiser_name=_name("appraiser__"))
            .order_by("cycle__opens_on", "pk"),
            [
                ("year", "Year", "cycle__year"),
                ("organisation", "Organisation", "cycle__organisation__name"),
                ("appraiser", "Appraiser", "appraiser_name"),
                ("state", "Stage"),
                ("meeting_on", "Meeting"),
                ("wellbeing", "Health and wellbeing"),
                ("development_plan", "Development plan"),
                ("development_modules", "Development modules"),
                ("aspiration", "Aspiration"),
                ("readiness", "Readiness"),
                ("mobility", "Mobility"),
                ("appraisee_comments", "Your comments"),
                ("appraiser_comments", "Appraiser's comments"),
                ("overall_rating", "Overall rating"),
                ("calibrated_rating", "Rating after calibration"),
                ("appraisee_signed_at", "You signed"),
                ("appraiser_signed_at", "Appraiser signed"),
                ("signed_off_on", "Signed off"),
                ("closed_reason", "Why closed"),
            ],
            show={
                "appraiser": _strip,
                "state": label_of(Appraisal, "state"),
                "readiness": label_of(Appraisal, "readiness"),
                "overall_rating": rating,
                "calibrated_rating": rating,
            },
        ),
        section(
            "Objectives",
            Objective.objects.filter(appraisal__person=person).order_by("appraisal__cycle__opens_on", "order", "pk"),
            [
                year,
                ("title", "Objective"),
                ("measure", "Measure"),
                ("agreed", "Agreed"),
                ("self_comment", "Your comment"),
                ("rating", "Rating"),
            ],
            show={"rating": rating},
        ),
        section(
            "Behaviours",
            BehaviourRating.objects.filter(appraisal__person=person).order_by(
                "appraisal__cycle__opens_on", "principle__order"
            ),
            [
                year,
                ("principle", "Principle", "principle__title"),
                ("self_rating", "Your rating"),
                ("self_evidence", "Your evidence"),
                ("rating", "Appraiser's rating"),
                ("evidence", "Appraiser's evidence"),
            ],
            show={"self_rating": rating, "rating": rating},
        ),
        section(
            "Where you disagreed",
            Dissent.objects.filter(appraisal__person=person).order_by("at"),
            [year, ("text", "What you said"), ("at", "When")],
        ),
        section(
            "Ratings changed in calibration",
            CalibrationAdjustment.objects.filter(appraisal__person=person).order_by("at"),
            [year, ("from_rating", "From"), ("to_rating", "To"), ("reason", "Reason"), ("at", "When")],
            show={"from_rating": rating, "to_rating": rating},
        ),
        section(
            "Changes of appraiser",
            AppraiserChange.objects.filter(appraisal__person=person)
            .annotate(previous_name=_name("previous__"), new_name=_name("new__"))
            .order_by("at"),
            [
                year,
                ("previous", "From", "previous_name"),
                ("new", "To", "new_name"),
                ("reason", "Reason"),
                ("at", "When"),
            ],
            show={"previous": _strip, "new": _strip},
        ),
    ]


# 360 feedback ------------------------------------------------------------------------------------------------------


def feedback_reports(*, person: Person, requests: list[dict]) -> dict[int, dict]:
    """The combined reports of a person's released requests, as ``feedback_report`` gives each one, in a fixed
    number of queries (the same three-answer rule and comment order: carelead/feedback/selectors.py)."""
    from django.db.models import Avg

    from carelead.feedback.models import ANONYMOUS_GROUPS, NAMED_GROUPS, SCORE_FIELDS, FeedbackAnswer, Group, Principle
    from carelead.feedback.selectors import GROUP_ORDER, _shown, _shuffled

    released = [r["pk"] for r in requests]
    reports = {
        pk: {"released": True, "principles": list(Principle.choices), "named": [], "groups": [], "groups_shown": 0}
        for pk in released
    }
    if not released:
        return reports
    answers = FeedbackAnswer.objects.filter(request_id__in=released)
    means = {f"mean_{code}": Avg(name) for code, name in SCORE_FIELDS.items()}
    totals: dict[int, dict[str, dict]] = {}
    for row in (
        answers.filter(group__in=ANONYMOUS_GROUPS)
        .values("request_id", "group")
        .annotate(responses=Count("pk"), **means)
        .order_by()
    ):
        totals.setdefault(row["request_id"], {})[row["group"]] = row
    shown = {
        pk: [g for g in GROUP_ORDER if g in totals.get(pk, {}) and _shown(g, totals[pk][g]["responses"])]
        for pk in released
    }
    comments: dict[int, dict[str, dict[str, list]]] = {
        pk: {g: {"strengths": [], "development": []} for g in groups} for pk, groups in shown.items()
    }
    for pk, request_id, group, strengths, development in answers.filter(group__in=ANONYMOUS_GROUPS).values_list(
        "pk", "request_id", "group", "strengths", "development"
    ):
        if group in comments[request_id]:
            comments[request_id][group]["strengths"].append((pk, strengths))
            comments[request_id][group]["development"].append((pk, development))
    for pk in released:
        request = SimpleNamespace(pk=pk)
        for group in shown[pk]:
            row = totals[pk][group]
            reports[pk]["groups"].append(
                {
                    "group": group,
                    "label": Group(group).label,
                    "responses": row["responses"],
                    "means": {code: round(row[f"mean_{code}"], 1) for code in SCORE_FIELDS},
                    "strengths": _shuffled(request, "strengths", comments[pk][group]["strengths"]),
                    "development": _shuffled(request, "development", comments[pk][group]["development"]),
                }
            )
        reports[pk]["groups_shown"] = len(reports[pk]["groups"])
    named = answers.filter(group__in=NAMED_GROUPS).values(
        "request_id", "group", "rater_name", "strengths", "development", *SCORE_FIELDS.values()
    )
    for row in sorted(named, key=lambda r: (r["request_id"], GROUP_ORDER.index(r["group"]), r["rater_name"])):
        reports[row["request_id"]]["named"].append(
            {
                "group": row["group"],
                "label": Group(row["group"]).label,
                "name": row["rater_name"],
                "scores": {code: row[name] for code, name in SCORE_FIELDS.items()},
                "strengths": row["strengths"],
                "development": row["development"],
            }
        )
    return reports


def _report_section(title: str, report: dict) -> Section:
    from carelead.feedback.models import Principle

    columns = [Column("who", "Who"), Column("responses", "Answers")]
    columns += [Column(code, label) for code, label in Principle.choices]
    columns += [Column("strengths", "Strengths"), Column("development", "What to develop")]
    rows = [
        {
            "who": f"{n['label']}: {n['name']}",
            "responses": 1,
            **n["scores"],
            **{k: n[k] for k in ("strengths", "development")},
        }
        for n in report["named"]
    ]
    rows += [
        {
            "who": g["label"],
            "responses": g["responses"],
            **g["means"],
            "strengths": g["strengths"],
            "development": g["development"],
        }
        for g in report["groups"]
    ]
    return Section(
        f"360 feedback report: {title}",
        columns,
        rows,
        note="Peers, direct reports and others are shown only as a group of at least three answers, with average "
        "scores; a smaller group is left out.",
    )


@part("feedback", "Your 360 feedback")
def _feedback(person: Person, audience: str) -> list[Section]:
    from carelead.feedback.models import FeedbackRequest, Group, Rater
    from carelead.feedback.selectors import _progress_row

    today = timezone.localdate()
    requests = list(
        FeedbackRequest.objects.filter(person=person)
        .order_by("created_at", "pk")
        .values("pk", "title", "status", "deadline", "opened_at", "closed_at")
    )
    status = label_of(FeedbackRequest, "status")
    sections = [
        Section(
            "Requests for feedback about you",
            [
                Column("title", "Request"),
                Column("status", "Status"),
                Column("deadline", "Deadline"),
                Column("opened_at", "Opened"),
                Column("closed_at", "Closed"),
            ],
            [
                {**{k: r[k] for k in ("title", "deadline", "opened_at", "closed_at")}, "status": status(r["status"])}
                for r in requests
            ],
        )
    ]
    titles = {r["pk"]: r["title"] for r in requests}
    group = label_of(Rater, "group")
    if audience == SUBJECT:
        sections.append(
            section(
                "Who was asked",
                Rater.objects.filter(request__person=person).order_by(
                    "request__created_at", "request_id", "group", "name"
                ),
                [("request", "Request", "request__title"), ("name", "Name"), ("group", "Group")],
                show={"group": group},
                note="CareLead never records whether any one peer, direct report or other person answered.",
            )
        )
        final = [
            r
            for r in requests
            if r["status"] == FeedbackRequest.Status.CLOSED
            or (r["status"] == FeedbackRequest.Status.OPEN and today > r["deadline"])
        ]
        reports = feedback_reports(person=person, requests=final)
        sections += [_report_section(titles[pk], report) for pk, report in reports.items()]
    else:
        counts = (
            Rater.objects.filter(request__person=person)
            .values("request_id", "group")
            .annotate(asked=Count("pk"), responded=Count("pk", filter=Q(responded=True)))
            .order_by("request_id", "group")
        )
        rows = []
        for row in counts:
            progress = _progress_row(row["group"], row, named=False)
            rows.append(
                {
                    "request": titles.get(row["request_id"], ""),
                    "group": progress["label"],
                    "asked": progress["asked"],
                    "responded": progress["responded"],
                }
            )
        sections.append(
            Section(
                "How many were asked",
                [
                    Column("request", "Request"),
                    Column("group", "Group"),
                    Column("asked", "Asked"),
                    Column("responded", "Answered"),
                ],
                rows,
                note="As HR sees response rates: who was asked, and the reports, are shown only to the person.",
            )
        )
    asked_of_them = (
        Rater.objects.filter(Q(person=person) | _emails(person))
        .exclude(request__person=person)
        .exclude(group=Group.SELF)
        .annotate(about=_name("request__person__"))
        .order_by("request__created_at", "pk")
    )
    fields: Fields = [
        ("request", "Request", "request__title"),
        ("name", "Named as"),
        ("group", "Asked as"),
        ("invited_at", "Invited"),
    ]
    if audience == SUBJECT:
        fields += [("about", "About", "about"), ("responded", "You answered")]
    sections.append(
        section(
            "Feedback you were asked to give",
            asked_of_them,
            fields,
            show={"group": group, "about": _strip},
            note="What you answered is stored without any link to you, so it cannot be found or included.",
        )
    )
    return sections


# Talent and succession ---------------------------------------------------------------------------------------------


@part("talent", "Your talent conversations and pool nominations")
def _talent(person: Person, audience: str) -> list[Section]:
    from carelead.talent.models import PoolMembership, TalentConversation

    return [
        section(
            "Talent conversations",
            TalentConversation.objects.filter(person=person)
            .annotate(held_with_name=_name("held_with__"))
            .order_by("held_on", "pk"),
            [
                ("held_on", "Held"),
                ("held_with", "With", "held_with_name"),
                ("coach_name", "Coach"),
                ("impact", "Impact"),
                ("growth", "Growth"),
                ("growth_direction", "Direction"),
                ("readiness", "Readiness"),
                ("mobility_regions", "Regions you would work in"),
                ("mobility_sectors", "Sectors"),
                ("aspiration", "Aspiration"),
                ("development_plan", "Development plan"),
                ("person_comments", "Your comments"),
            ],
            show={
                "held_with": _strip,
                "impact": label_of(TalentConversation, "impact"),
                "growth": label_of(TalentConversation, "growth"),
                "growth_direction": label_of(TalentConversation, "growth_direction"),
                "readiness": label_of(TalentConversation, "readiness"),
            },
        ),
        section(
            "Talent pool nominations",
            PoolMembership.objects.filter(person=person).order_by("nominated_on", "pk"),
            [
                ("pool", "Pool", "pool__name"),
                ("status", "Status"),
                ("nominated_on", "Nominated"),
                ("nomination_reason", "Why nominated"),
                ("decided_on", "Decided"),
                ("decision_reason", "Reason for the decision"),
                ("expires_on", "Membership ends"),
                ("renewals", "Renewals"),
            ],
            show={"status": label_of(PoolMembership, "status")},
        ),
    ]


MANAGEMENT_PLANNING_NOTE = (
    "Held back from the person's own copy: succession plans and 9-box placements are management planning, which "
    "CareLead hides from the person (Data Protection Act 2018, Schedule 2, paragraph 22). Decide whether releasing "
    "them now would prejudice the planning before sending them."
)


@part("planning", "Succession plans and 9-box placements")
def _planning(person: Person, audience: str) -> list[Section]:
    from carelead.succession.models import SuccessionCandidate, SuccessionPlan
    from carelead.talent.models import NineBoxCalibration

    if audience == SUBJECT:
        return []
    return [
        section(
            "Succession plans naming them as a candidate",
            SuccessionCandidate.objects.filter(person=person).order_by("plan__organisation__name", "plan__role_title"),
            [
                ("role", "Role", "plan__role_title"),
                ("organisation", "Organisation", "plan__organisation__name"),
                ("source", "Source"),
                ("readiness", "Readiness"),
                ("rank", "Rank"),
                ("emergency", "Emergency successor"),
                ("notes", "Notes"),
            ],
            show={
                "source": label_of(SuccessionCandidate, "source"),
                "readiness": label_of(SuccessionCandidate, "readiness"),
            },
            note=MANAGEMENT_PLANNING_NOTE,
        ),
        section(
            "Succession plans for a role they hold",
            SuccessionPlan.objects.filter(incumbent=person).order_by("organisation__name", "role_title"),
            [
                ("role_title", "Role"),
                ("organisation", "Organisation", "organisation__name"),
                ("critical", "Critical role"),
                ("review_due", "Review due"),
            ],
        ),
        section(
            "9-box calibrations",
            NineBoxCalibration.objects.filter(person=person).order_by("at", "pk"),
            [
                ("at", "When"),
                ("original_performance", "Performance before"),
                ("original_potential", "Potential before"),
                ("performance", "Performance"),
                ("potential", "Potential"),
                ("reason", "Reason"),
            ],
        ),
    ]


# Vacancies and the equality standards' records ---------------------------------------------------------------------


@part("vacancies", "Your vacancy applications")
def _vacancies(person: Person, audience: str) -> list[Section]:
    from carelead.equality.models import RecruitmentDecision
    from carelead.vacancies.models import Application, ApplicationDecision

    status = label_of(Application, "status")
    own = Application.objects.filter(person=person).annotate(
        recruitment=Concat(Value("CL-"), Cast("pk", CharField()), output_field=CharField())
    )
    return [
        section(
            "Applications",
            Application.objects.filter(person=person).order_by("applied_on", "pk"),
            [
                ("vacancy", "Vacancy", "vacancy__reference"),
                ("title", "Role", "vacancy__title"),
                ("organisation", "Organisation", "vacancy__organisation__name"),
                ("source", "How"),
                ("status", "Status"),
                ("applied_on", "Applied"),
                ("statement", "Your statement"),
            ],
            show={"source": label_of(Application, "source"), "status": status},
        ),
        section(
            "Decisions on your applications",
            ApplicationDecision.objects.filter(application__person=person).order_by("at", "pk"),
            [
                ("vacancy", "Vacancy", "application__vacancy__reference"),
                ("status", "Decision"),
                ("reason", "Reason"),
                ("at", "When"),
            ],
            show={"status": status},
        ),
        section(
            "Your applications in the recruitment figures (special-category data)",
            RecruitmentDecision.objects.filter(application_id__in=own.values("recruitment")).order_by("date", "pk"),
            [
                ("application_id", "Application"),
                ("date", "Date"),
                ("shortlisted", "Shortlisted"),
                ("appointed", "Appointed"),
                ("ethnic_category", "Ethnic group"),
                ("disability", "Disability"),
                ("sex", "Sex"),
            ],
            show={
                "ethnic_category": ethnic_category_label,
                "disability": label_of(RecruitmentDecision, "disability"),
                "sex": label_of(RecruitmentDecision, "sex"),
            },
            note="A copy of your equality monitoring answers at the time travels with each decision, for the "
            "equality standards' recruitment indicators.",
        ),
    ]


@part("formal", "Formal processes counted by the equality standards")
def _formal(person: Person, audience: str) -> list[Section]:
    from carelead.equality.models import CapabilityCase, DisciplinaryCase

    return [
        section(
            "Disciplinary process",
            DisciplinaryCase.objects.filter(person=person).order_by("date"),
            [("case_id", "Case"), ("date", "Entered")],
        ),
        section(
            "Capability process",
            CapabilityCase.objects.filter(person=person).order_by("date"),
            [("case_id", "Case"), ("date", "Entered"), ("reason", "Reason")],
            show={"reason": label_of(CapabilityCase, "reason")},
        ),
    ]


# Boards --------------------------------------------------------------------------------------------------------------


@part("boards", "Your board seats")
def _boards(person: Person, audience: str) -> list[Section]:
    from carelead.boardappraisals.models import BoardAppraisal, BoardObjective, DomainRating
    from carelead.boards.models import BoardMember, BoardMemberMonitoring, CommitteeMembership, TenureReview, Term
    from carelead.boardskills.models import MemberSkill
    from carelead.nedpool.models import skill_label

    seat = ("seat", "Seat", "member__member_id")
    rating = label_of(BoardAppraisal, "overall_rating")
    level = label_of(MemberSkill, "self_level")
    return [
        section(
            "Board seats",
            BoardMember.objects.filter(person=person).order_by("start_date", "pk"),
            [
                ("member_id", "Seat"),
                ("organisation", "Organisation", "organisation__name"),
                ("name", "Name"),
                ("role", "Role"),
                ("voting", "Voting"),
                ("start_date", "From"),
                ("end_date", "To"),
            ],
            show={"role": label_of(BoardMember, "role")},
        ),
        section(
            "Board equality monitoring (special-category data)",
            BoardMemberMonitoring.objects.filter(member__person=person).order_by("member_id"),
            [seat, ("sex", "Sex"), ("ethnic_category", "Ethnic group"), ("disability", "Disability")],
            show={
                "sex": label_of(BoardMemberMonitoring, "sex"),
                "ethnic_category": ethnic_category_label,
                "disability": label_of(BoardMemberMonitoring, "disability"),
            },
        ),
        section(
            "Terms of office",
            Term.objects.filter(member__person=person).order_by("member_id", "number"),
            [seat, ("number", "Term"), ("starts_on", "From"), ("ends_on", "To"), ("notes", "Notes")],
        ),
        section(
            "Tenure reviews",
            TenureReview.objects.filter(member__person=person).order_by("reviewed_on", "pk"),
            [seat, ("reviewed_on", "Reviewed"), ("outcome", "Outcome"), ("reason", "Reason")],
            show={"outcome": label_of(TenureReview, "outcome")},
        ),
        section(
            "Committees",
            CommitteeMembership.objects.filter(member__person=person).order_by("starts_on", "pk"),
            [
                seat,
                ("committee", "Committee", "committee__name"),
                ("chairs", "Chair"),
                ("starts_on", "From"),
                ("ends_on", "To"),
            ],
        ),
        section(
            "Board skills",
            MemberSkill.objects.filter(member__person=person).order_by("member_id", "skill"),
            [
                seat,
                ("skill", "Skill"),
                ("self_level", "Your level"),
                ("self_assessed_on", "Assessed"),
                ("validated_level", "Validated level"),
                ("validated_on", "Validated"),
                ("evidence", "Evidence"),
            ],
            show={"skill": skill_label, "self_level": level, "validated_level": level},
        ),
        section(
            "Board appraisals",
            BoardAppraisal.objects.filter(member__person=person).order_by("year", "pk"),
            [
                ("year", "Year"),
                ("role", "Role"),
                ("state", "Stage"),
                ("appraiser_name", "Appraiser"),
                ("feedback_board", "Feedback from board colleagues"),
                ("feedback_executives", "Feedback from the executive team"),
                ("feedback_partners", "Feedback from partners"),
                ("feedback_staff", "Feedback from staff representatives"),
                ("feedback_themes", "Feedback themes"),
                ("overall_rating", "Overall rating"),
                ("member_comments", "Your comments"),
                ("appraiser_comments", "Appraiser's comments"),
                ("signed_off_at", "Signed off"),
                ("closed_reason", "Why closed"),
            ],
            show={
                "role": label_of(BoardAppraisal, "role"),
                "state": label_of(BoardAppraisal, "state"),
                "overall_rating": rating,
            },
        ),
        section(
            "Board appraisal ratings by domain",
            DomainRating.objects.filter(appraisal__member__person=person).order_by("appraisal__year", "domain__order"),
            [
                ("year", "Year", "appraisal__year"),
                ("domain", "Domain", "domain__title"),
                ("rating", "Rating"),
                ("evidence", "Evidence"),
            ],
            show={"rating": rating},
        ),
        section(
            "Board objectives",
            BoardObjective.objects.filter(appraisal__member__person=person).order_by("appraisal__year", "order", "pk"),
            [
                ("year", "Year", "appraisal__year"),
                ("title", "Objective"),
                ("measure", "Measure"),
                ("is_edi", "Equality, diversity and inclusion"),
                ("rating", "Rating"),
            ],
            show={"rating": rating},
        ),
    ]


@part("fitproper", "Your fit and proper person tests")
def _fitproper(person: Person, audience: str) -> list[Section]:
    from carelead.fitproper.models import Assessment, BoardMemberReference, Check, DomainConfirmation, EvidenceFile

    year = ("year", "Year", "assessment__year")
    return [
        section(
            "Assessments",
            Assessment.objects.filter(member__person=person).order_by("year", "pk"),
            [
                ("year", "Year"),
                ("organisation", "Organisation", "organisation__name"),
                ("attestation_text", "Your declaration"),
                ("attested_on", "Declared"),
                ("signed_off_at", "Signed off"),
                ("signed_off_as", "Signed off by"),
                ("signed_off_for", "For"),
            ],
            show={"signed_off_as": label_of(Assessment, "signed_off_as")},
        ),
        section(
            "Checks",
            Check.objects.filter(assessment__member__person=person).order_by("assessment__year", "pk"),
            [
                year,
                ("kind", "Check"),
                ("outcome", "Outcome"),
                ("checked_on", "Checked"),
                ("notes", "Notes"),
                ("resolution", "How a concern was resolved"),
                ("resolved_on", "Resolved"),
            ],
            show={"kind": label_of(Check, "kind"), "outcome": label_of(Check, "outcome")},
        ),
        section(
            "Competency domains you confirmed",
            DomainConfirmation.objects.filter(assessment__member__person=person).order_by("assessment__year", "pk"),
            [year, ("domain", "Domain", "domain__title")],
        ),
        section(
            "Evidence files",
            EvidenceFile.objects.filter(check_record__assessment__member__person=person).order_by("uploaded_at"),
            [
                ("year", "Year", "check_record__assessment__year"),
                ("check", "Check", "check_record__kind"),
                ("original_name", "File"),
                ("uploaded_at", "Kept since"),
            ],
            show={"check": label_of(Check, "kind")},
            note="The files themselves are given on request by the NED appointments team.",
        ),
        section(
            "Board Member References",
            BoardMemberReference.objects.filter(member__person=person).order_by("served_to"),
            [
                ("organisation", "Organisation", "organisation__name"),
                ("role_held", "Role"),
                ("served_from", "From"),
                ("served_to", "To"),
                ("written_by_name", "Written by"),
                ("written_on", "Written"),
            ],
            note="What a reference says is not included: see below.",
        ),
    ]


# NED candidate pool and campaigns ----------------------------------------------------------------------------------


@part("nedpool", "Your registration as a non-executive director candidate")
def _nedpool(person: Person, audience: str) -> list[Section]:
    from carelead.nedcampaigns.models import Appointment, CampaignCandidate, CampaignDecision
    from carelead.nedpool.models import (
        Candidate,
        CandidateMonitoring,
        CandidateSkill,
        Enrolment,
        Placement,
        skill_label,
    )
    from carelead.organisations.models import Organisation

    mine = _emails(person)
    entry = ("campaign", "Campaign", "entry__campaign__title")
    return [
        section(
            "Registration",
            Candidate.objects.filter(mine).order_by("pk"),
            [
                ("name", "Name"),
                ("email", "Email"),
                ("phone", "Telephone"),
                ("sector_nhs", "Interested in NHS boards"),
                ("sector_social_care", "Interested in adult social care boards"),
                ("roles", "Roles"),
                ("statement", "Your statement"),
                ("board_experience", "Board experience"),
                ("consented_at", "Agreed to how details are used"),
                ("status", "Status"),
                ("readiness", "Readiness"),
                ("notes", "The team's notes"),
                ("assessed_on", "First assessed"),
                ("admitted_on", "Admitted to the pool"),
                ("repeat_registrations", "Later registrations"),
                ("created_at", "Registered"),
            ],
            show={"status": label_of(Candidate, "status"), "readiness": label_of(Candidate, "readiness")},
            note="Matched by your email address.",
        ),
        section(
            "Regions",
            Organisation.objects.filter(_prefixed(mine, "ned_candidates__")).order_by("name"),
            [("name", "Region")],
        ),
        section(
            "Skills",
            CandidateSkill.objects.filter(_prefixed(mine, "candidate__")).order_by("skill", "validated"),
            [("skill", "Skill"), ("validated", "Validated by the team")],
            show={"skill": skill_label},
        ),
        section(
            "Candidate equality monitoring (special-category data)",
            CandidateMonitoring.objects.filter(_prefixed(mine, "candidate__")),
            [("sex", "Sex"), ("ethnic_category", "Ethnic group"), ("disability", "Disability")],
            show={
                "sex": label_of(CandidateMonitoring, "sex"),
                "ethnic_category": ethnic_category_label,
                "disability": label_of(CandidateMonitoring, "disability"),
            },
        ),
        section(
            "NExT Director placements",
            Placement.objects.filter(_prefixed(mine, "candidate__")).order_by("starts_on"),
            [
                ("host", "Host board", "host__name"),
                ("starts_on", "From"),
                ("ends_on", "To"),
                ("mentor_name", "Mentor"),
                ("status", "Status"),
            ],
            show={"status": label_of(Placement, "status")},
        ),
        section(
            "Aspiring chair programme",
            Enrolment.objects.filter(_prefixed(mine, "candidate__")).order_by("starts_on"),
            [("cohort_name", "Cohort"), ("starts_on", "Starts"), ("status", "Status")],
            show={"status": label_of(Enrolment, "status")},
        ),
        section(
            "Campaigns",
            CampaignCandidate.objects.filter(_prefixed(mine, "candidate__")).order_by("created_at"),
            [
                ("campaign", "Campaign", "campaign__title"),
                ("organisation", "Board", "campaign__organisation__name"),
                ("stage", "Stage"),
                ("match_score", "Match with the role profile"),
            ],
            show={"stage": label_of(CampaignCandidate, "stage")},
        ),
        section(
            "Campaign decisions",
            CampaignDecision.objects.filter(_prefixed(mine, "entry__candidate__")).order_by("at", "pk"),
            [entry, ("step", "Step"), ("outcome", "Outcome"), ("reason", "Reason"), ("at", "When")],
            show={"step": label_of(CampaignDecision, "step"), "outcome": label_of(CampaignDecision, "outcome")},
        ),
        section(
            "Appointments",
            Appointment.objects.filter(_prefixed(mine, "entry__candidate__")).order_by("at"),
            [
                entry,
                ("authority", "Appointed by"),
                ("approver_name", "Approved by"),
                ("approved_on", "Approved"),
                ("starts_on", "Starts"),
                ("barring_references", "Barring list entries with a matching name"),
                ("barring_override_reason", "Why the appointment went ahead"),
            ],
            show={"authority": label_of(Appointment, "authority")},
        ),
    ]


# Speak up ------------------------------------------------------------------------------------------------------------


@part("speakup", "Speak-up concerns")
def _speakup(person: Person, audience: str) -> list[Section]:
    return [
        Section(
            "Concerns you raised",
            [],
            note="CareLead never links a concern to an account, a name on a staff record or an email address, "
            "whether it was raised named, confidentially or anonymously, so none can be found or included here. "
            "If you raised one, read it with your receipt code and secret, or ask your organisation's Freedom to "
            "Speak Up guardian.",
        )
    ]


# Audit log -----------------------------------------------------------------------------------------------------------


@part("audit", "Who has read or changed your records")
def _audit(person: Person, audience: str) -> list[Section]:
    action = label_of(AuditLog, "action")
    fields: Fields = [
        ("at", "When"),
        ("who", "Who", "actor_label"),
        ("action", "What"),
        ("object_type", "Record"),
        ("object_repr", "Details"),
    ]
    return [
        section(
            "Recorded actions about you",
            AuditLog.objects.filter(subject_person=person).order_by("at", "pk"),
            fields,
            show={"action": action},
            note="Includes every look at your equality monitoring answers.",
        ),
        section(
            "What you have done in CareLead",
            AuditLog.objects.filter(actor__person=person).order_by("at", "pk"),
            [f for f in fields if f[0] != "who"],
            show={"action": action},
            note="Sign-ins and other actions recorded under your account.",
        ),
    ]


# What is held but not included -------------------------------------------------------------------------------------


def not_included(audience: str) -> list[dict[str, str]]:
    """What CareLead holds about the person that the export leaves out, and why."""
    items = [
        {
            "title": "Your appraiser's confidential notes",
            "reason": "Kept on an appraisal for the appraiser and HR only. Whoever answers a subject access request "
            "decides whether to release them.",
        },
        {
            "title": "What a Board Member Reference says",
            "reason": "A reference given in confidence to future appointing organisations (Data Protection Act 2018, "
            "Schedule 2, paragraph 24). Its dates and author are included above.",
        },
        {
            "title": "Answers you gave in other people's 360 feedback",
            "reason": "Stored without any link to you, so CareLead cannot find them.",
        },
        {
            "title": "Speak-up concerns",
            "reason": "Never linked to anyone's account or staff record.",
        },
    ]
    if audience == SUBJECT:
        items.append(
            {
                "title": "Succession plans and 9-box placements",
                "reason": "Management planning, which CareLead keeps from the person it is about (Data Protection Act "
                "2018, Schedule 2, paragraph 22). Whoever answers a subject access request decides whether to "
                "release it.",
            }
        )
    if audience == HANDLER:
        items.append(
            {
                "title": "The 360 feedback reports and the names of the people asked",
                "reason": "Shown only to the person. They can download their own export, which includes them.",
            }
        )
    return items


# The export ----------------------------------------------------------------------------------------------------------


def subject_access(person: Person, *, audience: str = SUBJECT) -> dict:
    """Everything CareLead holds about one person, part by part, ready for JSON or a page."""
    if audience not in (SUBJECT, HANDLER):
        raise ValueError(audience)
    return {
        "about": {
            "staff_id": person.staff_id,
            "name": person.full_name,
            "organisation": person.organisation.name,
        },
        "generated_at": timezone.now(),
        "audience": audience,
        "parts": [
            {"key": p.key, "title": p.title, "sections": [asdict(s) for s in sections]}
            for p in PARTS
            if (sections := p.gather(person, audience))
        ],
        "not_included": not_included(audience),
    }


def subject_access_audience(*, assignment, user, person: Person) -> str | None:
    """Whether the user may export this person's data, and as whom: the person themselves, someone holding the
    right to read their special-category data in the scope (who answers requests for it), or nobody (None)."""
    if user.person_id is not None and user.person_id == person.pk:
        return SUBJECT
    if assignment_has(assignment, VIEW_SPECIAL_CATEGORY) and Scope.of(assignment).contains_path(
        person.organisation.path
    ):
        return HANDLER
    return None


def subject_access_exported(*, user, person: Person, audience: str, fmt: str) -> None:
    """Audit an export: who exported whose data, in which form; and, since it holds them, a read of the person's
    equality monitoring answers, which the person sees among the looks at their answers."""
    common = {"subject_person_id": person.pk, "organisation_id": person.organisation_id, "object_id": person.staff_id}
    audit_record(
        actor=Actor(user=user),
        action=AuditLog.Action.EXPORT,
        object_type="people.SubjectAccess",
        object_repr=f"Subject access export ({fmt})",
        changes={"format": fmt, "audience": audience},
        **common,
    )
    audit_record(
        actor=Actor(user=user),
        action=AuditLog.Action.VIEW_SPECIAL,
        object_type="people.EqualityMonitoring",
        object_repr="subject access export",
        **common,
    )
