"""Reads of appraisals, each deciding who may see what: the appraisee their own, the appraiser those naming
them, HR its organisation's; the appraiser's private notes only the appraiser and HR."""

from datetime import date

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from carelead.accounts.permissions import Scope, assignment_has
from carelead.appraisals.models import Appraisal, Cycle
from carelead.appraisals.permissions import RUN_CYCLE
from carelead.core.keys import keys_q

State = Appraisal.State


def hr_scope_q(assignment, prefix: str = "") -> Q | None:
    """The organisations whose appraisals this assignment runs, or None when it runs none."""
    if not assignment_has(assignment, RUN_CYCLE):
        return None
    return Scope.of(assignment).organisations_q(prefix)


def appraisal_get(*, pk: int, user, assignment) -> tuple[Appraisal, dict]:
    """An appraisal the user may open, with what they may see of it; 404 for anyone else."""
    appraisal = (
        Appraisal.objects.select_related(
            "person", "appraiser", "cycle__template__framework", "cycle__organisation", "person__organisation"
        )
        .filter(pk=pk)
        .first()
    )
    if appraisal is None:
        raise Http404("No such appraisal")
    from carelead.appraisals.services import Parties

    parties = Parties.of(appraisal, user)
    appraisee, appraiser = parties.appraisee, parties.appraiser
    hr_q = hr_scope_q(assignment, "person__organisation__")
    hr = hr_q is not None and Appraisal.objects.filter(hr_q, pk=pk).exists()
    if not (appraisee or appraiser or hr):
        raise Http404("No such appraisal")
    return appraisal, {
        "appraisee": appraisee,
        "appraiser": appraiser,
        "hr": hr,
        "confidential": (appraiser or hr) and not appraisee,
    }


def appraisals_of(person) -> QuerySet[Appraisal]:
    return Appraisal.objects.filter(person=person).select_related("cycle", "appraiser").order_by("-cycle__opens_on")


def appraisals_given_by(person) -> QuerySet[Appraisal]:
    return (
        Appraisal.objects.filter(appraiser=person)
        .exclude(state=State.CLOSED)
        .select_related("person", "cycle")
        .order_by("state", "person__last_name")
    )


def due_date(appraisal: Appraisal) -> date | None:
    """The date the appraisal's current step is due."""
    cycle = appraisal.cycle
    return {
        State.DRAFT: cycle.self_assessment_due,
        State.SELF_ASSESSMENT: cycle.self_assessment_due,
        State.MANAGER_REVIEW: cycle.review_due,
        State.MEETING_HELD: cycle.sign_off_due,
    }.get(appraisal.state)


def overdue_q(cycle: Cycle, on: date | None = None) -> Q:
    """Appraisals behind the cycle's dates on a day."""
    on = on or timezone.localdate()
    q = Q(pk__in=[])
    if on > cycle.self_assessment_due:
        q |= Q(state__in=[State.DRAFT, State.SELF_ASSESSMENT])
    if on > cycle.review_due:
        q |= Q(state=State.MANAGER_REVIEW)
    if on > cycle.sign_off_due:
        q |= Q(state=State.MEETING_HELD)
    return q


def cycle_progress(cycle: Cycle) -> dict:
    """Counts by state, overdue and completion for one cycle, from one query."""
    counts = dict(cycle.appraisals.values_list("state").annotate(n=Count("id")).order_by())
    total = sum(counts.values())
    done = sum(counts.get(s, 0) for s in (State.SIGNED_OFF, State.CALIBRATED))
    closed = counts.get(State.CLOSED, 0)
    return {
        "by_state": [(State(s).label, s, counts.get(s, 0)) for s in State.values],
        "total": total,
        "done": done,
        "closed": closed,
        "percent": round(100 * done / (total - closed), 1) if total - closed else None,
        "overdue": cycle.appraisals.filter(overdue_q(cycle)).count(),
        "no_appraiser": cycle.appraisals.filter(appraiser__isnull=True).exclude(state=State.CLOSED).count(),
    }


def cycles_for(assignment) -> QuerySet[Cycle]:
    q = hr_scope_q(assignment, "organisation__")
    if q is None:
        return Cycle.objects.none()
    return Cycle.objects.filter(q).select_related("organisation", "template")


def completion_by_organisation(*, year: str, organisations_q: Q) -> QuerySet:
    """Per organisation with a cycle in the year: appraisals, signed off, closed; computed from the records."""
    finished = [State.SIGNED_OFF, State.CALIBRATED]
    return (
        Cycle.objects.filter(organisations_q, year=year)
        .values("organisation__code", "organisation__name", "organisation__icb__code", "organisation__region__code")
        .annotate(
            total=Count("appraisals"),
            done=Count("appraisals", filter=Q(appraisals__state__in=finished)),
            closed=Count("appraisals", filter=Q(appraisals__state=State.CLOSED)),
        )
        .order_by("organisation__name")
    )


def cycles_with_progress(assignment, on: date | None = None) -> QuerySet[Cycle]:
    """The cycles this assignment runs, each with its counts, in one query whatever the number of cycles."""
    on = on or timezone.localdate()
    finished = [State.SIGNED_OFF, State.CALIBRATED]
    late = (
        Q(appraisals__state__in=[State.DRAFT, State.SELF_ASSESSMENT], self_assessment_due__lt=on)
        | Q(appraisals__state=State.MANAGER_REVIEW, review_due__lt=on)
        | Q(appraisals__state=State.MEETING_HELD, sign_off_due__lt=on)
    )
    return cycles_for(assignment).annotate(
        total=Count("appraisals"),
        done=Count("appraisals", filter=Q(appraisals__state__in=finished)),
        closed=Count("appraisals", filter=Q(appraisals__state=State.CLOSED)),
        overdue=Count("appraisals", filter=late),
    )


def latest_outcomes(person_ids) -> dict[int, dict]:
    """Each person's latest signed-off appraisal: final rating, behaviours and the career conversation.

    What talent conversations, the 9-box and succession planning read as performance and readiness data.
    """
    from carelead.appraisals.models import BehaviourRating

    finished = [State.SIGNED_OFF, State.CALIBRATED]
    rows = (
        Appraisal.objects.filter(keys_q("person_id", person_ids), state__in=finished)
        .order_by("person_id", "-signed_off_on", "-pk")
        .values(
            "pk",
            "person_id",
            "cycle__year",
            "signed_off_on",
            "overall_rating",
            "calibrated_rating",
            "readiness",
            "aspiration",
            "mobility",
        )
    )
    latest: dict[int, dict] = {}
    for row in rows:
        if row["person_id"] not in latest:
            row["final_rating"] = row["calibrated_rating"] or row["overall_rating"]
            latest[row["person_id"]] = row
    behaviours = BehaviourRating.objects.filter(keys_q("appraisal_id", [r["pk"] for r in latest.values()])).values_list(
        "appraisal_id", "principle__code", "rating"
    )
    by_appraisal: dict[int, dict[str, str]] = {}
    for appraisal_id, principle, rating in behaviours:
        by_appraisal.setdefault(appraisal_id, {})[principle] = rating
    for row in latest.values():
        row["behaviours"] = by_appraisal.get(row["pk"], {})
    return latest
