"""Reads of the fit and proper person test. Pages reach assessments, evidence and references only through here.

``fpp_access`` is the one rule for what the acting person may do with one organisation's board; the functions
that return single records apply it and answer 404 for anything out of reach.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from carelead.accounts.permissions import Scope, assignment_has
from carelead.accounts.roles import Role
from carelead.boardappraisals.selectors import in_post_q
from carelead.boards.models import BoardMember
from carelead.core.choices import BoardRole, OrganisationType
from carelead.fitproper.models import (
    Assessment,
    BarredPerson,
    BoardMemberReference,
    Check,
    CheckOutcome,
    EvidenceFile,
    Submission,
    financial_year_for,
    financial_year_start,
    name_key,
)
from carelead.fitproper.permissions import (
    READ_FPP_RESTRICTED,
    RECORD_FPP,
    SIGN_OFF_FPP,
    SUBMIT_FPP,
)
from carelead.organisations.models import Organisation

# The day of its financial year by which every board member in post should have an assessment started (month,
# day); CARELEAD_FIT_PROPER_DUE overrides it.
DEFAULT_DUE = (6, 30)
_OVERSEERS = (OrganisationType.NATIONAL, OrganisationType.REGION)


def due_on_for(*, year: str) -> date:
    """The day by which the year's assessments should have been started."""
    month, day = getattr(settings, "CARELEAD_FIT_PROPER_DUE", DEFAULT_DUE)
    start = financial_year_start(year)
    return date(start if month >= 4 else start + 1, month, day)


def year_choices(*, today: date | None = None) -> list[str]:
    """The financial years offered: last year, this year and next year, newest first."""
    today = today or timezone.localdate()
    this = financial_year_start(financial_year_for(today))
    return [financial_year_for(date(y, 4, 1)) for y in (this + 1, this, this - 1)]


def chaired_organisation_ids(*, user, on: date | None = None) -> set[int]:
    """The organisations whose board the signed-in person chairs today."""
    if user is None or not getattr(user, "person_id", None):
        return set()
    on = on or timezone.localdate()
    return set(
        BoardMember.objects.filter(in_post_q(on=on), person_id=user.person_id, role=BoardRole.CHAIR).values_list(
            "organisation_id", flat=True
        )
    )


def fpp_may_enter(*, assignment, user) -> bool:
    """Whether the acting person has any part in the fit and proper person test (else a plain 403)."""
    return (
        assignment_has(assignment, RECORD_FPP)
        or assignment_has(assignment, SIGN_OFF_FPP)
        or assignment_has(assignment, READ_FPP_RESTRICTED)
        or bool(chaired_organisation_ids(user=user))
    )


@dataclass(frozen=True)
class Access:
    """What the acting person may do with one organisation's fit and proper person tests."""

    record: bool = False
    chair: bool = False
    team_sign_off: bool = False
    submit: bool = False
    restricted: bool = False

    @property
    def view(self) -> bool:
        return self.record or self.chair or self.team_sign_off or self.restricted


def _reaches(assignment, organisation: Organisation, code: str) -> bool:
    """The role holds ``code`` and its scope reaches ``organisation``: HR only its own organisation."""
    if not assignment_has(assignment, code):
        return False
    if assignment.role == Role.ORG_HR:
        return assignment.organisation_id == organisation.pk
    return Scope.of(assignment).contains_path(organisation.path)


def fpp_access(*, assignment, user, organisation: Organisation, chaired: set[int] | None = None) -> Access:
    """The one rule: what the acting role (and the person, if they chair this board) may do here."""
    if chaired is None:
        chaired = chaired_organisation_ids(user=user)
    chair = organisation.pk in chaired
    return Access(
        record=_reaches(assignment, organisation, RECORD_FPP),
        chair=chair,
        team_sign_off=_reaches(assignment, organisation, SIGN_OFF_FPP),
        submit=_reaches(assignment, organisation, SUBMIT_FPP),
        restricted=chair or _reaches(assignment, organisation, READ_FPP_RESTRICTED),
    )


def board_organisations(*, assignment) -> QuerySet[Organisation]:
    """Organisations with a board in the assignment's scope."""
    if assignment is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(Scope.of(assignment).organisations_q()).exclude(type__in=_OVERSEERS)


def fpp_organisation_get(*, assignment, user, code: str) -> tuple[Organisation, Access]:
    """An organisation whose board the acting person may see, with what they may do (404 otherwise)."""
    organisation = Organisation.objects.exclude(type__in=_OVERSEERS).filter(code=code.strip().upper()).first()
    if organisation is None:
        raise Http404("No such organisation")
    access = fpp_access(assignment=assignment, user=user, organisation=organisation)
    if not access.view:
        raise Http404("No such organisation")
    return organisation, access


def fpp_organisation_default(*, assignment, user) -> Organisation | None:
    """The board that opens first: the HR lead's own organisation, else the board the person chairs."""
    if assignment is not None and assignment.role == Role.ORG_HR and assignment.organisation_id:
        return assignment.organisation
    chaired = chaired_organisation_ids(user=user)
    if chaired:
        return Organisation.objects.filter(pk__in=chaired).order_by("name").first()
    return None


def board_members_in_post(*, organisation: Organisation, on: date) -> QuerySet[BoardMember]:
    """An organisation's board members in post on ``on``, chair first."""
    return BoardMember.objects.filter(in_post_q(on=on), organisation=organisation).order_by("role", "name", "pk")


def board_rows(*, organisation: Organisation, year: str, on: date) -> QuerySet[BoardMember]:
    """Members in post, each with their assessment for ``year`` (``year_assessments``, 0 or 1) and its progress."""
    assessments = Assessment.objects.filter(year=year).annotate(
        recorded=Count("checks", filter=~Q(checks__outcome="")),
        concerns_open=Count("checks", filter=Q(checks__outcome=CheckOutcome.CONCERN, checks__resolution="")),
    )
    return board_members_in_post(organisation=organisation, on=on).prefetch_related(
        Prefetch("fpp_assessments", queryset=assessments, to_attr="year_assessments")
    )


def submission_for(*, organisation: Organisation, year: str) -> Submission | None:
    """The organisation's submission for the year, if made."""
    return Submission.objects.filter(organisation=organisation, year=year).select_related("submitted_by").first()


def assessment_get(*, assignment, user, pk: int) -> tuple[Assessment, Access]:
    """One assessment the acting person may see, with everything its page shows (404 otherwise)."""
    checks = Check.objects.select_related("checked_by", "resolved_by").prefetch_related(
        Prefetch("evidence", queryset=EvidenceFile.objects.select_related("uploaded_by"))
    )
    assessment = (
        Assessment.objects.select_related(
            "member", "organisation", "attestation_recorded_by", "signed_off_by", "created_by"
        )
        .prefetch_related(Prefetch("checks", queryset=checks), "confirmations")
        .filter(pk=pk)
        .first()
    )
    if assessment is None:
        raise Http404("No such assessment")
    access = fpp_access(assignment=assignment, user=user, organisation=assessment.organisation)
    if not access.view:
        raise Http404("No such assessment")
    return assessment, access


def evidence_get(*, assignment, user, pk: int) -> EvidenceFile:
    """One evidence file the acting person may download (404 otherwise, including for HR, who upload only)."""
    evidence = (
        EvidenceFile.objects.select_related(
            "check_record__assessment__member", "check_record__assessment__organisation"
        )
        .filter(pk=pk)
        .first()
    )
    if evidence is None:
        raise Http404("No such file")
    access = fpp_access(assignment=assignment, user=user, organisation=evidence.check_record.assessment.organisation)
    if not access.restricted:
        raise Http404("No such file")
    return evidence


def barring_matches(*, name: str) -> list[BarredPerson]:
    """Entries on the barring list whose name matches ``name`` once case, accents and punctuation are set aside."""
    key = name_key(name)
    if not key:
        return []
    return list(BarredPerson.objects.filter(name_key=key).order_by("reference"))


def barring_check(*, name: str, date_of_birth=None) -> list[BarredPerson]:
    """Entries on the barring list that may be this person: the same name, unless both dates of birth are known
    and differ. Used at every appointment to a board-level or senior role and in the annual check."""
    return [
        entry
        for entry in barring_matches(name=name)
        if entry.date_of_birth is None or date_of_birth is None or entry.date_of_birth == date_of_birth
    ]


def barring_refusal(*, name: str, entries: list[BarredPerson]) -> str:
    """What to tell the person appointing when the barring list names someone who may be the appointee."""
    refs = ", ".join(f"{e.reference} ({e.source}, added {e.added_on:%d %B %Y})" for e in entries)
    return (
        f"The barring list of senior managers names someone called {name}: {refs}. Check that this is not the "
        "person you are appointing. If it is not, say how you checked, and appoint again."
    )


def barring_list_summary() -> dict:
    """How many entries the barring list holds and when the newest was added."""
    return BarredPerson.objects.aggregate(entries=Count("pk"), latest=Max("added_on"))


def leavers(*, organisation: Organisation) -> QuerySet[BoardMember]:
    """Members who have left (or are due to leave) the board, newest leaver first, with whether a reference exists."""
    return (
        BoardMember.objects.filter(organisation=organisation, end_date__isnull=False)
        .annotate(has_reference=Exists(BoardMemberReference.objects.filter(member=OuterRef("pk"))))
        .order_by("-end_date", "name", "pk")
    )


def leaver_get(*, assignment, user, pk: int) -> BoardMember:
    """A board member who has left, whose reference the acting person may read or write (404 otherwise)."""
    member = BoardMember.objects.select_related("organisation").filter(pk=pk, end_date__isnull=False).first()
    if member is None:
        raise Http404("No such board member")
    if not fpp_access(assignment=assignment, user=user, organisation=member.organisation).restricted:
        raise Http404("No such board member")
    return member


def reference_for(*, member: BoardMember) -> BoardMemberReference | None:
    return BoardMemberReference.objects.filter(member=member).select_related("written_by").first()


def chair_has_account(*, chair: BoardMember | None) -> bool:
    """Whether the chair can sign in to CareLead (an active user linked to their staff record)."""
    if chair is None or not chair.person_id:
        return False
    return get_user_model().objects.filter(person_id=chair.person_id, is_active=True).exists()


# The dashboard ---------------------------------------------------------------------------------------------------

DASHBOARD_FIELDS = ("members", "signed_off", "concerns_open", "overdue")


def _count_of(queryset: QuerySet, group: str) -> Coalesce:
    counted = queryset.order_by().values(group).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def dashboard_organisations(*, assignment, region: Organisation | None = None) -> QuerySet[Organisation]:
    """Organisations with a board covered by the dashboard: the scope, narrowed to one region when chosen."""
    organisations = board_organisations(assignment=assignment)
    if region is not None:
        organisations = organisations.filter(path__startswith=region.path)
    return organisations


def dashboard_regions(*, assignment) -> QuerySet[Organisation]:
    """The regions a national role may narrow the dashboard to."""
    return (
        Organisation.objects.filter(type=OrganisationType.REGION)
        .filter(Scope.of(assignment).organisations_q())
        .order_by("name")
    )


def dashboard_rows(*, organisations: QuerySet[Organisation], year: str, today: date | None = None) -> QuerySet:
    """Per organisation: members in post, signed off for the year, concerns open, overdue, and the submission.

    ``overdue`` counts members in post with no assessment for the year once the year's due date has passed
    (``due_on_for``); it is 0 before then. Organisations with no member in post and no assessment are left out.
    One query, whatever the number of organisations.
    """
    today = today or timezone.localdate()
    in_post = BoardMember.objects.filter(in_post_q(on=today), organisation=OuterRef("pk"))
    signed = Assessment.objects.filter(
        in_post_q(on=today, prefix="member__"),
        organisation=OuterRef("pk"),
        year=year,
        signed_off_at__isnull=False,
    )
    concerns = Check.objects.filter(
        assessment__organisation=OuterRef("pk"),
        assessment__year=year,
        outcome=CheckOutcome.CONCERN,
        resolution="",
    )
    counts = {
        "members": _count_of(in_post, "organisation"),
        "signed_off": _count_of(signed, "organisation"),
        "concerns_open": _count_of(concerns, "assessment__organisation"),
        "started": Exists(Assessment.objects.filter(organisation=OuterRef("pk"), year=year)),
        "submitted_at": Subquery(
            Submission.objects.filter(organisation=OuterRef("pk"), year=year).values("submitted_at")[:1]
        ),
    }
    if today > due_on_for(year=year):
        not_started = in_post.filter(~Exists(Assessment.objects.filter(member=OuterRef("pk"), year=year)))
        counts["overdue"] = _count_of(not_started, "organisation")
    else:
        counts["overdue"] = Value(0, output_field=IntegerField())
    return (
        organisations.annotate(**counts)
        .filter(Q(members__gt=0) | Q(started=True))
        .order_by("-overdue", "-concerns_open", "name", "code")
    )


def dashboard_totals(*, rows: QuerySet) -> dict:
    """The sums of the dashboard's columns, and how many organisations have submitted, in one query."""
    sums = rows.order_by().aggregate(
        **{f"sum_{name}": Coalesce(Sum(name), 0) for name in DASHBOARD_FIELDS},
        organisations=Count("pk"),
        submitted=Count("pk", filter=Q(submitted_at__isnull=False)),
    )
    # Named apart from the annotations they add up, which an aggregate of the same name would shadow.
    totals = {name: sums[f"sum_{name}"] for name in DASHBOARD_FIELDS}
    return {**totals, "organisations": sums["organisations"], "submitted": sums["submitted"]}
