"""Recognition of prior learning: people apply from My development; HR reviews within their organisation."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from carelead.accounts.permissions import Scope, permission_required
from carelead.people.permissions import VIEW_OWN_RECORD
from carelead.standards.forms import PriorLearningForm, PriorLearningReviewForm
from carelead.standards.models import PriorLearning, Requirement
from carelead.standards.permissions import REVIEW_PRIOR_LEARNING
from carelead.standards.services import prior_learning_apply, prior_learning_review


@permission_required(VIEW_OWN_RECORD)
def prior_learning_new(request):
    """Apply for earlier learning or experience to meet a requirement."""
    person = request.user.person
    if person is None:
        raise PermissionDenied
    requirements = list(Requirement.objects.filter(active=True).order_by("order", "code"))
    form = PriorLearningForm(
        request.POST or None, requirements=requirements, initial={"requirement": request.GET.get("requirement", "")}
    )
    if request.method == "POST" and form.is_valid():
        requirement = next(r for r in requirements if r.code == form.cleaned_data["requirement"])
        try:
            prior_learning_apply(
                person=person, requirement=requirement, evidence=form.cleaned_data["evidence"], by=request.user
            )
        except ValidationError as exc:
            form.add_error(None, "; ".join(exc.messages))
        else:
            messages.success(request, "Your application has been sent to your HR team for review.")
            return redirect("standards:my_development")
    mine = PriorLearning.objects.filter(person=person).select_related("requirement").order_by("-created_at")
    return render(
        request,
        "standards/prior_learning_new.jinja",
        {"form": form, "mine": mine, "page_has_errors": bool(form.errors)},
    )


def _in_scope(assignment):
    applications = PriorLearning.objects.select_related("person", "person__organisation", "requirement", "reviewed_by")
    scope = Scope.of(assignment)
    if not scope.national:
        applications = applications.filter(person__organisation__path__startswith=scope.path)
    return applications


@permission_required(REVIEW_PRIOR_LEARNING)
def prior_learning_index(request):
    """Applications in the reviewer's organisation, waiting ones first."""
    applications = _in_scope(request.assignment).order_by("status", "-created_at")
    page = Paginator(applications, 25).get_page(request.GET.get("page"))
    return render(request, "standards/prior_learning_list.jinja", {"page": page, "form": PriorLearningReviewForm()})


@permission_required(REVIEW_PRIOR_LEARNING)
def prior_learning_decide(request, pk: int):
    """Approve or reject one application."""
    application = get_object_or_404(_in_scope(request.assignment), pk=pk)
    form = PriorLearningReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            prior_learning_review(
                application=application,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, "; ".join(exc.messages))
        else:
            messages.success(request, "The decision has been recorded.")
            return redirect("standards:prior_learning")
    return render(
        request,
        "standards/prior_learning_review.jinja",
        {"application": application, "form": form, "page_has_errors": bool(form.errors)},
    )
