"""Pages for the fit and proper person test: a board's year, one member's assessment, recording checks and the
self-attestation, sign-off, the annual submission, evidence downloads, Board Member References and the regional
dashboard of completeness."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from carelead.accounts.permissions import Scope, assignment_has, permission_required
from carelead.boardappraisals.selectors import board_chair_in_post
from carelead.boardappraisals.services import board_framework_current
from carelead.core import spreadsheet
from carelead.core.choices import OrganisationType
from carelead.core.disclosure import count_exact, count_published
from carelead.core.forms import add_service_errors
from carelead.fitproper.forms import (
    AttestationForm,
    CheckForm,
    DashboardForm,
    ReferenceForm,
    SignOffForm,
    StartForm,
    SubmitForm,
    YearForm,
)
from carelead.fitproper.models import Assessment, CheckKind, financial_year_for
from carelead.fitproper.permissions import (
    READ_FPP_RESTRICTED,
    RECORD_FPP,
    SIGN_OFF_FPP,
    SUBMIT_FPP,
    VIEW_FPP_DASHBOARD,
    VIEW_FPP_DASHBOARD_EXACT,
)
from carelead.fitproper.selectors import (
    DASHBOARD_FIELDS,
    assessment_get,
    barring_list_summary,
    barring_matches,
    board_members_in_post,
    board_rows,
    chaired_organisation_ids,
    dashboard_organisations,
    dashboard_regions,
    dashboard_rows,
    dashboard_totals,
    due_on_for,
    evidence_get,
    fpp_may_enter,
    fpp_organisation_default,
    fpp_organisation_get,
    leaver_get,
    leavers,
    reference_for,
    submission_for,
    year_choices,
)
from carelead.fitproper.services import (
    SIGN_OFF_HEADING,
    assessment_sign_off,
    assessment_signer,
    assessments_start,
    attestation_record,
    check_record,
    evidence_downloaded,
    reference_read,
    reference_write,
    sign_off_problems,
    submission_make,
    submission_problems,
)

PAGE_SIZE = 25


def _enter(request) -> None:
    """403 unless the acting person has a part in the fit and proper person test."""
    if not fpp_may_enter(assignment=request.assignment, user=request.user):
        raise PermissionDenied


def _require_restricted(request) -> None:
    """403 unless the role reads restricted records, or the person chairs a board."""
    if not (assignment_has(request.assignment, READ_FPP_RESTRICTED) or chaired_organisation_ids(user=request.user)):
        raise PermissionDenied


def _require_sign_off(request) -> None:
    if not (assignment_has(request.assignment, SIGN_OFF_FPP) or chaired_organisation_ids(user=request.user)):
        raise PermissionDenied


def _year(request, today) -> tuple[YearForm, str]:
    years = year_choices(today=today)
    data = request.GET.copy()
    if not data.get("year"):
        data["year"] = financial_year_for(today)
    form = YearForm(data, years=years)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    return form, year or financial_year_for(today)


def _organisation(request):
    code = request.GET.get("org", "").strip()
    if code:
        return fpp_organisation_get(assignment=request.assignment, user=request.user, code=code)
    organisation = fpp_organisation_default(assignment=request.assignment, user=request.user)
    if organisation is None:
        return None, None
    return fpp_organisation_get(assignment=request.assignment, user=request.user, code=organisation.code)


def board_url(organisation, year: str | None = None) -> str:
    params = {"org": organisation.code}
    if year:
        params["year"] = year
    return reverse("fitproper:board") + "?" + urlencode(params)


@require_http_methods(["GET", "HEAD"])
def board_view(request):
    """One organisation's board for a year: each member in post, how far their test has got, and the submission."""
    _enter(request)
    organisation, access = _organisation(request)
    if organisation is None:
        if assignment_has(request.assignment, VIEW_FPP_DASHBOARD):
            messages.info(request, "Choose an organisation to see its fit and proper person tests.")
            return redirect("fitproper:dashboard")
        raise Http404("No board to show")
    today = timezone.localdate()
    year_form, year = _year(request, today)
    page = Paginator(board_rows(organisation=organisation, year=year, on=today), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = []
    for member in page.object_list:
        assessment = member.year_assessments[0] if member.year_assessments else None
        rows.append({"member": member, "assessment": assessment})
    submission = submission_for(organisation=organisation, year=year)
    return render(
        request,
        "fitproper/board.jinja",
        {
            "organisation": organisation,
            "access": access,
            "year": year,
            "year_form": year_form,
            "page": page,
            "rows": rows,
            "check_count": len(CheckKind.values),
            "submission": submission,
            "due_on": due_on_for(year=year),
            "start_url": reverse("fitproper:start") + "?" + urlencode({"org": organisation.code}),
            "submit_url": reverse("fitproper:submit") + "?" + urlencode({"org": organisation.code, "year": year}),
            "references_url": reverse("fitproper:references") + "?" + urlencode({"org": organisation.code}),
            "can_see_dashboard": assignment_has(request.assignment, VIEW_FPP_DASHBOARD),
        },
    )


@permission_required(RECORD_FPP)
def start_view(request):
    """Start the year's tests for every board member in post who has none yet."""
    organisation, access = _organisation(request)
    if organisation is None:
        messages.info(request, "Choose the organisation whose fit and proper person tests you want to start.")
        return redirect("fitproper:dashboard")
    if not access.record:
        raise Http404("No such organisation")
    today = timezone.localdate()
    years = year_choices(today=today)
    form = StartForm(request.POST or None, years=years, initial={"year": financial_year_for(today)})
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        try:
            created = assessments_start(organisation=organisation, year=year, by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if created:
                noun = "test" if len(created) == 1 else "tests"
                messages.success(request, f"{len(created)} fit and proper person {noun} started for {year}.")
            else:
                messages.info(request, f"Every board member in post already has a test for {year}.")
            return redirect(board_url(organisation, year))
    return render(
        request,
        "fitproper/start.jinja",
        {
            "organisation": organisation,
            "form": form,
            "members": list(board_members_in_post(organisation=organisation, on=today)[:100]),
            "board_url": board_url(organisation),
            "page_has_errors": bool(form.errors),
        },
    )


def _check_rows(assessment: Assessment) -> list:
    checks = {c.kind: c for c in assessment.checks.all()}
    return [(kind, checks.get(kind.value)) for kind in CheckKind]


@require_http_methods(["GET", "HEAD"])
def detail_view(request, pk: int):
    """One member's test for the year: the checks, the self-attestation, and the sign-off or what it needs."""
    _enter(request)
    assessment, access = assessment_get(assignment=request.assignment, user=request.user, pk=pk)
    checks = list(assessment.checks.all())
    confirmed = {c.domain_id for c in assessment.confirmations.all()}
    framework = board_framework_current()
    domains = list(framework.domains.order_by("order", "code")) if framework else []
    problems = (
        []
        if assessment.signed_off
        else sign_off_problems(assessment=assessment, checks=checks, confirmed_ids=confirmed)
    )
    signer = None
    if not assessment.signed_off and (access.chair or access.team_sign_off):
        signer = assessment_signer(assessment=assessment, access=access, user=request.user)
    return render(
        request,
        "fitproper/detail.jinja",
        {
            "assessment": assessment,
            "member": assessment.member,
            "access": access,
            "check_rows": _check_rows(assessment),
            "domains": domains,
            "confirmed": confirmed,
            "problems": problems,
            "signer": signer,
            "matches": barring_matches(name=assessment.member.name),
            "barring": barring_list_summary(),
            "editable": access.record and not assessment.signed_off,
            "board_url": board_url(assessment.organisation, assessment.year),
            "outcome_colours": {"done": "green", "not_applicable": "grey", "concern": "red"},
        },
    )


def _recordable(request, pk: int) -> Assessment:
    """An assessment the acting role records and that is still open (404 when out of reach)."""
    assessment, access = assessment_get(assignment=request.assignment, user=request.user, pk=pk)
    if not access.record:
        raise Http404("No such assessment")
    return assessment


@permission_required(RECORD_FPP)
def check_view(request, pk: int, kind: str):
    """Record one check: outcome, date, notes, a concern's resolution, and an optional evidence file."""
    if kind not in CheckKind.values:
        raise Http404("No such check")
    assessment = _recordable(request, pk)
    detail_url = reverse("fitproper:detail", kwargs={"pk": assessment.pk})
    if assessment.signed_off:
        messages.info(request, "This test has been signed off and cannot be changed.")
        return redirect(detail_url)
    check = next(c for c in assessment.checks.all() if c.kind == kind)
    initial = {
        "outcome": check.outcome,
        "checked_on": check.checked_on or timezone.localdate(),
        "notes": check.notes,
        "resolution": check.resolution,
    }
    form = CheckForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            check_record(
                check=check,
                by=request.user,
                outcome=form.cleaned_data["outcome"],
                checked_on=form.cleaned_data["checked_on"],
                notes=form.cleaned_data["notes"],
                resolution=form.cleaned_data["resolution"],
                evidence=form.cleaned_data.get("evidence"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{CheckKind(kind).label}: recorded.")
            return redirect(detail_url + "#checks")
    return render(
        request,
        "fitproper/check.jinja",
        {
            "assessment": assessment,
            "check": check,
            "kind_label": CheckKind(kind).label,
            "is_barring": kind == CheckKind.BARRING,
            "matches": barring_matches(name=assessment.member.name) if kind == CheckKind.BARRING else [],
            "form": form,
            "detail_url": detail_url,
            "page_has_errors": bool(form.errors),
        },
    )


@permission_required(RECORD_FPP)
def attestation_view(request, pk: int):
    """Record the member's self-attestation against the board competency domains."""
    assessment = _recordable(request, pk)
    detail_url = reverse("fitproper:detail", kwargs={"pk": assessment.pk})
    if assessment.signed_off:
        messages.info(request, "This test has been signed off and cannot be changed.")
        return redirect(detail_url)
    framework = board_framework_current()
    domains = list(framework.domains.order_by("order", "code")) if framework else []
    initial = {
        "text": assessment.attestation_text,
        "attested_on": assessment.attested_on,
        "domains": [c.domain_id for c in assessment.confirmations.all()],
    }
    form = AttestationForm(request.POST or None, domains=domains, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            attestation_record(
                assessment=assessment,
                by=request.user,
                text=form.cleaned_data["text"],
                attested_on=form.cleaned_data["attested_on"],
                domain_ids=form.cleaned_data["domains"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Self-attestation recorded.")
            return redirect(detail_url + "#attestation")
    return render(
        request,
        "fitproper/attestation.jinja",
        {
            "assessment": assessment,
            "form": form,
            "detail_url": detail_url,
            "page_has_errors": bool(form.errors),
        },
    )


def sign_off_view(request, pk: int):
    """Sign a member off as fit and proper, or see what is missing and who signs off."""
    _require_sign_off(request)
    assessment, access = assessment_get(assignment=request.assignment, user=request.user, pk=pk)
    if not (access.chair or access.team_sign_off):
        raise Http404("No such assessment")
    detail_url = reverse("fitproper:detail", kwargs={"pk": assessment.pk})
    signer = assessment_signer(assessment=assessment, access=access, user=request.user)
    problems = sign_off_problems(
        assessment=assessment,
        checks=list(assessment.checks.all()),
        confirmed_ids={c.domain_id for c in assessment.confirmations.all()},
    )
    on_behalf = signer.signed_off_as == Assessment.SignedOffAs.NED_TEAM
    form = SignOffForm(request.POST or None, on_behalf=on_behalf, initial={"signed_off_for": signer.chair_name})
    refused = False
    if request.method == "POST":
        if signer.problem or problems:
            refused = True
        elif form.is_valid():
            try:
                assessment_sign_off(
                    assessment=assessment,
                    by=request.user,
                    access=access,
                    signed_off_for=form.cleaned_data.get("signed_off_for", ""),
                )
            except PermissionDenied as exc:
                signer, refused = signer.__class__(problem=str(exc)), True
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    add_service_errors(form, exc)
                else:
                    problems, refused = exc.messages, True
            else:
                messages.success(
                    request, f"{assessment.member.name} is recorded as fit and proper for {assessment.year}."
                )
                return redirect(detail_url)
    return render(
        request,
        "fitproper/sign_off.jinja",
        {
            "assessment": assessment,
            "signer": signer,
            "problems": problems,
            "heading": SIGN_OFF_HEADING,
            "on_behalf": on_behalf,
            "form": form,
            "refused": refused,
            "detail_url": detail_url,
            "page_has_errors": refused or bool(form.errors),
        },
    )


@require_http_methods(["GET", "HEAD"])
def evidence_view(request, pk: int):
    """Download one evidence file (NED appointments team and the chair only); every download is audited."""
    _require_restricted(request)
    evidence = evidence_get(assignment=request.assignment, user=request.user, pk=pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing from storage") from None
    evidence_downloaded(evidence=evidence, by=request.user)
    response = FileResponse(handle, as_attachment=True, filename=evidence.original_name)
    response["Content-Type"] = evidence.content_type
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@permission_required(SUBMIT_FPP)
def submit_view(request):
    """Submit an organisation's year to its region, once every board member in post is signed off."""
    organisation, access = _organisation(request)
    if organisation is None:
        raise Http404("No organisation chosen")
    if not access.submit:
        raise Http404("No such organisation")
    today = timezone.localdate()
    _, year = _year(request, today)
    submission = submission_for(organisation=organisation, year=year)
    problems = [] if submission else submission_problems(organisation=organisation, year=year, today=today)
    form = SubmitForm(request.POST or None)
    refused = False
    if request.method == "POST" and not submission:
        if problems:
            refused = True
        elif form.is_valid():
            try:
                submission_make(organisation=organisation, year=year, by=request.user, access=access)
            except ValidationError as exc:
                problems, refused = exc.messages, True
            else:
                messages.success(request, f"{organisation.name}'s {year} fit and proper person tests are submitted.")
                return redirect(board_url(organisation, year))
    return render(
        request,
        "fitproper/submit.jinja",
        {
            "organisation": organisation,
            "year": year,
            "submission": submission,
            "problems": problems,
            "form": form,
            "refused": refused,
            "board_url": board_url(organisation, year),
            "region": organisation.region.name if organisation.region_id else "its region",
            "page_has_errors": refused or bool(form.errors),
        },
    )


# Board Member References ------------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
def references_view(request):
    """Members who have left an organisation's board, and whether their Board Member Reference is written."""
    _require_restricted(request)
    organisation, access = _organisation(request)
    if organisation is None:
        raise Http404("No organisation chosen")
    if not access.restricted:
        raise Http404("No such organisation")
    page = Paginator(leavers(organisation=organisation), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "fitproper/references.jinja",
        {
            "organisation": organisation,
            "page": page,
            "rows": list(page.object_list),
            "board_url": board_url(organisation),
        },
    )


@require_http_methods(["GET", "HEAD"])
def reference_view(request, member: int):
    """A Board Member Reference; every reading is audited."""
    _require_restricted(request)
    leaver = leaver_get(assignment=request.assignment, user=request.user, pk=member)
    reference = reference_for(member=leaver)
    if reference is None:
        return redirect("fitproper:reference_write", member=leaver.pk)
    reference_read(reference=reference, member=leaver, by=request.user)
    return render(
        request,
        "fitproper/reference.jinja",
        {
            "member": leaver,
            "reference": reference,
            "references_url": reverse("fitproper:references") + "?" + urlencode({"org": leaver.organisation.code}),
        },
    )


def reference_write_view(request, member: int):
    """Write the Board Member Reference of a member who has left the board."""
    _require_restricted(request)
    leaver = leaver_get(assignment=request.assignment, user=request.user, pk=member)
    if reference_for(member=leaver) is not None:
        messages.info(request, "The reference has already been written; it is kept as written.")
        return redirect("fitproper:reference", member=leaver.pk)
    chair = board_chair_in_post(organisation=leaver.organisation)
    initial = {
        "role_held": leaver.get_role_display(),
        "served_from": leaver.start_date,
        "served_to": leaver.end_date,
        "written_by_name": f"{chair.name}, Chair" if chair else "",
    }
    form = ReferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            reference_write(member=leaver, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"The Board Member Reference for {leaver.name} is written.")
            return redirect("fitproper:reference", member=leaver.pk)
    return render(
        request,
        "fitproper/reference_write.jinja",
        {
            "member": leaver,
            "form": form,
            "references_url": reverse("fitproper:references") + "?" + urlencode({"org": leaver.organisation.code}),
            "page_has_errors": bool(form.errors),
        },
    )


# The dashboard ----------------------------------------------------------------------------------------------------


def _dashboard(request):
    """The dashboard's filter form, chosen region and year, rows and how figures are shown."""
    today = timezone.localdate()
    scope = Scope.of(request.assignment)
    national = scope.national
    regions = list(dashboard_regions(assignment=request.assignment)) if national else []
    data = request.GET.copy()
    if not data.get("year"):
        data["year"] = financial_year_for(today)
    form = DashboardForm(data, regions=regions, years=year_choices(today=today))
    chosen = form.cleaned_data if form.is_valid() else {}
    year = chosen.get("year") or financial_year_for(today)
    region = next((r for r in regions if r.code == chosen.get("region")), None)
    if not national and request.assignment.organisation.type == OrganisationType.REGION:
        where = request.assignment.organisation.name
    else:
        where = region.name if region else "England"
    organisations = dashboard_organisations(assignment=request.assignment, region=region)
    rows = dashboard_rows(organisations=organisations, year=year, today=today)
    exact = assignment_has(request.assignment, VIEW_FPP_DASHBOARD_EXACT)
    return {
        "form": form,
        "year": year,
        "region": region,
        "rows": rows,
        "exact": exact,
        "national_totals": national and region is None,
        "where": where,
        "due_on": due_on_for(year=year),
        "today": today,
    }


def _shown(values: dict, *, exact: bool, national: bool = False) -> dict:
    show = count_exact if exact else (lambda n: count_published(n, national=national))
    return {name: show(values[name] or 0) for name in values}


@permission_required(VIEW_FPP_DASHBOARD)
def dashboard_view(request):
    """Completeness of the year's fit and proper person tests, per organisation of a region."""
    context = _dashboard(request)
    exact = context["exact"]
    page = Paginator(context["rows"], PAGE_SIZE).get_page(request.GET.get("page"))
    lines = [
        {
            "organisation": org,
            "figures": _shown({name: getattr(org, name) for name in DASHBOARD_FIELDS}, exact=exact),
            "submitted_at": org.submitted_at,
        }
        for org in page.object_list
    ]
    totals = dashboard_totals(rows=context["rows"])
    context.update(
        {
            "page": page,
            "lines": lines,
            "totals": _shown(
                {name: totals[name] for name in DASHBOARD_FIELDS}, exact=exact, national=context["national_totals"]
            ),
            "organisations": totals["organisations"],
            "submitted": totals["submitted"],
            "csv_url": reverse("fitproper:dashboard_csv") + "?" + request.GET.urlencode(),
            "can_open": assignment_has(request.assignment, RECORD_FPP),
        }
    )
    return render(request, "fitproper/dashboard.jinja", context)


@permission_required(VIEW_FPP_DASHBOARD)
def dashboard_csv_view(request):
    """The dashboard as a CSV file, every organisation in one go (published figures for the regulator)."""
    context = _dashboard(request)
    exact = context["exact"]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"fit-and-proper-{context['region'].code if context['region'] else 'all'}-{context['year']}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = spreadsheet.csv_writer(response)
    writer.writerow(["organisation_code", "organisation_name", "year", *DASHBOARD_FIELDS, "submitted", "submitted_on"])
    for org in context["rows"].iterator(chunk_size=500):
        figures = _shown({name: getattr(org, name) for name in DASHBOARD_FIELDS}, exact=exact)
        writer.writerow(
            [
                org.code,
                org.name,
                context["year"],
                *[figures[name].text for name in DASHBOARD_FIELDS],
                "yes" if org.submitted_at else "no",
                timezone.localtime(org.submitted_at).date().isoformat() if org.submitted_at else "",
            ]
        )
    return response
