"""Pages of the mid-career programme for applicants, their managers and the people who run it."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from carelead.accounts.permissions import Scope, assignment_has, permission_required
from carelead.core.choices import LEVEL_ORDER, Level
from carelead.people.permissions import VIEW_OWN_RECORD, VIEW_TEAM
from carelead.standards.models import Cohort, CohortApplication, Module, Provider
from carelead.standards.permissions import RUN_PROGRAMME
from carelead.standards.programme import (
    application_complete,
    application_decide,
    application_support,
    cohort_apply,
    cohort_eligibility,
    cohort_funnel,
)

Status = CohortApplication.Status


class ApplyForm(forms.Form):
    statement = forms.CharField(
        label="Why you want to join, and what you will bring back to your work", widget=forms.Textarea, max_length=4000
    )


class SupportForm(forms.Form):
    decision = forms.ChoiceField(
        label="Do you support this application?",
        widget=forms.RadioSelect,
        choices=[("support", "Yes, I support it"), ("decline", "No")],
    )
    note = forms.CharField(
        label="Note",
        required=False,
        widget=forms.Textarea,
        max_length=2000,
        help_text="Required if you do not support it.",
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        choices=[
            (Status.SELECTED, "Select"),
            (Status.WAITLISTED, "Waiting list"),
            (Status.NOT_SELECTED, "Not selected"),
        ],
    )
    reason = forms.CharField(label="Reason", widget=forms.Textarea, max_length=2000)


class CompleteForm(forms.Form):
    sessions = forms.IntegerField(label="Sessions attended", min_value=0, max_value=100)
    completed_on = forms.DateField(label="Completed on", widget=forms.DateInput(attrs={"type": "date"}))


class CohortForm(forms.ModelForm):
    eligible_levels = forms.MultipleChoiceField(
        label="Levels that may apply", choices=Level.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Cohort
        fields = [
            "code",
            "title",
            "applications_close_on",
            "starts_on",
            "ends_on",
            "places",
            "eligible_levels",
            "min_months_in_role",
        ]
        widgets = {
            f: forms.DateInput(attrs={"type": "date"}) for f in ("applications_close_on", "starts_on", "ends_on")
        }

    def clean(self):
        cleaned = super().clean()
        close, start, end = (cleaned.get(f) for f in ("applications_close_on", "starts_on", "ends_on"))
        if close and start and close > start:
            self.add_error("applications_close_on", "Applications must close before the cohort starts")
        if start and end and end < start:
            self.add_error("ends_on", "The cohort must end after it starts")
        return cleaned


def _person(request):
    if request.user.person is None:
        raise PermissionDenied
    return request.user.person


@permission_required(VIEW_OWN_RECORD)
def programme_home(request):
    """Open cohorts with whether I may apply, and my applications."""
    person = _person(request)
    today = timezone.localdate()
    cohorts = [
        (c, cohort_eligibility(cohort=c, person=person))
        for c in Cohort.objects.filter(applications_close_on__gte=today).select_related("region")
    ]
    mine = CohortApplication.objects.filter(person=person).select_related("cohort")
    can_support = assignment_has(request.assignment, VIEW_TEAM)
    return render(
        request, "standards/programme_home.jinja", {"cohorts": cohorts, "mine": mine, "can_support": can_support}
    )


@permission_required(VIEW_OWN_RECORD)
def programme_apply(request, code: str):
    person = _person(request)
    cohort = get_object_or_404(Cohort, code=code)
    form = ApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cohort_apply(cohort=cohort, person=person, statement=form.cleaned_data["statement"], by=request.user)
        except ValidationError as exc:
            form.add_error(None, "; ".join(exc.messages))
        else:
            messages.success(request, "Your application has been sent to your line manager for support.")
            return redirect("programmes:home")
    return render(
        request,
        "standards/programme_apply.jinja",
        {
            "cohort": cohort,
            "form": form,
            "reasons": cohort_eligibility(cohort=cohort, person=person),
            "page_has_errors": bool(form.errors),
        },
    )


@permission_required(VIEW_TEAM)
def programme_support(request):
    """Applications from my direct reports waiting for my support."""
    manager = _person(request)
    applications = (
        CohortApplication.objects.filter(person__line_manager=manager)
        .select_related("person", "cohort")
        .order_by("status", "created_at")
    )
    if request.method == "POST":
        application = get_object_or_404(applications, pk=request.POST.get("application"))
        form = SupportForm(request.POST)
        if form.is_valid():
            try:
                application_support(
                    application=application,
                    support=form.cleaned_data["decision"] == "support",
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
            except ValidationError as exc:
                messages.error(request, "; ".join(exc.messages))
            else:
                messages.success(request, "Your answer has been recorded.")
        else:
            messages.error(request, "Choose whether you support the application.")
        return redirect("programmes:support")
    return render(request, "standards/programme_support.jinja", {"applications": applications, "form": SupportForm()})


def _cohorts(assignment):
    scope = Scope.of(assignment)
    cohorts = Cohort.objects.select_related("region")
    if not scope.national:
        cohorts = cohorts.filter(region_id=scope.organisation_id)
    return cohorts


@permission_required(RUN_PROGRAMME)
def cohort_index(request):
    """Cohorts with their funnel; a form to open a new one."""
    form = CohortForm(request.POST or None, initial={"eligible_levels": LEVEL_ORDER[1:3], "min_months_in_role": 12})
    if request.method == "POST" and form.is_valid():
        cohort = form.save(commit=False)
        scope = Scope.of(request.assignment)
        cohort.region_id = None if scope.national else scope.organisation_id
        cohort.module = Module.objects.filter(code="MCP-301").first()
        cohort.provider = Provider.objects.filter(accreditations__module=cohort.module).order_by("code").first()
        cohort.save()
        messages.success(request, f"Cohort {cohort.code} is open for applications.")
        return redirect("programmes:cohort", code=cohort.code)
    cohorts = [(c, cohort_funnel(cohort=c)) for c in _cohorts(request.assignment)]
    return render(
        request, "standards/cohorts.jinja", {"cohorts": cohorts, "form": form, "page_has_errors": bool(form.errors)}
    )


@permission_required(RUN_PROGRAMME)
def cohort_detail(request, code: str):
    """Decide supported applications with reasons; record completion for those selected."""
    cohort = get_object_or_404(_cohorts(request.assignment), code=code)
    applications = cohort.applications.select_related("person", "person__organisation", "manager", "decided_by")
    if request.method == "POST":
        application = get_object_or_404(applications, pk=request.POST.get("application"))
        form = CompleteForm(request.POST) if request.POST.get("action") == "complete" else DecisionForm(request.POST)
        if form.is_valid():
            try:
                if isinstance(form, CompleteForm):
                    application_complete(
                        application=application,
                        sessions=form.cleaned_data["sessions"],
                        on=form.cleaned_data["completed_on"],
                        by=request.user,
                    )
                else:
                    application_decide(
                        application=application,
                        decision=form.cleaned_data["decision"],
                        reason=form.cleaned_data["reason"],
                        by=request.user,
                    )
            except ValidationError as exc:
                messages.error(request, "; ".join(exc.messages))
            else:
                messages.success(request, "Recorded.")
        else:
            messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
        return redirect("programmes:cohort", code=cohort.code)
    return render(
        request,
        "standards/cohort_detail.jinja",
        {
            "cohort": cohort,
            "applications": applications,
            "funnel": cohort_funnel(cohort=cohort),
            "decision_form": DecisionForm(),
            "complete_form": CompleteForm(),
        },
    )
