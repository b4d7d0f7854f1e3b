"""Pages for EDI action plans: one organisation's plan, its actions and their progress, and a regional summary."""

from itertools import groupby

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from carelead.accounts.permissions import assignment_has, permission_required, require
from carelead.actionplans.catalogue import measure_catalogue, standard_name
from carelead.actionplans.forms import (
    ActionForm,
    OrganisationSearchForm,
    PlanFilterForm,
    ProgressForm,
    SummaryFilterForm,
)
from carelead.actionplans.models import ActionUpdate
from carelead.actionplans.permissions import MANAGE_ACTIONS, VIEW_ACTION_SUMMARY, VIEW_ACTIONS
from carelead.actionplans.selectors import (
    action_get,
    action_list,
    action_updates,
    actions_for,
    plan_choice_offered,
    plan_organisation_default,
    plan_organisation_get,
    plan_organisations,
    plan_summary,
    progress_summary,
)
from carelead.actionplans.services import action_change, action_create, action_plan_exported, action_progress_record
from carelead.core import spreadsheet
from carelead.core.forms import add_service_errors
from carelead.equality.selectors import worst_measures

PAGE_SIZE = 25


# Where the action services name a field differently from the forms.
SERVICE_FIELDS = {"owner": "owner_email", "dropped_reason": "note"}


def _plan_url(organisation, **params) -> str:
    return reverse("actionplans:list") + "?" + urlencode({"org": organisation.code, **params})


def _plan_organisation(request):
    """The organisation named by ?org= (within the scope), else the assignment's own; None when neither."""
    code = request.GET.get("org", "").strip()
    if code:
        return plan_organisation_get(assignment=request.assignment, code=code)
    return plan_organisation_default(assignment=request.assignment)


def _measures_by_code() -> dict:
    return {m.code: m for m in measure_catalogue()}


@permission_required(VIEW_ACTIONS)
def action_plan(request):
    """One organisation's action plan grouped by measure; or, to choose an organisation, a search of the scope."""
    organisation = None if "q" in request.GET else _plan_organisation(request)
    if organisation is None:
        form = OrganisationSearchForm(request.GET or None)
        q = form.cleaned_data["q"].strip() if form.is_valid() else ""
        page = Paginator(plan_organisations(assignment=request.assignment, q=q), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        return render(
            request,
            "actionplans/choose.jinja",
            {
                "form": form,
                "page": page,
                "q": q,
                "can_summarise": assignment_has(request.assignment, VIEW_ACTION_SUMMARY),
            },
        )

    filters = PlanFilterForm(request.GET)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    actions = action_list(
        organisation=organisation,
        status=chosen.get("status", ""),
        measure=chosen.get("measure", ""),
        overdue=chosen.get("overdue", False),
    )
    page = Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    measures = _measures_by_code()
    groups = [
        (code, measures.get(code), list(items))
        for code, items in groupby(page.object_list, key=lambda a: a.measure_code)
    ]
    return render(
        request,
        "actionplans/list.jinja",
        {
            "organisation": organisation,
            "summary": progress_summary(organisation),
            "worst": worst_measures(organisation=organisation, assignment=request.assignment),
            "filters": filters,
            "page": page,
            "groups": groups,
            "standard_name": standard_name,
            "today": timezone.localdate(),
            "can_manage": assignment_has(request.assignment, MANAGE_ACTIONS),
            "can_choose": plan_choice_offered(assignment=request.assignment),
            "can_summarise": assignment_has(request.assignment, VIEW_ACTION_SUMMARY),
            "new_url": reverse("actionplans:create") + "?" + urlencode({"org": organisation.code}),
            "download_url": reverse("actionplans:download") + "?" + urlencode({"org": organisation.code}),
        },
    )


@permission_required(MANAGE_ACTIONS)
def action_create_view(request):
    """Add an action to an organisation's plan."""
    organisation = _plan_organisation(request)
    if organisation is None:
        messages.info(request, "Choose the organisation the action is for.")
        return redirect(reverse("actionplans:list") + "?q=")
    today = timezone.localdate()
    form = ActionForm(
        request.POST or None,
        organisation=organisation,
        initial={"start_on": today, "measure_code": request.GET.get("measure", "")},
    )
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        values["owner"] = values.pop("owner_email")
        try:
            action = action_create(organisation=organisation, by=request.user, **values)
        except ValidationError as exc:
            add_service_errors(form, exc, rename=SERVICE_FIELDS)
        else:
            messages.success(request, "The action has been added to the plan.")
            return redirect("actionplans:detail", pk=action.pk)
    return render(
        request,
        "actionplans/form.jinja",
        {
            "organisation": organisation,
            "form": form,
            "action": None,
            "plan_url": _plan_url(organisation),
            "page_has_errors": bool(form.errors),
        },
    )


@permission_required(MANAGE_ACTIONS)
def action_edit_view(request, pk: int):
    """Change what an action says; its status moves through progress updates instead."""
    action = action_get(assignment=request.assignment, pk=pk)
    initial = {
        "measure_code": action.measure_code,
        "title": action.title,
        "description": action.description,
        "success_measure": action.success_measure,
        "owner_name": action.owner_name,
        "owner_role": action.owner_role,
        "owner_email": action.owner.email if action.owner else "",
        "start_on": action.start_on,
        "due_on": action.due_on,
    }
    form = ActionForm(request.POST or None, organisation=action.organisation, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        values["owner"] = values.pop("owner_email")
        try:
            action_change(action=action, by=request.user, **values)
        except ValidationError as exc:
            add_service_errors(form, exc, rename=SERVICE_FIELDS)
        else:
            messages.success(request, "The action has been changed.")
            return redirect("actionplans:detail", pk=action.pk)
    return render(
        request,
        "actionplans/form.jinja",
        {
            "organisation": action.organisation,
            "form": form,
            "action": action,
            "plan_url": _plan_url(action.organisation),
            "page_has_errors": bool(form.errors),
        },
    )


@permission_required(VIEW_ACTIONS)
def action_detail(request, pk: int):
    """One action and its progress log; managers add updates here, which may change the status."""
    action = action_get(assignment=request.assignment, pk=pk)
    can_manage = assignment_has(request.assignment, MANAGE_ACTIONS)
    form = None
    if request.method == "POST":
        require(request, MANAGE_ACTIONS)
        form = ProgressForm(request.POST, action=action)
        if form.is_valid():
            try:
                update = action_progress_record(
                    action=action,
                    by=request.user,
                    on=form.cleaned_data["date"],
                    note=form.cleaned_data["note"],
                    status=form.cleaned_data["status"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc, rename=SERVICE_FIELDS)
            else:
                text = "The update has been added to the progress log."
                if update.status_changed:
                    text = f"The update has been added and the action is now {update.get_status_display().lower()}."
                messages.success(request, text)
                return redirect("actionplans:detail", pk=action.pk)
    elif can_manage:
        form = ProgressForm(action=action)
    return render(
        request,
        "actionplans/detail.jinja",
        {
            "action": action,
            "measure": action.measure,
            "standard_name": standard_name,
            "updates": action_updates(action=action),
            "today": timezone.localdate(),
            "form": form,
            "can_manage": can_manage,
            "plan_url": _plan_url(action.organisation),
            "page_has_errors": bool(form is not None and form.errors),
        },
    )


@permission_required(VIEW_ACTION_SUMMARY)
def action_plan_summary(request):
    """Action-plan progress for every organisation in the scope, the most overdue first."""
    form = SummaryFilterForm(request.GET or None)
    include_empty = bool(form.is_valid() and form.cleaned_data["include_empty"])
    page = Paginator(plan_summary(assignment=request.assignment, include_empty=include_empty), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "actionplans/summary.jinja",
        {"form": form, "page": page, "include_empty": include_empty},
    )


CSV_COLUMNS = [
    "organisation_code",
    "organisation_name",
    "standard",
    "measure_code",
    "measure_title",
    "action_id",
    "title",
    "what_will_be_done",
    "how_success_is_measured",
    "owner_name",
    "owner_role",
    "start_on",
    "due_on",
    "status",
    "overdue",
    "completed_on",
    "done_on_time",
    "dropped_reason",
    "updates",
    "last_update_on",
    "last_update_note",
]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)
    return text  # the CSV writer keeps formula-like text as text (core.spreadsheet)


@permission_required(VIEW_ACTIONS)
def action_plan_download(request):
    """An organisation's whole action plan as CSV, one row per action, for the evidence pack."""
    organisation = _plan_organisation(request)
    if organisation is None:
        raise Http404("Choose an organisation")
    actions = actions_for(organisation)
    updates: dict[int, list[ActionUpdate]] = {}
    for update in ActionUpdate.objects.filter(action__in=[a.pk for a in actions]).order_by(
        "action_id", "-date", "-recorded_at", "-pk"
    ):
        updates.setdefault(update.action_id, []).append(update)
    measures = _measures_by_code()
    today = timezone.localdate()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="edi-action-plan-{organisation.code}-{today}.csv"'
    writer = spreadsheet.csv_writer(response, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for action in actions:
        measure = measures.get(action.measure_code)
        log = updates.get(action.pk, [])
        latest = log[0] if log else None
        writer.writerow(
            _cell(v)
            for v in [
                organisation.code,
                organisation.name,
                measure.standard.upper() if measure else "",
                action.measure_code,
                measure.title if measure else "",
                action.pk,
                action.title,
                action.description,
                action.success_measure,
                action.owner_name,
                action.owner_role,
                action.start_on,
                action.due_on,
                action.get_status_display(),
                action.is_overdue_on(today),
                action.completed_on,
                action.done_on_time if action.status == action.Status.DONE else None,
                action.dropped_reason,
                len(log),
                latest.date if latest else None,
                latest.note if latest else None,
            ]
        )
    action_plan_exported(organisation=organisation, by=request.user, rows=len(actions))
    return response
