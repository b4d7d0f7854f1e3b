"""Reads of people. Special-category data is reached only through ``person_monitoring_read``, which audits."""

from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.http import Http404

from carelead.accounts.permissions import Scope, assignment_has
from carelead.audit.models import AuditLog
from carelead.audit.services import Actor, audit_record
from carelead.people.models import EmploymentChange, EqualityMonitoring, Person
from carelead.people.permissions import VIEW_SPECIAL_CATEGORY, VIEW_STAFF, VIEW_TEAM

# Everyone beneath a manager, at any depth; one recursive query on both PostgreSQL and SQLite.
_REPORTS_SQL = """
WITH RECURSIVE tree(id) AS (
    SELECT id FROM people_person WHERE line_manager_id = %s
    UNION
    SELECT p.id FROM people_person p JOIN tree t ON p.line_manager_id = t.id
)
SELECT id FROM tree
"""


def reports_q(*, manager_id: int) -> Q:
    """Q matching every direct and indirect report of a manager."""
    return Q(pk__in=RawSQL(_REPORTS_SQL, [manager_id]))  # noqa: S611 - constant SQL, bound parameter


def person_visible_q(*, assignment, user) -> Q:
    """The one rule for which staff records a user, acting under an assignment, may read."""
    own = Q(pk=user.person_id) if user.person_id else Q(pk__in=[])
    if assignment_has(assignment, VIEW_STAFF):
        scope = Scope.of(assignment)
        if scope.national:
            return Q()
        return own | scope.organisations_q("organisation__")
    if assignment_has(assignment, VIEW_TEAM) and user.person_id:
        return own | reports_q(manager_id=user.person_id)
    return own


def person_search(
    *,
    assignment,
    user,
    q: str = "",
    organisation: str = "",
    pay_band: str = "",
    level: str = "",
    include_leavers: bool = False,
) -> QuerySet[Person]:
    """Staff records the user may read, matching a search."""
    people = Person.objects.filter(person_visible_q(assignment=assignment, user=user)).select_related("organisation")
    if q:
        terms = q.split()
        if len(terms) == 1:
            term = terms[0]
            people = people.filter(
                Q(staff_id__iexact=term)
                | Q(last_name__istartswith=term)
                | Q(first_name__istartswith=term)
                | Q(email__iexact=term)
            )
        else:
            people = people.filter(first_name__istartswith=terms[0], last_name__istartswith=" ".join(terms[1:]))
    if organisation:
        people = people.filter(Q(organisation__code__iexact=organisation))
    if pay_band:
        people = people.filter(pay_band=pay_band)
    if level:
        people = people.filter(level=level)
    if not include_leavers:
        from django.utils import timezone

        people = people.filter(Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate()))
    if q:
        # Ordered by an expression no index holds, so PostgreSQL finds the matches through the search indexes and
        # sorts them (milliseconds), instead of walking the whole name index hoping to meet 25 early (seconds for
        # a common surname across England).
        return people.order_by(Lower("last_name"), Lower("first_name"), "staff_id")
    return people.order_by("last_name", "first_name", "staff_id")


def person_get(*, assignment, user, staff_id: str) -> Person:
    """One staff record the user may read; 404 when it does not exist or is out of reach."""
    person = (
        Person.objects.filter(person_visible_q(assignment=assignment, user=user))
        .select_related("organisation", "line_manager", "line_manager__organisation")
        .filter(staff_id=staff_id)
        .first()
    )
    if person is None:
        raise Http404("No such staff record")
    return person


def person_team(*, manager: Person) -> QuerySet[Person]:
    """A manager's direct and indirect reports, in post."""
    from django.utils import timezone

    return (
        Person.objects.filter(reports_q(manager_id=manager.pk))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate()))
        .select_related("organisation", "line_manager")
        .order_by("last_name", "first_name")
    )


def person_history(*, person: Person) -> QuerySet[EmploymentChange]:
    return person.history.select_related("organisation").order_by("-effective_on", "-id")


def monitoring_visible(*, assignment, user, person: Person) -> bool:
    """Whether the viewer may read this person's special-category data."""
    if user.person_id == person.pk:
        return True
    if not assignment_has(assignment, VIEW_SPECIAL_CATEGORY):
        return False
    return Scope.of(assignment).contains_path(person.organisation.path)


def person_monitoring_read(*, assignment, user, person: Person, purpose: str) -> EqualityMonitoring | None:
    """Read a person's equality monitoring answers, recording who read them and why (403 when not allowed)."""
    from django.core.exceptions import PermissionDenied

    if not monitoring_visible(assignment=assignment, user=user, person=person):
        raise PermissionDenied
    monitoring = EqualityMonitoring.objects.filter(person=person).first()
    audit_record(
        actor=Actor(user=user),
        action=AuditLog.Action.VIEW_SPECIAL,
        object_type="people.EqualityMonitoring",
        object_id=person.staff_id,
        object_repr=purpose[:255],
        subject_person_id=person.pk,
        organisation_id=person.organisation_id,
    )
    return monitoring


def person_monitoring_viewers(*, person: Person, limit: int = 50) -> QuerySet[AuditLog]:
    """Who else has read this person's special-category data, newest first."""
    qs = AuditLog.objects.filter(subject_person_id=person.pk, action=AuditLog.Action.VIEW_SPECIAL)
    user = getattr(person, "user", None)
    if user is not None:
        qs = qs.exclude(actor_id=user.pk)
    return qs.order_by("-at")[:limit]
