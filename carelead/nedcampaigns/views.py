"""Pages of NED campaigns: the list, opening a campaign for a board (pre-filled from its skills gaps and the seats
ending soon), a campaign with its funnel and candidates, the longlist builder, the decision and appointment forms,
ending a campaign, and its decisions by group as published figures."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from carelead.accounts.permissions import Scope, assignment_has, permission_required
from carelead.boards.selectors import board_organisation_get, regions_in_scope
from carelead.core.forms import add_service_errors
from carelead.fitproper.selectors import barring_matches
from carelead.nedcampaigns import selectors, services
from carelead.nedcampaigns.forms import (
    AppointmentForm,
    CampaignEndForm,
    CampaignFilterForm,
    CampaignForm,
    DecisionForm,
    LonglistAddForm,
    LonglistSearchForm,
    OrganisationChoiceForm,
)
from carelead.nedcampaigns.models import Authority, Campaign, CampaignRole, Stage, Step, authorities_for
from carelead.nedcampaigns.permissions import RUN_CAMPAIGNS, VIEW_CAMPAIGNS
from carelead.nedpool.selectors import region_choices

PAGE_SIZE = 25
LONGLIST_PAGE_SIZE = 20
# A new campaign closes to new candidates four weeks after it opens, unless the team sets another date.
CLOSING_DAYS = 28


def _page(request, items, size: int = PAGE_SIZE):
    return Paginator(items, size).get_page(request.GET.get("page"))


def _campaign_url(campaign) -> str:
    return reverse("nedcampaigns:detail", kwargs={"pk": campaign.pk})


def _where(request) -> str:
    return "England" if Scope.of(request.assignment).national else request.assignment.organisation.name


def _run_campaign(request, pk: int) -> Campaign:
    """A campaign the acting role runs (404 when out of reach)."""
    campaign = selectors.campaign_get(assignment=request.assignment, pk=pk)
    if not selectors.campaign_may_run(assignment=request.assignment, campaign=campaign):
        raise Http404("No such campaign")
    return campaign


@permission_required(VIEW_CAMPAIGNS)
@require_http_methods(["GET", "HEAD"])
def campaign_list_view(request):
    """Every campaign in the scope, filtered by status, region and organisation."""
    regions = [(r.code, r.name) for r in regions_in_scope(assignment=request.assignment)]
    filters = CampaignFilterForm(request.GET, regions=regions)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    page = _page(request, selectors.campaign_list(assignment=request.assignment, filters=chosen))
    return render(
        request,
        "nedcampaigns/list.jinja",
        {
            "filters": filters,
            "page": page,
            "show_regions": len(regions) > 1,
            "where": _where(request),
            "can_run": assignment_has(request.assignment, RUN_CAMPAIGNS),
            "filtered": any(chosen.values()) if chosen else False,
        },
    )


def _profile_form(*, organisation, initial, data=None):
    return CampaignForm(data, initial=initial, organisation=organisation, domains=selectors.board_domains())


def _save_profile(request, form, *, organisation, campaign=None):
    data = form.cleaned_data
    values = {
        "role": data["role"],
        "seats": data["seats"],
        "title": data["title"],
        "closing_date": data["closing_date"],
        "authority": data["authority"],
        "skills": data["skills"],
        "domains": form.chosen_domains(),
        "person_specification": data["person_specification"],
    }
    if campaign is None:
        return services.campaign_create(
            assignment=request.assignment,
            by=request.user,
            organisation=organisation,
            open_now=request.POST.get("action") == "open",
            **values,
        )
    return services.campaign_update(assignment=request.assignment, by=request.user, campaign=campaign, **values)


@permission_required(RUN_CAMPAIGNS)
@require_http_methods(["GET", "HEAD", "POST"])
def campaign_new_view(request):
    """Open a campaign for a board: the role profile starts from the board's skills gaps and the seats whose terms
    end soon (``?org=<organisation code>``)."""
    code = request.GET.get("org", "").strip()
    if not code:
        return render(request, "nedcampaigns/choose.jinja", {"form": OrganisationChoiceForm()})
    organisation = board_organisation_get(assignment=request.assignment, code=code)
    defaults = selectors.profile_defaults(assignment=request.assignment, organisation=organisation)
    initial = {
        "title": defaults.title,
        "role": defaults.role,
        "seats": defaults.seats,
        "closing_date": timezone.localdate() + timedelta(days=CLOSING_DAYS),
        "authority": "",
        "skills": defaults.skills,
        "domains": [],
    }
    form = _profile_form(organisation=organisation, initial=initial, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = _save_profile(request, form, organisation=organisation)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            opened = campaign.status == Campaign.Status.OPEN
            messages.success(
                request,
                "Campaign opened: build the longlist from the pool." if opened else "Campaign saved as a draft.",
            )
            return redirect(_campaign_url(campaign))
    return render(
        request,
        "nedcampaigns/new.jinja",
        {
            "organisation": organisation,
            "defaults": defaults,
            "form": form,
            "page_has_errors": bool(form.errors),
            "usual_authorities": _usual_authorities(organisation),
        },
    )


def _usual_authorities(organisation) -> list[tuple[str, str]]:
    return [
        (label, Authority(authorities_for(organisation_type=organisation.type, role=role)[0]).label)
        for role, label in CampaignRole.choices
    ]


@permission_required(RUN_CAMPAIGNS)
@require_http_methods(["GET", "HEAD", "POST"])
def campaign_edit_view(request, pk: int):
    """Change the role profile of a draft campaign, or an open one before shortlisting starts."""
    campaign = _run_campaign(request, pk)
    initial = {
        "title": campaign.title,
        "role": campaign.role,
        "seats": campaign.seats,
        "closing_date": campaign.closing_date,
        "authority": campaign.authority,
        "skills": list(campaign.skills),
        "domains": [str(d.pk) for d in campaign.domains.all()],
        "person_specification": campaign.person_specification,
    }
    form = _profile_form(organisation=campaign.organisation, initial=initial, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _save_profile(request, form, organisation=campaign.organisation, campaign=campaign)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Role profile saved.")
            return redirect(_campaign_url(campaign))
    return render(
        request,
        "nedcampaigns/edit.jinja",
        {
            "campaign": campaign,
            "organisation": campaign.organisation,
            "form": form,
            "editable": campaign.status in (Campaign.Status.DRAFT, Campaign.Status.OPEN),
            "page_has_errors": bool(form.errors),
            "usual_authorities": _usual_authorities(campaign.organisation),
        },
    )


@require_POST
@permission_required(RUN_CAMPAIGNS)
def campaign_open_view(request, pk: int):
    """Open a draft campaign."""
    campaign = _run_campaign(request, pk)
    try:
        services.campaign_open(assignment=request.assignment, by=request.user, campaign=campaign)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, "Campaign opened: build the longlist from the pool.")
    return redirect(_campaign_url(campaign))


@permission_required(VIEW_CAMPAIGNS)
@require_http_methods(["GET", "HEAD"])
def campaign_detail_view(request, pk: int):
    """A campaign: its role profile, funnel, and candidates by stage with their latest decision and reason."""
    campaign = selectors.campaign_get(assignment=request.assignment, pk=pk)
    entries = selectors.campaign_entries(campaign=campaign)
    members = [e.appointment.member_id for e in entries if e.stage == Stage.APPOINTED and hasattr(e, "appointment")]
    assessments = selectors.appointment_assessments(member_ids=members)
    groups = []
    for stage in (Stage.APPOINTED, Stage.INTERVIEWED, Stage.SHORTLISTED, Stage.LONGLISTED, Stage.NOT_PROGRESSED):
        rows = [e for e in entries if e.stage == stage]
        if rows:
            groups.append((stage, Stage(stage).label, rows))
    return render(
        request,
        "nedcampaigns/detail.jinja",
        {
            "campaign": campaign,
            "organisation": campaign.organisation,
            "funnel": selectors.campaign_funnel(campaign=campaign),
            "groups": groups,
            "assessments": assessments,
            "appointed": sum(1 for e in entries if e.stage == Stage.APPOINTED),
            "can_run": selectors.campaign_may_run(assignment=request.assignment, campaign=campaign),
            "Campaign": Campaign,
            "Stage": Stage,
            "today": timezone.localdate(),
        },
    )


@permission_required(RUN_CAMPAIGNS)
@require_http_methods(["GET", "HEAD", "POST"])
def campaign_longlist_view(request, pk: int):
    """Search the pool for candidates who match the role profile, best match first, and add them to the
    longlist."""
    campaign = _run_campaign(request, pk)
    regions = region_choices()
    source = request.GET if "searched" in request.GET else selectors.longlist_filter_defaults(campaign=campaign)
    search = LonglistSearchForm(source, regions=regions)
    chosen = search.cleaned_data if search.is_valid() else {}
    results = selectors.longlist_search(assignment=request.assignment, campaign=campaign, filters=chosen)
    add_form = None
    if request.method == "POST":
        posted = [v for v in request.POST.getlist("candidates") if v.isdigit()]
        reachable = {
            c.pk: c
            for c in selectors.longlist_search(assignment=request.assignment, campaign=campaign, filters={}).filter(
                pk__in=posted
            )
        }
        add_form = LonglistAddForm(request.POST, choices=[(str(pk), c.name) for pk, c in reachable.items()])
        if add_form.is_valid():
            picked = [reachable[int(v)] for v in add_form.cleaned_data["candidates"]]
            try:
                added = services.longlist_add(
                    assignment=request.assignment,
                    by=request.user,
                    campaign=campaign,
                    candidates=picked,
                    reason=add_form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                add_service_errors(add_form, exc)
            else:
                messages.success(
                    request, f"{len(added)} candidate{'' if len(added) == 1 else 's'} added to the longlist."
                )
                return redirect(request.get_full_path())
    page = _page(request, results, LONGLIST_PAGE_SIZE)
    if add_form is None:
        add_form = LonglistAddForm(
            initial={"reason": "Matches the role profile in a search of the candidate pool"},
            choices=[(str(c.pk), c.name) for c in page.object_list],
        )
    return render(
        request,
        "nedcampaigns/longlist.jinja",
        {
            "campaign": campaign,
            "organisation": campaign.organisation,
            "search": search,
            "page": page,
            "add_form": add_form,
            "chosen": set(request.POST.getlist("candidates")) if request.method == "POST" else set(),
            "can_add": campaign.live and campaign.closing_date >= timezone.localdate(),
            "page_has_errors": bool(add_form.errors),
        },
    )


def _entry(request, pk: int, entry: int):
    campaign = _run_campaign(request, pk)
    found = selectors.entry_get(assignment=request.assignment, campaign_pk=campaign.pk, pk=entry)
    found.campaign = campaign
    return found


@permission_required(RUN_CAMPAIGNS)
@require_http_methods(["GET", "HEAD", "POST"])
def decision_view(request, pk: int, entry: int):
    """Record the next decision about one candidate: shortlisting, interview, or that they are not appointed."""
    entry = _entry(request, pk, entry)
    campaign = entry.campaign
    step = entry.next_step
    form = DecisionForm(request.POST or None, step=step) if step else None
    if request.method == "POST":
        if form is None:
            raise Http404("No decision is due for this candidate")
        if form.is_valid():
            try:
                services.decision_record(
                    assignment=request.assignment, by=request.user, entry=entry, step=step, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"{Step(step).label} decision recorded for {entry.candidate.name}.")
                return redirect(_campaign_url(campaign))
    return render(
        request,
        "nedcampaigns/decision.jinja",
        {
            "campaign": campaign,
            "organisation": campaign.organisation,
            "entry": entry,
            "step": step,
            "step_label": Step(step).label if step else "",
            "form": form,
            "skills": list(entry.candidate.skills.all()),
            "page_has_errors": bool(form and form.errors),
        },
    )


@permission_required(RUN_CAMPAIGNS)
@require_http_methods(["GET", "HEAD", "POST"])
def appoint_view(request, pk: int, entry: int):
    """Appoint an appointable candidate: the authority's approval, the start date and the barring list check."""
    entry = _entry(request, pk, entry)
    campaign = entry.campaign
    if entry.stage != Stage.INTERVIEWED:
        raise Http404("Only an appointable candidate can be appointed")
    authorities = authorities_for(organisation_type=campaign.organisation.type, role=campaign.role)
    today = timezone.localdate()
    form = AppointmentForm(
        request.POST or None,
        authorities=authorities,
        initial={
            "authority": campaign.authority if campaign.authority in authorities else authorities[0],
            "approved_on": today,
            "starts_on": today,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            appointment = services.candidate_appoint(
                assignment=request.assignment, by=request.user, entry=entry, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            starts = appointment.starts_on
            messages.success(
                request,
                f"{appointment.member.name} appointed from {starts.day} {starts:%B %Y}: their first term and fit and "
                "proper person test have started.",
            )
            return redirect(_campaign_url(campaign))
    return render(
        request,
        "nedcampaigns/appoint.jinja",
        {
            "campaign": campaign,
            "organisation": campaign.organisation,
            "entry": entry,
            "form": form,
            "barring": barring_matches(name=entry.candidate.name),
            "page_has_errors": bool(form.errors),
        },
    )


@permission_required(RUN_CAMPAIGNS)
@require_http_methods(["GET", "HEAD", "POST"])
def campaign_end_view(request, pk: int):
    """Close or withdraw a campaign before every seat is filled."""
    campaign = _run_campaign(request, pk)
    form = CampaignEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_end(
                assignment=request.assignment, by=request.user, campaign=campaign, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Campaign {campaign.get_status_display().lower()}.")
            return redirect(_campaign_url(campaign))
    return render(
        request,
        "nedcampaigns/end.jinja",
        {
            "campaign": campaign,
            "organisation": campaign.organisation,
            "form": form,
            "page_has_errors": bool(form.errors),
        },
    )


@permission_required(VIEW_CAMPAIGNS)
@require_http_methods(["GET", "HEAD"])
def campaign_fairness_view(request, pk: int):
    """A campaign's decisions at each step by group, as published figures."""
    campaign = selectors.campaign_get(assignment=request.assignment, pk=pk)
    return render(
        request,
        "nedcampaigns/fairness.jinja",
        {
            "campaign": campaign,
            "organisation": campaign.organisation,
            "steps": selectors.decisions_by_group(campaign=campaign),
            "fairness_url": reverse("equality:fairness") + "?" + urlencode({"scope": "national"}),
        },
    )
