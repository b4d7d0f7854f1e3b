"""Pages for recording promotions through the gate and for gate exceptions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from carelead.accounts.permissions import Scope, assignment_has, permission_required
from carelead.accounts.roles import Role
from carelead.core.disclosure import count_exact, count_published
from carelead.people.selectors import person_get
from carelead.standards.forms import ChangeLevelForm, ExceptionDecisionForm, ExceptionRequestForm
from carelead.standards.gate import eligibility_for_level
from carelead.standards.models import GateException
from carelead.standards.permissions import (
    CHANGE_LEVEL,
    DECIDE_EXCEPTION,
    REQUEST_EXCEPTION,
    VIEW_EXCEPTIONS,
    VIEW_INDUCTION,
)
from carelead.standards.services import exception_decide, exception_request, person_change_level


@permission_required(CHANGE_LEVEL)
def person_change_level_view(request, staff_id: str):
    """Record a promotion or new level for someone in the HR lead's organisation, through the gate."""
    person = person_get(assignment=request.assignment, user=request.user, staff_id=staff_id)
    form = ChangeLevelForm(
        request.POST or None,
        initial={
            "level": person.level,
            "pay_band": person.pay_band,
            "job_title": person.job_title,
            "effective_on": timezone.localdate(),
        },
    )
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            person_change_level(person=person, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            refusal = "; ".join(exc.messages)
        else:
            messages.success(request, f"{person.full_name}'s new level has been recorded.")
            return redirect("people:detail", staff_id=person.staff_id)
    return render(
        request,
        "standards/change_level.jinja",
        {
            "person": person,
            "form": form,
            "refusal": refusal,
            "page_has_errors": bool(form.errors or refusal),
            "can_request": assignment_has(request.assignment, REQUEST_EXCEPTION),
        },
    )


@permission_required(REQUEST_EXCEPTION)
def exception_new(request, staff_id: str):
    """Ask for a time-limited exception to the gate for one person and level."""
    person = person_get(assignment=request.assignment, user=request.user, staff_id=staff_id)
    form = ExceptionRequestForm(request.POST or None, initial={"level": request.GET.get("level", "")})
    if request.method == "POST" and form.is_valid():
        try:
            exception_request(person=person, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, "; ".join(exc.messages))
        else:
            messages.success(
                request, "The exception has been requested. Someone else with the authority must decide it."
            )
            return redirect("standards:exceptions")
    level = form.data.get("level") or request.GET.get("level")
    missing = (
        eligibility_for_level(person=person, level=level).missing if level in dict(form.fields["level"].choices) else []
    )
    return render(
        request,
        "standards/exception_new.jinja",
        {"person": person, "form": form, "missing": missing, "page_has_errors": bool(form.errors)},
    )


def _exceptions_in_scope(assignment):
    scope = Scope.of(assignment)
    exceptions = GateException.objects.select_related("person", "person__organisation", "requested_by", "decided_by")
    if not scope.national:
        exceptions = exceptions.filter(person__organisation__path__startswith=scope.path)
    return exceptions


@permission_required(VIEW_EXCEPTIONS)
def exception_index(request):
    """How often the gate is bypassed, by organisation; requests waiting for a decision."""
    assignment = request.assignment
    exceptions = _exceptions_in_scope(assignment)
    today = timezone.localdate()
    by_org = (
        exceptions.values("person__organisation__code", "person__organisation__name")
        .annotate(
            requested=Count("id"),
            approved=Count("id", filter=Q(status="approved")),
            active=Count("id", filter=Q(status="approved", expires_on__gte=today)),
        )
        .order_by("person__organisation__name")
    )
    # The regulator reads no individual's record: published counts only, and no list of requests.
    individual = assignment.role != Role.REGULATOR
    show = count_exact if individual else count_published
    rows = [
        {
            "code": r["person__organisation__code"],
            "name": r["person__organisation__name"],
            "requested": show(r["requested"]).text,
            "approved": show(r["approved"]).text,
            "active": show(r["active"]).text,
        }
        for r in by_org
    ]
    pending = None
    if individual:
        pending = Paginator(exceptions.order_by("-created_at"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "standards/exceptions.jinja",
        {
            "rows": rows,
            "pending": pending,
            "individual": individual,
            "can_decide": assignment_has(assignment, DECIDE_EXCEPTION),
            "decision_form": ExceptionDecisionForm(),
        },
    )


@require_POST
@permission_required(DECIDE_EXCEPTION)
def exception_decide_view(request, pk: int):
    """Approve or refuse one requested exception in the decider's scope."""
    exception = get_object_or_404(_exceptions_in_scope(request.assignment), pk=pk)
    form = ExceptionDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose approve or refuse.")
        return redirect("standards:exceptions")
    try:
        exception_decide(
            exception=exception,
            approve=form.cleaned_data["decision"] == "approve",
            by=request.user,
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(request, "The decision has been recorded.")
    return redirect("standards:exceptions")


@permission_required(VIEW_INDUCTION)
def induction_dashboard(request):
    """National induction completion by organisation, ICB, region or sector; overdue joiners for HR."""
    from carelead.standards.induction import GROUPINGS, induction_overdue, induction_rates

    assignment = request.assignment
    scope = Scope.of(assignment)
    by = request.GET.get("by", "organisation")
    if by not in GROUPINGS:
        by = "organisation"
    published = assignment.role == Role.REGULATOR
    rows = []
    for row in induction_rates(scope=scope, by=by):
        if published:
            joiners, completed, overdue = (count_published(n) for n in (row.joiners, row.completed, row.overdue))
            rate = None
            if not (joiners.suppressed or completed.suppressed) and joiners.text not in ("0",):
                rate = int(completed.text.replace(",", "")) / int(joiners.text.replace(",", ""))
        else:
            joiners, completed, overdue = (count_exact(n) for n in (row.joiners, row.completed, row.overdue))
            rate = row.rate
        rows.append(
            {
                "code": row.code,
                "name": row.name,
                "joiners": joiners.text,
                "completed": completed.text,
                "overdue": overdue.text,
                "rate": "–" if rate is None else f"{rate:.0%}",
            }
        )
    overdue_page = None
    if not published:
        overdue_page = Paginator(induction_overdue(scope=scope), 25).get_page(request.GET.get("page"))
    from django.conf import settings

    return render(
        request,
        "standards/induction.jinja",
        {
            "rows": rows,
            "by": by,
            "groupings": list(GROUPINGS),
            "published": published,
            "overdue": overdue_page,
            "due_days": settings.CARELEAD_INDUCTION_DUE_DAYS,
            "since": settings.CARELEAD_INDUCTION_FROM,
        },
    )
