"""Pages for 360 feedback: the person's requests and report, choosing and approving raters, response rates for
HR, and the questionnaire raters open from their email without signing in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from carelead.accounts.permissions import assignment_has, permission_required
from carelead.core.forms import add_service_errors
from carelead.feedback.forms import (
    GROUP_CHOICES,
    AnswerForm,
    ApproveForm,
    RaterForm,
    RequestForm,
    ReturnForm,
    RulesForm,
)
from carelead.feedback.models import CHOSEN_GROUPS, FeedbackRequest, Group
from carelead.feedback.permissions import APPROVE_RATERS, ASK_FEEDBACK, SET_RULES, VIEW_RESPONSE_RATES
from carelead.feedback.rules import ANONYMITY_THRESHOLD
from carelead.feedback.selectors import (
    feedback_progress,
    feedback_raters,
    feedback_rates,
    feedback_rates_counts,
    feedback_report,
    feedback_request_get,
    feedback_requests_managed,
    feedback_requests_of,
    rater_by_token,
    self_rater,
)
from carelead.feedback.services import (
    AnswerRefused,
    feedback_answer_submit,
    feedback_approve,
    feedback_close,
    feedback_list_problems,
    feedback_rater_add,
    feedback_rater_remove,
    feedback_request_create,
    feedback_return,
    feedback_submit,
)

PAGE_SIZE = 25


def _own_person(request):
    person = request.user.person
    if person is None:
        raise PermissionDenied
    return person


def _get(request, pk: int):
    return feedback_request_get(user=request.user, assignment=request.assignment, pk=pk)


def _paginate(request, items):
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


@permission_required(ASK_FEEDBACK)
def feedback_mine(request):
    """The 360 feedback requests about the signed-in person."""
    person = _own_person(request)
    return render(
        request,
        "feedback/mine.jinja",
        {
            "page": _paginate(request, feedback_requests_of(person=person)),
            "can_approve": assignment_has(request.assignment, APPROVE_RATERS),
        },
    )


@permission_required(ASK_FEEDBACK)
def feedback_create_view(request):
    """Ask for 360 feedback about oneself: what it is for and by when; raters are chosen next."""
    person = _own_person(request)
    appraisal = _appraisal_for(person, request.GET.get("appraisal") or request.POST.get("appraisal"))
    form = RequestForm(request.POST or None)
    if appraisal is not None:
        form.initial["title"] = appraisal.feedback_title
    if request.method == "POST" and form.is_valid():
        try:
            feedback = feedback_request_create(
                subject=appraisal,
                person=person,
                manager=appraisal.appraiser if appraisal else person.line_manager,
                organisation=person.organisation,
                title=form.cleaned_data["title"],
                deadline=form.cleaned_data["deadline"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Now choose who to ask.")
            return redirect("feedback:raters", pk=feedback.pk)
    return render(
        request,
        "feedback/new.jinja",
        {"form": form, "person": person, "appraisal": appraisal, "page_has_errors": bool(form.errors)},
    )


def _appraisal_for(person, pk):
    """The person's own unfinished appraisal the feedback is for, when the request comes from one."""
    if not pk:
        return None
    from carelead.appraisals.models import Appraisal

    appraisal = (
        Appraisal.objects.filter(pk=pk, person=person)
        .exclude(state__in=Appraisal.FINISHED)
        .select_related("cycle", "appraiser", "person__organisation")
        .first()
    )
    if appraisal is None:
        raise Http404("No such appraisal")
    return appraisal


@permission_required(ASK_FEEDBACK)
def feedback_detail(request, pk: int):
    """One request: its status, who is asked, progress while open and, once final, the combined report."""
    feedback, viewer = _get(request, pk)
    opened = feedback.status in (FeedbackRequest.Status.OPEN, FeedbackRequest.Status.CLOSED)
    own = self_rater(request=feedback) if viewer.is_person else None
    return render(
        request,
        "feedback/detail.jinja",
        {
            "feedback": feedback,
            "viewer": viewer,
            "raters": feedback_raters(request=feedback),
            "progress": feedback_progress(request=feedback) if opened else [],
            # The line manager reads the combined scores; comments are the person's to share.
            "report": feedback_report(feedback, with_comments=viewer.is_person) if feedback.is_final else None,
            "own_answer_due": own is not None and not own.responded and feedback.accepting_answers,
            "problems": feedback_list_problems(feedback) if feedback.editable else {},
            "threshold": ANONYMITY_THRESHOLD,
        },
    )


@permission_required(ASK_FEEDBACK)
def feedback_raters_view(request, pk: int):
    """Choose who to ask: add raters one at a time, remove them, then send the list for approval."""
    feedback, viewer = _get(request, pk)
    if not feedback.editable:
        messages.info(request, "The list of raters can no longer change.")
        return redirect("feedback:detail", pk=feedback.pk)
    form = RaterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rater = feedback_rater_add(
                request=feedback,
                by=request.user,
                group=form.cleaned_data["group"],
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{rater.name} has been added.")
            return redirect("feedback:raters", pk=feedback.pk)
    raters = feedback_raters(request=feedback)
    counts = {group: sum(1 for r in raters if r.group == group) for group in CHOSEN_GROUPS}
    return render(
        request,
        "feedback/raters.jinja",
        {
            "feedback": feedback,
            "viewer": viewer,
            "form": form,
            "raters": raters,
            "groups": [
                {
                    "group": group,
                    "label": Group(group).label,
                    "describe": GROUP_CHOICES[group],
                    "limits": feedback.limits(group),
                    "count": counts[group],
                    "raters": [r for r in raters if r.group == group],
                }
                for group in CHOSEN_GROUPS
            ],
            "problems": feedback_list_problems(feedback),
            "threshold": ANONYMITY_THRESHOLD,
            "page_has_errors": bool(form.errors),
        },
    )


@require_POST
@permission_required(ASK_FEEDBACK)
def feedback_rater_remove_view(request, pk: int, rater_pk: int):
    """Take one rater off a draft list."""
    feedback, _ = _get(request, pk)
    rater = feedback.raters.filter(pk=rater_pk).first()
    if rater is None:
        raise Http404("No such rater")
    try:
        feedback_rater_remove(rater=rater, by=request.user)
    except ValidationError as exc:
        messages.info(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{rater.name} has been removed.")
    return redirect("feedback:raters", pk=feedback.pk)


@require_POST
@permission_required(ASK_FEEDBACK)
def feedback_submit_view(request, pk: int):
    """Send the list to the line manager for approval."""
    feedback, _ = _get(request, pk)
    try:
        feedback_submit(request=feedback, by=request.user)
    except ValidationError as exc:
        messages.info(request, "The list cannot be sent yet: " + " ".join(exc.messages))
        return redirect("feedback:raters" if feedback.editable else "feedback:detail", pk=feedback.pk)
    messages.success(request, "The list has been sent for approval. Nobody is asked until it is approved.")
    return redirect("feedback:detail", pk=feedback.pk)


@permission_required(APPROVE_RATERS)
def feedback_approve_view(request, pk: int):
    """The line manager approves the rater list, which sends the invitations, or sends it back with a reason."""
    feedback, viewer = _get(request, pk)
    if not viewer.is_manager:
        raise PermissionDenied
    waiting = feedback.status == FeedbackRequest.Status.AWAITING_APPROVAL
    approve_form = ApproveForm(request=feedback)
    return_form = ReturnForm()
    if request.method == "POST" and waiting:
        if request.POST.get("decision") == "return":
            return_form = ReturnForm(request.POST)
            if return_form.is_valid():
                try:
                    feedback_return(request=feedback, by=request.user, reason=return_form.cleaned_data["reason"])
                except ValidationError as exc:
                    add_service_errors(return_form, exc)
                else:
                    messages.success(request, f"The list has been sent back to {feedback.person.full_name}.")
                    return redirect("feedback:team")
        else:
            approve_form = ApproveForm(request.POST, request=feedback)
            if approve_form.is_valid():
                try:
                    feedback_approve(request=feedback, by=request.user, deadline=approve_form.cleaned_data["deadline"])
                except ValidationError as exc:
                    add_service_errors(approve_form, exc)
                else:
                    messages.success(request, "The list has been approved and the invitations have been sent.")
                    return redirect("feedback:detail", pk=feedback.pk)
    return render(
        request,
        "feedback/approve.jinja",
        {
            "feedback": feedback,
            "waiting": waiting,
            "raters": feedback_raters(request=feedback),
            "approve_form": approve_form,
            "return_form": return_form,
            "page_has_errors": bool(approve_form.errors or return_form.errors),
        },
    )


@require_POST
@permission_required(ASK_FEEDBACK)
def feedback_close_view(request, pk: int):
    """Close an open request early; the combined report is then shown."""
    feedback, _ = _get(request, pk)
    try:
        feedback_close(request=feedback, by=request.user)
    except ValidationError as exc:
        messages.info(request, " ".join(exc.messages))
    else:
        messages.success(request, "The request has been closed. No more answers will be taken.")
    return redirect("feedback:detail", pk=feedback.pk)


@permission_required(ASK_FEEDBACK)
def feedback_self_answer_view(request, pk: int):
    """The person gives their own view, signed in, on the same questionnaire as their raters."""
    _own_person(request)
    feedback, viewer = _get(request, pk)
    if not viewer.is_person:
        raise Http404("No such request")
    return _questionnaire(request, feedback=feedback, rater=self_rater(request=feedback), own=True)


@permission_required(APPROVE_RATERS)
def feedback_team(request):
    """The requests a line manager approves, those waiting for them first."""
    person = _own_person(request)
    return render(
        request, "feedback/team.jinja", {"page": _paginate(request, feedback_requests_managed(manager=person))}
    )


@permission_required(VIEW_RESPONSE_RATES)
def feedback_rates_view(request):
    """Response rates of the requests in the scope: how many asked and, per group of 3 or more, answered."""
    status = request.GET.get("status", "")
    if status not in ("", FeedbackRequest.Status.OPEN, FeedbackRequest.Status.CLOSED):
        status = ""
    page = _paginate(request, feedback_rates(assignment=request.assignment, status=status))
    return render(
        request,
        "feedback/rates.jinja",
        {
            "can_set_rules": assignment_has(request.assignment, SET_RULES),
            "page": page,
            "counts": feedback_rates_counts(requests=page.object_list),
            "status": status,
            "threshold": ANONYMITY_THRESHOLD,
        },
    )


MESSAGES = {
    "invalid": (
        "This link does not work",
        [
            "Check that you copied the whole link from your email. If it still does not work, ask the person who "
            "asked you for feedback to check your email address with their line manager."
        ],
    ),
    "answered": ("You have already given your feedback", ["Your answers have been recorded. Thank you."]),
    "closed": ("This request for feedback has closed", ["No more answers are being taken. Thank you for your time."]),
    "late": ("The deadline for this feedback has passed", []),
    "not_open": ("This request for feedback is not open", ["Nobody can answer it yet."]),
    "thanks": ("Thank you for your feedback", ["Your answers have been recorded. You can close this page."]),
}


def _message_page(request, kind: str, *, feedback=None, status: int = 200):
    title, paragraphs = MESSAGES[kind]
    if kind == "late" and feedback is not None:
        paragraphs = [
            f"Answers were needed by {feedback.deadline.day} {feedback.deadline:%B %Y}, so your answers cannot be "
            "taken now. Thank you for being willing to help."
        ]
    return render(
        request,
        "feedback/message.jinja",
        {"title": title, "paragraphs": paragraphs, "kind": kind, "feedback": feedback},
        status=status,
    )


def _questionnaire(request, *, feedback: FeedbackRequest, rater, own: bool):
    if rater.responded:
        return _message_page(request, "answered", feedback=feedback)
    if feedback.status in (FeedbackRequest.Status.DRAFT, FeedbackRequest.Status.AWAITING_APPROVAL):
        return _message_page(request, "not_open", feedback=feedback)
    if feedback.status == FeedbackRequest.Status.CLOSED:
        return _message_page(request, "closed", feedback=feedback)
    if feedback.is_late:
        return _message_page(request, "late", feedback=feedback)
    form = AnswerForm(request.POST or None, own=own)
    if request.method == "POST" and form.is_valid():
        try:
            feedback_answer_submit(
                rater=rater,
                scores=form.scores(),
                strengths=form.cleaned_data["strengths"],
                development=form.cleaned_data["development"],
            )
        except AnswerRefused as refused:
            return _message_page(request, refused.reason, feedback=feedback)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if own:
                messages.success(request, "Your own view has been recorded.")
                return redirect("feedback:detail", pk=feedback.pk)
            return _message_page(request, "thanks", feedback=feedback)
    return render(
        request,
        "feedback/answer.jinja",
        {
            "feedback": feedback,
            "rater": rater,
            "form": form,
            "own": own,
            "named": rater.group in (Group.SELF, Group.MANAGER),
            "threshold": ANONYMITY_THRESHOLD,
            "page_has_errors": bool(form.errors),
        },
    )


@login_not_required
@never_cache
def feedback_answer_view(request):
    """The questionnaire a rater opens from their email: no account needed, the link's secret identifies them."""
    token = request.GET.get("t", "")
    rater = rater_by_token(token)
    if rater is None or rater.group == Group.SELF:
        return _message_page(request, "invalid", status=404)
    response = _questionnaire(request, feedback=rater.request, rater=rater, own=False)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@permission_required(SET_RULES)
def feedback_rules_view(request):
    """HR sets its organisation's fewest and most raters per group for new requests."""
    from carelead.audit.models import AuditLog
    from carelead.audit.services import Actor, audit_record
    from carelead.feedback.models import OrganisationRules
    from carelead.feedback.rules import rules_for

    organisation = request.assignment.organisation
    if organisation is None:
        raise Http404("Rules belong to an organisation")
    form = RulesForm(request.POST or None, rules=rules_for(organisation))
    if request.method == "POST" and form.is_valid():
        OrganisationRules.objects.update_or_create(
            organisation=organisation, defaults={"rules": form.cleaned_data["rules"], "updated_by": request.user}
        )
        audit_record(
            actor=Actor.of(request.user),
            action=AuditLog.Action.UPDATE,
            object_type="feedback.OrganisationRules",
            object_id=organisation.pk,
            object_repr=f"360 rater rules for {organisation.name}",
            changes={"rules": form.cleaned_data["rules"]},
            organisation_id=organisation.pk,
        )
        messages.success(request, "The rules apply to requests made from now on; requests under way keep theirs.")
        return redirect("feedback:rules")
    return render(
        request,
        "feedback/rules.jinja",
        {"form": form, "organisation": organisation, "groups": CHOSEN_GROUPS, "page_has_errors": bool(form.errors)},
    )
