"""Talent conversation pages: mine and my team's, record one, read one and comment on it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from carelead.accounts.permissions import assignment_has, permission_required
from carelead.core.forms import add_service_errors
from carelead.people.models import Person
from carelead.people.permissions import VIEW_OWN_RECORD
from carelead.people.selectors import reports_q
from carelead.talent import services
from carelead.talent.forms import CommentForm, ConversationForm
from carelead.talent.models import TalentConversation
from carelead.talent.permissions import HOLD_CONVERSATIONS


def _manages(request, person) -> bool:
    """Whether the signed-in user manages this person (directly or through other managers)."""
    me = request.user.person_id
    return (
        me is not None
        and assignment_has(request.assignment, HOLD_CONVERSATIONS)
        and Person.objects.filter(reports_q(manager_id=me), pk=person.pk).exists()
    )


def _conversation(request, pk: int) -> tuple[TalentConversation, bool]:
    conversation = (
        TalentConversation.objects.select_related("person__organisation", "held_with", "recorded_by")
        .filter(pk=pk)
        .first()
    )
    if conversation is None:
        raise Http404("No such conversation")
    own = request.user.person_id == conversation.person_id
    if not (own or _manages(request, conversation.person)):
        raise Http404("No such conversation")
    return conversation, own


@permission_required(VIEW_OWN_RECORD)
def mine(request):
    me = request.user.person
    held, direct = [], []
    if me is not None and assignment_has(request.assignment, HOLD_CONVERSATIONS):
        direct = list(
            Person.objects.filter(line_manager=me, end_date__isnull=True).order_by("last_name", "first_name")[:200]
        )
        held = list(
            TalentConversation.objects.filter(person__in=Person.objects.filter(reports_q(manager_id=me.pk)))
            .select_related("person")
            .order_by("-held_on", "-pk")[:100]
        )
    mine_list = list(TalentConversation.objects.filter(person=me).select_related("held_with")) if me else []
    return render(request, "talent/mine.jinja", {"mine": mine_list, "held": held, "direct": direct})


def _values(cleaned: dict) -> dict:
    return {k: cleaned[k] for k in services.FIELDS}


@permission_required(VIEW_OWN_RECORD)
def new(request):
    """Record a conversation: about oneself, or (for a manager) about someone one manages (?staff_id=)."""
    me = request.user.person
    if me is None:
        raise Http404("Talent conversations need a staff record")
    staff_id = request.GET.get("staff_id") or request.POST.get("staff_id")
    person = me
    if staff_id and staff_id != me.staff_id:
        person = Person.objects.filter(staff_id=staff_id).first()
        if person is None or not _manages(request, person):
            raise Http404("No such member of your team")
    form = ConversationForm(request.POST or None, initial={"held_on": services.today()})
    if request.method == "POST" and form.is_valid():
        held_with = None if form.cleaned_data["coach_name"] else (me if person != me else person.line_manager)
        try:
            conversation = services.conversation_record(
                person=person, held_with=held_with, by=request.user, values=_values(form.cleaned_data)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Talent conversation recorded.")
            return redirect("talent:detail", pk=conversation.pk)
    return render(
        request,
        "talent/form.jinja",
        {"form": form, "person": person, "own": person == me, "page_has_errors": bool(form.errors)},
    )


@permission_required(VIEW_OWN_RECORD)
def detail(request, pk: int):
    conversation, own = _conversation(request, pk)
    comment = CommentForm(request.POST or None, initial={"text": conversation.person_comments})
    form = None
    if request.method == "POST":
        if request.POST.get("step") == "comment" and own and comment.is_valid():
            services.conversation_comment(conversation=conversation, by=request.user, text=comment.cleaned_data["text"])
            messages.success(request, "Your comments are saved.")
            return redirect("talent:detail", pk=pk)
        form = ConversationForm(request.POST)
        if request.POST.get("step") == "change" and form.is_valid():
            try:
                services.conversation_change(
                    conversation=conversation, by=request.user, values=_values(form.cleaned_data)
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "Conversation updated.")
                return redirect("talent:detail", pk=pk)
    if form is None:
        form = ConversationForm(initial={f: getattr(conversation, f) for f in services.FIELDS})
    return render(
        request,
        "talent/detail.jinja",
        {"c": conversation, "own": own, "form": form, "comment": comment, "page_has_errors": bool(form.errors)},
    )
