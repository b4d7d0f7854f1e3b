"""Pages for board committees: one committee with its members past and present, adding a committee, putting a
member on one and ending a place. Reading follows the board's scope; writing is for those who record terms."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from carelead.accounts.permissions import permission_required
from carelead.boards.committees import (
    committee_close,
    committee_create,
    committee_get,
    committee_member_add,
    committee_member_end,
    committee_memberships,
    eligible_members,
    membership_get,
)
from carelead.boards.forms import CommitteeCloseForm, CommitteeForm, CommitteeMemberForm, CommitteePlaceEndForm
from carelead.boards.permissions import MANAGE_TERMS, VIEW_BOARDS
from carelead.boards.selectors import board_may_manage, board_organisation_get
from carelead.core.forms import add_service_errors


def _board_url(organisation) -> str:
    return reverse("boards:board", kwargs={"code": organisation.code})


def _committee_url(committee) -> str:
    return reverse("boards:committee", kwargs={"pk": committee.pk})


@permission_required(VIEW_BOARDS)
@require_http_methods(["GET", "HEAD"])
def committee_view(request, pk: int):
    """One committee: its purpose, its chair and members now, and who sat on it before."""
    committee = committee_get(assignment=request.assignment, pk=pk)
    today = timezone.localdate()
    places = list(committee_memberships(committee=committee))
    current = [p for p in places if p.starts_on <= today and (p.ends_on is None or p.ends_on >= today)]
    future = [p for p in places if p.starts_on > today]
    past = [p for p in places if p.ends_on is not None and p.ends_on < today]
    return render(
        request,
        "boards/committee.jinja",
        {
            "committee": committee,
            "organisation": committee.organisation,
            "current": current,
            "future": future,
            "past": past,
            "board_url": _board_url(committee.organisation),
            "can_manage": board_may_manage(assignment=request.assignment, organisation=committee.organisation),
        },
    )


@permission_required(MANAGE_TERMS)
def committee_new_view(request, code: str):
    """Add a committee to a board."""
    organisation = board_organisation_get(assignment=request.assignment, code=code)
    if not board_may_manage(assignment=request.assignment, organisation=organisation):
        raise Http404("No such organisation")
    form = CommitteeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            committee = committee_create(
                organisation=organisation, by=request.user, assignment=request.assignment, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{committee.name} added to the board.")
            return redirect(_committee_url(committee))
    return render(
        request,
        "boards/committee_form.jinja",
        {
            "organisation": organisation,
            "form": form,
            "board_url": _board_url(organisation),
            "page_has_errors": bool(form.errors),
        },
    )


def _committee_form_page(request, template: str, *, committee, form, **extra):
    return render(
        request,
        template,
        {
            "committee": committee,
            "organisation": committee.organisation,
            "form": form,
            "board_url": _board_url(committee.organisation),
            "committee_url": _committee_url(committee),
            "page_has_errors": bool(form.errors),
            **extra,
        },
    )


def _managed_committee(request, pk: int):
    committee = committee_get(assignment=request.assignment, pk=pk)
    if not board_may_manage(assignment=request.assignment, organisation=committee.organisation):
        raise Http404("No such committee")
    return committee


@permission_required(MANAGE_TERMS)
def committee_member_new_view(request, pk: int):
    """Put a member of the board on the committee."""
    committee = _managed_committee(request, pk)
    form = CommitteeMemberForm(
        request.POST or None,
        members=eligible_members(committee=committee),
        initial={"starts_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            committee_member_add(
                committee=committee, by=request.user, assignment=request.assignment, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{form.cleaned_data['member'].name} added to {committee.name}.")
            return redirect(_committee_url(committee))
    return _committee_form_page(request, "boards/committee_member_form.jinja", committee=committee, form=form)


@permission_required(MANAGE_TERMS)
def committee_place_end_view(request, pk: int):
    """Record the last day of a member's place on a committee."""
    membership = membership_get(assignment=request.assignment, pk=pk)
    committee = membership.committee
    if not board_may_manage(assignment=request.assignment, organisation=committee.organisation):
        raise Http404("No such committee place")
    if membership.ends_on is not None:
        messages.info(request, f"{membership.member.name}'s place on {committee.name} has already ended.")
        return redirect(_committee_url(committee))
    form = CommitteePlaceEndForm(request.POST or None, initial={"ends_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            committee_member_end(
                membership=membership, by=request.user, assignment=request.assignment, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"The end of {membership.member.name}'s place on {committee.name} is recorded.")
            return redirect(_committee_url(committee))
    return _committee_form_page(
        request, "boards/committee_end_form.jinja", committee=committee, form=form, membership=membership
    )


@permission_required(MANAGE_TERMS)
def committee_close_view(request, pk: int):
    """Stand a committee down; its members' places end the same day."""
    committee = _managed_committee(request, pk)
    if committee.closed_on is not None:
        messages.info(request, f"{committee.name} was already stood down.")
        return redirect(_committee_url(committee))
    form = CommitteeCloseForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            committee_close(committee=committee, by=request.user, assignment=request.assignment, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{committee.name} has been stood down.")
            return redirect(_committee_url(committee))
    return _committee_form_page(request, "boards/committee_close_form.jinja", committee=committee, form=form)
