"""Reads of EDI action plans. Pages reach plans only through the scoped functions here; other apps (the equality
dashboard, the regulator's evidence pack) call ``actions_for`` and ``progress_summary`` for one organisation."""

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from carelead.accounts.permissions import Scope
from carelead.actionplans.catalogue import measure_order
from carelead.actionplans.models import Action, ActionUpdate, overdue_q
from carelead.core.choices import OrganisationType
from carelead.organisations.models import Organisation

# Plans belong to the organisations that employ staff; the national body and regions only oversee them.
_OVERSEERS = (OrganisationType.NATIONAL, OrganisationType.REGION)


def _organisation_q(organisation: Organisation, *, beneath: bool) -> Q:
    if beneath:
        return Q(organisation__path__startswith=organisation.path)
    return Q(organisation=organisation)


def actions_for(organisation: Organisation, *, measure_codes=None, beneath: bool = False) -> list[Action]:
    """An organisation's actions (or, with ``beneath``, those of everything under it too), in catalogue order."""
    actions = Action.objects.filter(_organisation_q(organisation, beneath=beneath)).select_related("organisation")
    if measure_codes is not None:
        actions = actions.filter(measure_code__in=list(measure_codes))
    return list(_in_catalogue_order(actions))


def progress_summary(organisation: Organisation, *, beneath: bool = False) -> dict:
    """Counts of an organisation's actions by status, overdue today, done by the due date and measures covered."""
    today = timezone.localdate()
    counts = Action.objects.filter(_organisation_q(organisation, beneath=beneath)).aggregate(
        total=Count("id"),
        planned=Count("id", filter=Q(status=Action.Status.PLANNED)),
        in_progress=Count("id", filter=Q(status=Action.Status.IN_PROGRESS)),
        done=Count("id", filter=Q(status=Action.Status.DONE)),
        dropped=Count("id", filter=Q(status=Action.Status.DROPPED)),
        overdue=Count("id", filter=overdue_q(today=today)),
        done_on_time=Count("id", filter=Q(status=Action.Status.DONE, completed_on__lte=F("due_on"))),
        measures=Count("measure_code", distinct=True),
    )
    return counts


def _in_catalogue_order(actions: QuerySet[Action]) -> QuerySet[Action]:
    order = measure_order()
    position = Case(
        *[When(measure_code=code, then=Value(i)) for code, i in order.items()],
        default=Value(len(order)),
        output_field=IntegerField(),
    )
    return actions.annotate(measure_position=position).order_by("measure_position", "measure_code", "due_on", "pk")


def plan_organisations(*, assignment, q: str = "") -> QuerySet[Organisation]:
    """Organisations in the assignment's scope that may hold a plan, with how many actions each has."""
    orgs = Organisation.objects.filter(Scope.of(assignment).organisations_q()).exclude(type__in=_OVERSEERS)
    if q:
        orgs = orgs.filter(Q(name__icontains=q) | Q(code__iexact=q))
    return orgs.annotate(actions=Count("edi_actions")).order_by("name", "code")


def plan_organisation_default(*, assignment) -> Organisation | None:
    """The organisation whose plan opens first: the assignment's own, unless it only oversees others."""
    if assignment.organisation_id is None or assignment.organisation.type in _OVERSEERS:
        return None
    return assignment.organisation


def plan_choice_offered(*, assignment) -> bool:
    """Whether the scope reaches plans other than the assignment's own organisation's."""
    if plan_organisation_default(assignment=assignment) is None:
        return True
    others = Organisation.objects.filter(Scope.of(assignment).organisations_q()).exclude(type__in=_OVERSEERS)
    return others.exclude(pk=assignment.organisation_id).exists()


def plan_organisation_get(*, assignment, code: str) -> Organisation:
    """One organisation in the assignment's scope (404 when unknown or out of reach, alike)."""
    return get_object_or_404(
        Organisation.objects.filter(Scope.of(assignment).organisations_q()), code=code.strip().upper()
    )


def action_list(
    *, organisation: Organisation, status: str = "", measure: str = "", overdue: bool = False
) -> QuerySet[Action]:
    """One organisation's actions matching the filters, in catalogue order then by due date."""
    actions = Action.objects.filter(organisation=organisation)
    if status:
        actions = actions.filter(status=status)
    if measure:
        actions = actions.filter(measure_code=measure)
    if overdue:
        actions = actions.filter(overdue_q())
    return _in_catalogue_order(actions)


def action_get(*, assignment, pk: int) -> Action:
    """One action of an organisation in the assignment's scope (404 otherwise)."""
    actions = Action.objects.filter(Scope.of(assignment).organisations_q("organisation__")).select_related(
        "organisation", "owner", "created_by"
    )
    try:
        return actions.get(pk=pk)
    except Action.DoesNotExist:
        raise Http404("No such action") from None


def action_updates(*, action: Action) -> QuerySet[ActionUpdate]:
    """The progress log of an action, newest first."""
    return action.updates.select_related("recorded_by")


def plan_summary(*, assignment, include_empty: bool = False) -> QuerySet[Organisation]:
    """Per organisation in scope: actions, done, overdue and measures covered, most overdue first."""
    today = timezone.localdate()
    orgs = Organisation.objects.filter(Scope.of(assignment).organisations_q()).annotate(
        total=Count("edi_actions"),
        done=Count("edi_actions", filter=Q(edi_actions__status=Action.Status.DONE)),
        overdue=Count("edi_actions", filter=overdue_q(today=today, prefix="edi_actions__")),
        measures=Count("edi_actions__measure_code", distinct=True),
    )
    shown = Q(total__gt=0) | ~Q(type__in=_OVERSEERS) if include_empty else Q(total__gt=0)
    orgs = orgs.filter(shown)
    return orgs.order_by("-overdue", "name", "code")
