"""Talent pool pages: the region's pools and member search, one pool with its composition, opening a pool, the
queue of nominations, one nomination with its decisions, nominating, one's nominations and one's own pools."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from carelead.accounts.permissions import assignment_has, permission_required
from carelead.core.choices import OrganisationType
from carelead.core.forms import add_service_errors
from carelead.organisations.models import Organisation
from carelead.people.models import Person
from carelead.people.permissions import VIEW_OWN_RECORD
from carelead.talent import pools as services
from carelead.talent import pools_selectors as selectors
from carelead.talent.forms import (
    DecisionForm,
    MemberFilterForm,
    NominationFilterForm,
    NominationForm,
    PoolForm,
    RenewForm,
    WithdrawForm,
)
from carelead.talent.models import MembershipStatus, TalentPool
from carelead.talent.ninebox import NineBoxPolicy
from carelead.talent.permissions import NOMINATE_TO_POOL, RUN_POOLS, VIEW_NINEBOX, VIEW_POOLS
from carelead.talent.pools import PoolPolicy

PAGE_SIZE = 50


def _regions() -> list[tuple[str, str]]:
    return list(Organisation.objects.filter(type=OrganisationType.REGION).order_by("name").values_list("code", "name"))


def _member_search(request, *, pools, fixed: dict | None = None):
    filters = MemberFilterForm(request.GET, regions=_regions())
    chosen = dict(filters.cleaned_data) if filters.is_valid() else {}
    chosen.update(fixed or {})
    results = selectors.member_search(
        pools=pools, filters=chosen, page_number=request.GET.get("page"), page_size=PAGE_SIZE
    )
    return filters, results


@permission_required(VIEW_POOLS)
def pools_view(request):
    """The pools the user reads, with their numbers, and a search of their members."""
    policy = PoolPolicy.of(request)
    pools = policy.pools()
    filters, results = _member_search(request, pools=pools)
    return render(
        request,
        "talent/pool_list.jinja",
        {
            "pools": list(selectors.pools_with_counts(pools)),
            "filters": filters,
            "results": results,
            "national": policy.region_id is None,
            "can_run": assignment_has(request.assignment, RUN_POOLS),
        },
    )


@permission_required(VIEW_POOLS)
def pool_view(request, pk: int):
    """One pool: what it is for, its numbers, its composition beside the region's workforce, and its members."""
    policy = PoolPolicy.of(request)
    pool = services.pool_get(policy=policy, pk=pk)
    counts = selectors.pools_with_counts(TalentPool.objects.filter(pk=pool.pk)).get()
    filters, results = _member_search(request, pools=TalentPool.objects.filter(pk=pool.pk))
    return render(
        request,
        "talent/pool_detail.jinja",
        {
            "pool": pool,
            "counts": counts,
            "composition": selectors.pool_composition(pool=pool),
            "filters": filters,
            "results": results,
            "runs": policy.runs(pool),
        },
    )


@permission_required(RUN_POOLS)
def pool_new_view(request):
    """Open a pool for the region at one level."""
    form = PoolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pool = services.pool_create(**form.cleaned_data, by=request.user, assignment=request.assignment)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{pool.name} is open for nominations.")
            return redirect("talent:pool", pk=pool.pk)
    existing = list(PoolPolicy.of(request).pools().order_by("level"))
    return render(
        request,
        "talent/pool_form.jinja",
        {"form": form, "existing": existing, "page_has_errors": bool(form.errors)},
    )


@permission_required(VIEW_POOLS)
def pool_queue_view(request):
    """Nominations waiting for a decision, oldest first."""
    policy = PoolPolicy.of(request)
    pools = policy.pools()
    chosen_pool = None
    if request.GET.get("pool", "").isdigit():
        chosen_pool = services.pool_get(policy=policy, pk=int(request.GET["pool"]))
        pools = pools.filter(pk=chosen_pool.pk)
    page = Paginator(selectors.nomination_queue(pools=pools), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "talent/pool_queue.jinja",
        {"page": page, "pool": chosen_pool, "can_run": assignment_has(request.assignment, RUN_POOLS)},
    )


def _membership_step(request, membership, forms: dict) -> str | None:
    """Carry out the decision the form asked for; returns the message, or None when a form has errors."""
    step = request.POST.get("step", "")
    call = {"by": request.user, "assignment": request.assignment}
    form = forms.get(step)
    if form is None:
        raise PermissionDenied("That step is not available.")
    form = forms[step] = type(form)(request.POST, prefix=step)
    if not form.is_valid():
        return None
    try:
        if step == "decide":
            approve = form.cleaned_data["decision"] == "approve"
            services.membership_decide(
                membership=membership, approve=approve, reason=form.cleaned_data["reason"], **call
            )
            return "Nomination approved." if approve else "Nomination declined."
        if step == "renew":
            services.membership_renew(
                membership=membership,
                expires_on=form.cleaned_data["expires_on"],
                reason=form.cleaned_data["reason"],
                **call,
            )
            return "Membership renewed."
        services.membership_withdraw(membership=membership, reason=form.cleaned_data["reason"], **call)
        return "Membership withdrawn."
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


@permission_required(VIEW_OWN_RECORD)
def membership_view(request, pk: int):
    """A nomination: who nominated whom, why, what was decided and why, and (for the region's talent team) the
    decisions still open."""
    policy = PoolPolicy.of(request)
    membership = services.membership_get(policy=policy, pk=pk)
    runs = policy.runs(membership.pool) and request.user.person_id != membership.person_id
    forms = {}
    if runs and membership.status == MembershipStatus.NOMINATED:
        forms["decide"] = DecisionForm(prefix="decide")
    if runs and membership.status == MembershipStatus.APPROVED:
        latest = services.renewal_latest(membership)
        forms["renew"] = RenewForm(prefix="renew", initial={"expires_on": latest})
        forms["withdraw"] = WithdrawForm(prefix="withdraw")
    if request.method == "POST":
        if not runs:
            raise PermissionDenied
        message = _membership_step(request, membership, forms)
        if message:
            messages.success(request, message)
            return redirect("talent:membership", pk=pk)
    history = selectors.membership_history([membership])
    own = request.user.person_id == membership.person_id
    return render(
        request,
        "talent/pool_membership.jinja",
        {
            "m": membership,
            "state": selectors.membership_state(membership),
            "history": history.get(membership.pk, []),
            "forms": forms,
            "runs": runs,
            "own": own,
            "latest_renewal": services.renewal_latest(membership) if "renew" in forms else None,
            "ninebox_link": not own
            and assignment_has(request.assignment, VIEW_NINEBOX)
            and NineBoxPolicy(assignment=request.assignment, user=request.user).may_read(membership.person),
            "page_has_errors": any(f.errors for f in forms.values()),
        },
    )


@permission_required(NOMINATE_TO_POOL)
def nominate_view(request):
    """Nominate someone one manages (or, for HR, anyone in the organisation) to their region's pool."""
    policy = PoolPolicy.of(request)
    staff_id = request.GET.get("staff_id", "").strip()
    form = NominationForm(request.POST or None, initial={"staff_id": staff_id})
    person = None
    if staff_id and request.method != "POST":
        person = Person.objects.filter(policy.nominable_q(), staff_id=staff_id).select_related("organisation").first()
    if request.method == "POST" and form.is_valid():
        person = (
            Person.objects.filter(policy.nominable_q(), staff_id=form.cleaned_data["staff_id"].strip())
            .select_related("organisation")
            .first()
        )
        if person is None:
            form.add_error("staff_id", "No one you can nominate has that staff ID")
        else:
            try:
                membership = services.membership_nominate(
                    person=person,
                    level=form.cleaned_data["level"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                    assignment=request.assignment,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, f"{person.full_name} is nominated to {membership.pool.name}. The regional team decides."
                )
                return redirect("talent:membership", pk=membership.pk)
    return render(
        request,
        "talent/pool_nominate.jinja",
        {"form": form, "person": person, "page_has_errors": bool(form.errors)},
    )


@permission_required(NOMINATE_TO_POOL)
def nominations_view(request):
    """The nominations a manager made, or (for HR) the organisation's, with their decisions."""
    filters = NominationFilterForm(request.GET)
    status = filters.cleaned_data.get("status", "") if filters.is_valid() else ""
    nominations = selectors.nominations_for(policy=PoolPolicy.of(request), status=status)
    page = Paginator(nominations, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(
        request,
        "talent/pool_nominations.jinja",
        {
            "page": page,
            "filters": filters,
            "states": {m.pk: selectors.membership_state(m, today) for m in page.object_list},
        },
    )


@permission_required(VIEW_OWN_RECORD)
def pools_mine_view(request):
    """One's own nominations and memberships, with every reason given about them."""
    person = request.user.person
    if person is None:
        raise PermissionDenied
    memberships = selectors.memberships_of(person=person)
    today = timezone.localdate()
    return render(
        request,
        "talent/pool_mine.jinja",
        {
            "memberships": memberships,
            "history": selectors.membership_history(memberships),
            "states": {m.pk: selectors.membership_state(m, today) for m in memberships},
            "nominations_url": reverse("talent:nominations")
            if assignment_has(request.assignment, NOMINATE_TO_POOL)
            else None,
        },
    )
