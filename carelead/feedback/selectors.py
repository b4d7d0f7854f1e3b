"""Reads of 360 feedback. Answers leave the database only as the combined report; nothing here returns one.

The ≥3 rule (``ANONYMITY_THRESHOLD``) is applied here, once, for every page and for other apps: a peer,
direct-report or other group with fewer answers is left out altogether, with no count and no hint.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Avg, Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.crypto import salted_hmac

from carelead.accounts.permissions import Scope, assignment_has
from carelead.feedback.models import (
    ANONYMOUS_GROUPS,
    NAMED_GROUPS,
    SCORE_FIELDS,
    FeedbackAnswer,
    FeedbackRequest,
    Group,
    Principle,
    Rater,
)
from carelead.feedback.permissions import APPROVE_RATERS
from carelead.feedback.rules import ANONYMITY_THRESHOLD
from carelead.feedback.tokens import TOKEN_MAX_LENGTH, token_digest, token_matches

GROUP_ORDER = [g.value for g in Group]


def feedback_requests_for(subject) -> QuerySet[FeedbackRequest]:
    """The requests made for one subject (an appraisal, say), newest first."""
    return FeedbackRequest.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=str(subject.pk)
    ).select_related("person", "manager", "organisation")


def feedback_requests_of(*, person) -> QuerySet[FeedbackRequest]:
    """The requests about a person, newest first."""
    return FeedbackRequest.objects.filter(person=person).select_related("manager")


def feedback_requests_managed(*, manager) -> QuerySet[FeedbackRequest]:
    """The requests a line manager approves: those waiting for them first, then the open, then the rest."""
    return (
        FeedbackRequest.objects.filter(manager=manager)
        .select_related("person")
        .order_by(
            _status_order(FeedbackRequest.Status.AWAITING_APPROVAL, FeedbackRequest.Status.OPEN), "deadline", "pk"
        )
    )


def _status_order(*statuses: str) -> Case:
    return Case(
        *[When(status=status, then=Value(i)) for i, status in enumerate(statuses)],
        default=Value(len(statuses)),
        output_field=IntegerField(),
    )


@dataclass(frozen=True)
class Viewer:
    """How the signed-in user stands to a request."""

    is_person: bool
    is_manager: bool


def feedback_request_get(*, user, assignment, pk: int) -> tuple[FeedbackRequest, Viewer]:
    """A request the user is the subject of, or approves as line manager (404 otherwise, alike)."""
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        raise Http404("No such request")
    reach = Q(person_id=person_id)
    if assignment_has(assignment, APPROVE_RATERS):
        reach |= Q(manager_id=person_id)
    request = FeedbackRequest.objects.filter(reach, pk=pk).select_related("person", "manager", "organisation").first()
    if request is None:
        raise Http404("No such request")
    return request, Viewer(
        is_person=request.person_id == person_id,
        is_manager=request.manager_id == person_id and assignment_has(assignment, APPROVE_RATERS),
    )


def feedback_raters(*, request: FeedbackRequest) -> list[Rater]:
    """Who is asked, group by group (names and emails: for the person and the approving manager only)."""
    raters = list(request.raters.all())
    return sorted(raters, key=lambda r: (GROUP_ORDER.index(r.group), r.name.lower(), r.pk))


def _shown(group: str, responded: int) -> bool:
    return group in NAMED_GROUPS or responded >= ANONYMITY_THRESHOLD


def feedback_progress(*, request: FeedbackRequest, named: bool = True) -> list[dict]:
    """Per group: how many were asked and, only where the group can be shown, how many answered.

    ``named`` False applies the ≥3 rule to the self and manager groups too (for HR, who see no answers).
    """
    rows = {
        row["group"]: row
        for row in request.raters.values("group")
        .annotate(asked=Count("pk"), responded=Count("pk", filter=Q(responded=True)))
        .order_by()
    }
    return [_progress_row(group, rows[group], named=named) for group in GROUP_ORDER if group in rows]


def _progress_row(group: str, row: dict, *, named: bool) -> dict:
    shown = row["responded"] >= ANONYMITY_THRESHOLD or (named and group in NAMED_GROUPS)
    return {
        "group": group,
        "label": Group(group).label,
        "asked": row["asked"],
        "responded": row["responded"] if shown else None,
    }


def feedback_rates(*, assignment, status: str = "") -> QuerySet[FeedbackRequest]:
    """Requests of the organisations in the assignment's scope, for response rates: open first, then by deadline."""
    requests = (
        FeedbackRequest.objects.filter(Scope.of(assignment).organisations_q("organisation__"))
        .exclude(status=FeedbackRequest.Status.DRAFT)
        .select_related("person", "organisation")
    )
    if status:
        requests = requests.filter(status=status)
    return requests.order_by(_status_order(FeedbackRequest.Status.OPEN), "deadline", "pk")


def feedback_rates_counts(*, requests) -> dict[int, list[dict]]:
    """For each request, per invited group: how many were asked and, when at least 3 answered, how many did."""
    ids = [r.pk for r in requests]
    found: dict[int, dict[str, dict]] = {}
    rows = (
        Rater.objects.filter(request_id__in=ids, invited_at__isnull=False)
        .values("request_id", "group")
        .annotate(asked=Count("pk"), responded=Count("pk", filter=Q(responded=True)))
        .order_by()
    )
    for row in rows:
        found.setdefault(row["request_id"], {})[row["group"]] = row
    return {
        pk: [_progress_row(g, groups[g], named=False) for g in GROUP_ORDER if g in groups]
        for pk, groups in found.items()
    }


def _shuffled(request: FeedbackRequest, field: str, items: list[tuple]) -> list[str]:
    # A keyed hash orders the comments: the same order on every look, unrelated to when each arrived, and each
    # field shuffled on its own so that one rater's two comments cannot be paired by position.
    def key(item):
        return salted_hmac("carelead.feedback.comments", f"{request.pk}:{field}:{item[0]}").hexdigest()

    return [text for _, text in sorted(items, key=key) if text]


def feedback_report(request: FeedbackRequest, *, with_comments: bool = True) -> dict:
    """The combined report of a request, already filtered by the ≥3 rule; empty until no more answers can come.

    Returns ``released`` (whether the request is final: closed, or past its deadline), ``principles`` (code,
    title), ``named`` (the self and manager answers, each with its rater's name, scores and comments),
    ``groups`` (per peer, direct-report or other group with at least 3 answers: its number of answers, the
    mean score per principle to one decimal place and, when ``with_comments``, its comments in a fixed
    shuffled order) and ``groups_shown``. A group with fewer answers is simply not there.
    """
    report = {
        "released": request.is_final,
        "principles": list(Principle.choices),
        "named": [],
        "groups": [],
        "groups_shown": 0,
    }
    if not report["released"]:
        return report
    means = {f"mean_{code}": Avg(field) for code, field in SCORE_FIELDS.items()}
    totals = {
        row["group"]: row
        for row in FeedbackAnswer.objects.filter(request=request, group__in=ANONYMOUS_GROUPS)
        .values("group")
        .annotate(responses=Count("pk"), **means)
        .order_by()
    }
    shown = [g for g in GROUP_ORDER if g in totals and _shown(g, totals[g]["responses"])]
    comments: dict[str, dict[str, list]] = {g: {"strengths": [], "development": []} for g in shown}
    if with_comments and shown:
        for pk, group, strengths, development in FeedbackAnswer.objects.filter(
            request=request, group__in=shown
        ).values_list("pk", "group", "strengths", "development"):
            comments[group]["strengths"].append((pk, strengths))
            comments[group]["development"].append((pk, development))
    for group in shown:
        row = totals[group]
        report["groups"].append(
            {
                "group": group,
                "label": Group(group).label,
                "responses": row["responses"],
                "means": {code: round(row[f"mean_{code}"], 1) for code in SCORE_FIELDS},
                "strengths": _shuffled(request, "strengths", comments[group]["strengths"]),
                "development": _shuffled(request, "development", comments[group]["development"]),
            }
        )
    named = FeedbackAnswer.objects.filter(request=request, group__in=NAMED_GROUPS).values(
        "group", "rater_name", "strengths", "development", *SCORE_FIELDS.values()
    )
    for row in sorted(named, key=lambda r: (GROUP_ORDER.index(r["group"]), r["rater_name"])):
        report["named"].append(
            {
                "group": row["group"],
                "label": Group(row["group"]).label,
                "name": row["rater_name"],
                "scores": {code: row[field] for code, field in SCORE_FIELDS.items()},
                "strengths": row["strengths"],
                "development": row["development"],
            }
        )
    report["groups_shown"] = len(report["groups"])
    return report


def rater_by_token(token: str) -> Rater | None:
    """The rater whose link carries this secret (from the invitation or the reminder), or None."""
    token = (token or "").strip()
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    digest = token_digest(token)
    rater = (
        Rater.objects.filter(Q(token_hash=digest) | Q(reminder_token_hash=digest))
        .select_related("request", "request__person", "request__organisation")
        .first()
    )
    if rater is None or not (
        token_matches(rater.token_hash, digest) or token_matches(rater.reminder_token_hash, digest)
    ):
        return None
    return rater


def self_rater(*, request: FeedbackRequest) -> Rater:
    """The person's own rater row on a request."""
    return request.raters.get(group=Group.SELF)
