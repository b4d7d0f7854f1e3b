"""9-box pages: a team's, an organisation's or a pool's grid beside a table of its people, and one person's
placement with its calibrations."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from carelead.accounts.permissions import Scope, assignment_has, permission_required
from carelead.accounts.roles import Role
from carelead.organisations.models import Organisation
from carelead.talent import ninebox
from carelead.talent.forms import CalibrationForm, NineBoxFilterForm
from carelead.talent.permissions import NOMINATE_TO_POOL, VIEW_NINEBOX, VIEW_POOLS
from carelead.talent.pools import PoolPolicy, pool_get

PAGE_SIZE = 50


def _grid_page(request, *, people, context: dict):
    """The grid over everyone in ``people`` and one page of the table, filtered by box and name."""
    placements = ninebox.placements_for(people)
    filters = NineBoxFilterForm(request.GET)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    shown = ninebox.placements_filter(placements, cell=chosen.get("cell", ""), q=chosen.get("q", ""))
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    cell = chosen.get("cell", "")
    return render(
        request,
        "talent/ninebox.jinja",
        {
            **context,
            "grid": ninebox.grid_of(placements),
            "page": page,
            "filters": filters,
            "cell": cell,
            "cell_text": (
                "Not placed" if cell == "none" else ninebox.cell_label(*map(int, cell.split("-"))) if cell else ""
            ),
            "score_label": ninebox.SCORE_LABEL,
        },
    )


def _organisation_for(request) -> Organisation | None:
    """The organisation whose 9-box HR or a national administrator asked for (?org=), within their scope."""
    code = request.GET.get("org", "").strip()
    scope = Scope.of(request.assignment)
    if not code:
        return None if scope.national else request.assignment.organisation
    organisation = Organisation.objects.filter(code__iexact=code).first()
    if organisation is None or not scope.contains_path(organisation.path):
        raise Http404("No such organisation in your scope")
    return organisation


@permission_required(VIEW_NINEBOX)
def ninebox_view(request):
    """The 9-box of the user's scope: a manager's team, HR's organisation; a choice of pool or organisation for
    the regional talent team and national administrators."""
    role = request.assignment.role
    if role == Role.LINE_MANAGER:
        me = request.user.person
        if me is None:
            raise PermissionDenied
        return _grid_page(
            request,
            people=ninebox.team_people(manager_id=me.pk),
            context={"title": "Your team's 9-box", "scope_text": "Everyone you manage, directly or through others"},
        )
    if role in (Role.ORG_HR, Role.NATIONAL_ADMIN):
        organisation = _organisation_for(request)
        if organisation is not None:
            return _grid_page(
                request,
                people=ninebox.organisation_people(organisation=organisation),
                context={
                    "title": f"9-box: {organisation.name}",
                    "scope_text": f"Everyone in post at {organisation.name} and the organisations beneath it",
                    "organisation": organisation,
                    "can_calibrate": role == Role.ORG_HR,
                },
            )
    pools = PoolPolicy.of(request).pools() if assignment_has(request.assignment, VIEW_POOLS) else None
    return render(
        request,
        "talent/ninebox_choose.jinja",
        {"pools": list(pools.order_by("region__name", "level")[:100]) if pools is not None else [], "role": role},
    )


@permission_required(VIEW_POOLS)
def pool_ninebox_view(request, pk: int):
    """The 9-box of a pool's current members."""
    pool = pool_get(policy=PoolPolicy.of(request), pk=pk)
    return _grid_page(
        request,
        people=ninebox.pool_people(pool=pool),
        context={
            "title": f"9-box: {pool.name}",
            "scope_text": (
                f"The current members of {pool.name} ({pool.region.name}, {pool.get_level_display().lower()})"
            ),
            "pool": pool,
            "can_calibrate": PoolPolicy.of(request).runs(pool),
        },
    )


@permission_required(VIEW_NINEBOX)
def ninebox_person_view(request, staff_id: str):
    """One person's placement, where it came from, its calibrations and (for HR and the regional talent team) the
    form to calibrate it."""
    person = ninebox.ninebox_person_get(assignment=request.assignment, user=request.user, staff_id=staff_id)
    policy = ninebox.NineBoxPolicy(assignment=request.assignment, user=request.user)
    can_calibrate = policy.may_calibrate(person)
    placement = ninebox.placement_of(person)
    form = CalibrationForm(
        request.POST if request.method == "POST" else None,
        initial={"performance": placement.performance, "potential": placement.potential},
    )
    if request.method == "POST":
        if not can_calibrate:
            raise PermissionDenied
        if form.is_valid():
            try:
                ninebox.ninebox_calibrate(
                    person=person,
                    performance=form.cleaned_data["performance"],
                    potential=form.cleaned_data["potential"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                    assignment=request.assignment,
                )
            except ValidationError as exc:
                for name, errors in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                messages.success(request, "Calibration recorded. The original placement is kept beside it.")
                return redirect("talent:ninebox_person", staff_id=person.staff_id)
    can_nominate = assignment_has(request.assignment, NOMINATE_TO_POOL) and PoolPolicy.of(request).may_nominate(person)
    return render(
        request,
        "talent/ninebox_person.jinja",
        {
            "person": person,
            "placement": placement,
            "history": ninebox.calibration_history(person=person),
            "form": form,
            "can_calibrate": can_calibrate,
            "can_nominate": can_nominate,
            "cell_label": ninebox.cell_label,
            "score_label": ninebox.SCORE_LABEL,
            "page_has_errors": bool(form.errors),
        },
    )
