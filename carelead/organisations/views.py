"""Organisation directory and organisation pages."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse

from carelead.accounts.permissions import Scope, assignment_has, permission_required
from carelead.boards.permissions import VIEW_BOARDS
from carelead.challenged.permissions import VIEW_CHALLENGED
from carelead.core.choices import OrganisationType
from carelead.organisations.forms import OrganisationFilterForm
from carelead.organisations.permissions import VIEW_ORGANISATIONS
from carelead.organisations.selectors import (
    organisation_child_counts,
    organisation_children,
    organisation_get,
    organisation_headlines,
    organisation_list,
    region_choices,
)


@permission_required(VIEW_ORGANISATIONS)
def organisation_index(request):
    """Search and filter organisations."""
    form = OrganisationFilterForm(request.GET or None, regions=region_choices())
    filters = form.cleaned_data if form.is_valid() else {}
    orgs = organisation_list(**{k: v for k, v in filters.items() if v})
    page = Paginator(orgs, 25).get_page(request.GET.get("page"))
    return render(request, "organisations/list.jinja", {"form": form, "page": page})


@permission_required(VIEW_ORGANISATIONS)
def organisation_detail(request, code: str):
    """One organisation: where it sits, its headline figures and what lies beneath it."""
    organisation = organisation_get(code=code)
    headlines, exact = organisation_headlines(organisation=organisation, assignment=request.assignment)
    children = Paginator(organisation_children(organisation=organisation), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "organisations/detail.jinja",
        {
            "organisation": organisation,
            "headlines": headlines,
            "exact": exact,
            "children": children,
            "child_counts": organisation_child_counts(organisation=organisation),
            "board_url": reverse("boards:board", kwargs={"code": organisation.code})
            if assignment_has(request.assignment, VIEW_BOARDS)
            and organisation.type in (OrganisationType.TRUST, OrganisationType.ICB)
            and Scope.of(request.assignment).contains_path(organisation.path)
            else "",
            "status_url": reverse("challenged:organisation", kwargs={"code": organisation.code})
            if assignment_has(request.assignment, VIEW_CHALLENGED)
            and Scope.of(request.assignment).contains_path(organisation.path)
            else "",
        },
    )
