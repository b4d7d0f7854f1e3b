"""Pages of speak-up.

The reporters' pages (raising a concern and following it) need no account, and never read who is signed in: a
concern raised from inside CareLead is no more tied to the user than one raised from home. They use neither the
session nor messages; following a case uses its own short-lived signed cookie that holds the case and nothing
about the person. Rate limits keep only a salted hash of the client address, in the cache, for an hour.

The guardians' pages need ``speakup.handle`` and reach cases only through the scoped selectors.

Attached files are only ever downloaded, never shown in the page: through a guardian's page (audited) or through
the reporter's own follow-up, for their own case. The storage they live in has no web address of its own.
"""

import secrets
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from carelead.accounts.permissions import permission_required
from carelead.core.forms import add_service_errors
from carelead.speakup import credentials, selectors, services
from carelead.speakup.forms import (
    CaseFilterForm,
    CloseForm,
    EscalationForm,
    FeedbackForm,
    FollowForm,
    NoteForm,
    OrganisationSearchForm,
    RaiseForm,
    ReplyForm,
    ReporterDetrimentForm,
    ReporterReplyForm,
    RevealForm,
    TriageForm,
)
from carelead.speakup.models import Attachment, Case, Category, Mode, ProfessionalGroup
from carelead.speakup.permissions import HANDLE

PAGE_SIZE = 25
WINDOW_SECONDS = 3600
# Concerns one client address may raise in an hour, attempts at the form (with errors), wrong receipt codes or
# secrets from one address, and wrong secrets tried against one receipt code from anywhere.
LIMITS = {"RAISED": 5, "ATTEMPTS": 30, "FOLLOW_ADDRESS": 10, "FOLLOW_RECEIPT": 5}
# Following a case: the cookie lasts this long after the last page, and never longer than the absolute limit.
FOLLOW_COOKIE = "speakup_follow"
FOLLOW_IDLE_SECONDS = 15 * 60
FOLLOW_MAX_SECONDS = 60 * 60
FOLLOW_SALT = "carelead.speakup.follow"


def _limit(kind: str) -> int:
    return int(getattr(settings, "CARELEAD_SPEAKUP_LIMITS", {}).get(kind, LIMITS[kind]))


def _key(kind: str, value: str) -> str:
    digest = salted_hmac(f"carelead.speakup.{kind}", value).hexdigest()
    return f"speakup:{kind}:{digest}:{int(time.time() // WINDOW_SECONDS)}"


def _address_key(request, kind: str) -> str:
    return _key(kind, request.META.get("REMOTE_ADDR", ""))


def _count(key: str) -> int:
    return cache.get(key, 0)


def _bump(key: str) -> None:
    cache.set(key, cache.get(key, 0) + 1, timeout=WINDOW_SECONDS)


def _page(request, items):
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def _download(attachment: Attachment):
    """The file as a download under its kept name: never shown inline, never sniffed, never cached."""
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing from storage") from None
    response = FileResponse(handle, as_attachment=True, filename=attachment.name, content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# The start page ----------------------------------------------------------------------------------------------------


@login_not_required
@never_cache
def start_view(request):
    """What speaking up is, the three ways to do it, and the way back to a concern already raised."""
    return render(request, "speakup/start.jinja", {"signed_in": request.user.is_authenticated})


# Raising a concern -------------------------------------------------------------------------------------------------


def _raise_context(form, organisation, **extra) -> dict:
    return {
        "form": form,
        "organisation": organisation,
        "page_has_errors": bool(form.errors),
        "modes": Mode,
        "categories": Category,
        "groups": ProfessionalGroup,
        **extra,
    }


@login_not_required
@never_cache
def raise_view(request):
    """Raise a concern: choose the organisation, then say how to be known and what the concern is."""
    if request.method == "POST":
        return _raise_post(request)
    organisation = selectors.organisation_for_concern(code=request.GET.get("org", ""))
    if organisation is None:
        search = OrganisationSearchForm(request.GET or None)
        q = search.cleaned_data["q"] if search.is_valid() else ""
        results = selectors.organisation_search(q=q)
        return render(
            request,
            "speakup/choose_organisation.jinja",
            {"search": search, "q": q, "results": results, "limit": selectors.SEARCH_LIMIT},
        )
    form = RaiseForm(initial={"organisation": organisation.code, "submission": secrets.token_urlsafe(24)})
    return render(request, "speakup/raise.jinja", _raise_context(form, organisation))


def _raise_post(request):
    form = RaiseForm(request.POST, request.FILES)
    organisation = selectors.organisation_for_concern(code=request.POST.get("organisation", ""))
    if organisation is None:
        return redirect("speakup:raise")
    raised, attempts = _address_key(request, "raised"), _address_key(request, "attempts")
    if _count(raised) >= _limit("RAISED") or _count(attempts) >= _limit("ATTEMPTS"):
        return render(request, "speakup/raise_limited.jinja", status=429)
    _bump(attempts)
    if form.is_valid():
        if form.is_bot:
            # Shown a receipt like anyone else, so the sender learns nothing; nothing is kept.
            _bump(raised)
            return render(request, "speakup/receipt.jinja", {"receipt": _decoy_receipt(organisation)})
        submission = form.cleaned_data["submission"]
        sent_key = _key("submission", submission) if submission else None
        if sent_key and not cache.add(sent_key, 1, timeout=WINDOW_SECONDS):
            return render(request, "speakup/already_sent.jinja", status=409)
        data = form.cleaned_data
        try:
            receipt = services.case_raise(
                organisation=organisation,
                mode=data["mode"],
                description=data["description"],
                categories=data["categories"],
                professional_group=data["professional_group"],
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                files=data["files"],
            )
        except ValidationError as exc:
            if sent_key:
                cache.delete(sent_key)
            add_service_errors(form, exc, rename={"reporter_email": "email", "reporter_phone": "phone"})
        else:
            _bump(raised)
            # Shown once, straight from the response: the codes are not kept anywhere they could be read again.
            return render(
                request,
                "speakup/receipt.jinja",
                {"receipt": receipt, "identity_dropped": form.identity_dropped},
            )
    return render(request, "speakup/raise.jinja", _raise_context(form, organisation))


def _decoy_receipt(organisation) -> services.Receipt:
    return services.Receipt(
        case=Case(organisation=organisation, mode=Mode.ANONYMOUS),
        receipt=credentials.new_code(credentials.RECEIPT_LENGTH),
        secret=credentials.new_code(credentials.SECRET_LENGTH),
    )


# Following a concern -----------------------------------------------------------------------------------------------


def _binding(case: Case) -> str:
    # Ties the cookie to the case's secret hash, so a cookie cannot be made for a case from its number alone.
    return salted_hmac("carelead.speakup.follow-binding", case.secret_hash).hexdigest()[:32]


def _follow_cookie(response, request, case: Case, started: int) -> None:
    value = f"{case.pk}:{_binding(case)}:{started}"
    response.set_signed_cookie(
        FOLLOW_COOKIE,
        value,
        salt=FOLLOW_SALT,
        max_age=FOLLOW_IDLE_SECONDS,
        path=reverse("speakup:follow"),
        httponly=True,
        samesite="Strict",
        secure=request.is_secure() or settings.SESSION_COOKIE_SECURE,
    )


def _followed_case(request) -> tuple[Case | None, int]:
    try:
        value = request.get_signed_cookie(FOLLOW_COOKIE, salt=FOLLOW_SALT, max_age=FOLLOW_IDLE_SECONDS)
        pk, binding, started = value.split(":")
        pk, started = int(pk), int(started)
    except (KeyError, signing.BadSignature, ValueError):
        return None, 0
    if time.time() - started > FOLLOW_MAX_SECONDS:
        return None, 0
    case = selectors.case_reporter_view(pk=pk)
    if case is None or not constant_time_compare(binding, _binding(case)):
        return None, 0
    return case, started


@login_not_required
@never_cache
def follow_view(request):
    """Open a concern with its receipt code and secret. Wrong codes are limited and say nothing about the case."""
    form = FollowForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        by_address = _address_key(request, "follow-address")
        by_receipt = _key("follow-receipt", credentials.normalise(form.data.get("receipt", "")))
        if _count(by_address) >= _limit("FOLLOW_ADDRESS") or _count(by_receipt) >= _limit("FOLLOW_RECEIPT"):
            return render(request, "speakup/follow_limited.jinja", status=429)
        if form.is_valid():
            case = selectors.case_for_reporter(receipt=form.cleaned_data["receipt"], secret=form.cleaned_data["secret"])
            if case is not None:
                response = redirect("speakup:follow_case")
                _follow_cookie(response, request, case, int(time.time()))
                return response
            _bump(by_address)
            _bump(by_receipt)
            form.add_error(None, "The receipt code or secret is not right. Check them and try again.")
    return render(request, "speakup/follow.jinja", {"form": form, "page_has_errors": bool(form.errors)})


@login_not_required
@never_cache
def follow_case_view(request):
    """The reporter's view of their case: the concern, the conversation, a reply and whether they were treated worse."""
    case, started = _followed_case(request)
    if case is None:
        response = redirect("speakup:follow")
        response.delete_cookie(FOLLOW_COOKIE, path=reverse("speakup:follow"))
        return response
    reply_form = ReporterReplyForm(prefix="reply")
    detriment_form = ReporterDetrimentForm(prefix="detriment")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "reply":
                reply_form = ReporterReplyForm(request.POST, request.FILES, prefix="reply")
                if reply_form.is_valid():
                    services.case_reporter_reply(
                        case=case, body=reply_form.cleaned_data["body"], files=reply_form.cleaned_data["files"]
                    )
                    return _back_to_case(request, case, started, done="reply")
            elif action == "detriment":
                detriment_form = ReporterDetrimentForm(request.POST, prefix="detriment")
                if detriment_form.is_valid():
                    services.case_reporter_detriment(case=case, **detriment_form.cleaned_data)
                    return _back_to_case(request, case, started, done="detriment")
        except ValidationError as exc:
            add_service_errors(reply_form if action == "reply" else detriment_form, exc)
    response = render(
        request,
        "speakup/follow_case.jinja",
        {
            "case": case,
            "conversation": list(case.messages.all()),
            "reply_form": reply_form,
            "detriment_form": detriment_form,
            "done": request.GET.get("done", ""),
            "page_has_errors": bool(reply_form.errors or detriment_form.errors),
            "idle_minutes": FOLLOW_IDLE_SECONDS // 60,
        },
    )
    _follow_cookie(response, request, case, started)
    return response


def _back_to_case(request, case: Case, started: int, *, done: str):
    response = redirect(reverse("speakup:follow_case") + f"?done={done}")
    _follow_cookie(response, request, case, started)
    return response


@login_not_required
@never_cache
@require_http_methods(["GET", "HEAD"])
def follow_attachment_view(request, pk: int):
    """Download a file of the reporter's own case, opened with their receipt code; nothing is recorded."""
    case, _started = _followed_case(request)
    if case is None:
        return redirect("speakup:follow")
    attachment = selectors.attachment_for_reporter(case=case, pk=pk)
    if attachment is None:
        raise Http404("No such file")
    return _download(attachment)


@login_not_required
@never_cache
@require_POST
def follow_leave_view(request):
    """Close the reporter's view of their case on this device."""
    response = redirect(reverse("speakup:follow") + "?left=1")
    response.delete_cookie(FOLLOW_COOKIE, path=reverse("speakup:follow"))
    return response


# Guardians ---------------------------------------------------------------------------------------------------------


@permission_required(HANDLE)
@never_cache
def cases_view(request):
    """The cases of the organisations in the guardian's scope, filtered by status, category and anonymity."""
    filters = CaseFilterForm(request.GET)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    page = _page(request, selectors.case_search(assignment=request.assignment, filters=chosen))
    return render(
        request,
        "speakup/cases.jinja",
        {
            "filters": filters,
            "page": page,
            "filtered": any(chosen.values()) if chosen else False,
            "scope_name": getattr(request.assignment.organisation, "name", ""),
        },
    )


def _case_page(request, case: Case, **extra):
    return render(
        request,
        "speakup/case.jinja",
        {
            "case": case,
            "note_form": extra.pop("note_form", NoteForm()),
            "reply_form": extra.pop("reply_form", ReplyForm()),
            **extra,
        },
    )


@permission_required(HANDLE)
@never_cache
def case_view(request, pk: int):
    """One case: the concern, the conversation, notes, escalations and identity looks."""
    case = selectors.case_get(assignment=request.assignment, pk=pk)
    return _case_page(request, case)


def _action_page(request, *, pk: int, form_class, template: str, save, success: str, form_kwargs=None, initial=None):
    """A guardian's action on a case: show its form, and on a good answer save it and go back to the case."""
    case = selectors.case_get(assignment=request.assignment, pk=pk)
    if case.is_purged:
        # Nothing is left to act on: the case page says so.
        return redirect("speakup:case", pk=case.pk)
    form_kwargs = form_kwargs(case) if callable(form_kwargs) else (form_kwargs or {})
    if initial is not None:
        form_kwargs["initial"] = initial(case)
    posted = request.method == "POST"
    form = form_class(request.POST if posted else None, request.FILES if posted else None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            save(case, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("speakup:case", pk=case.pk)
    return render(request, template, {"case": case, "form": form, "page_has_errors": bool(form.errors)})


@permission_required(HANDLE)
@never_cache
def case_triage_view(request, pk: int):
    """Set the status and correct the categories."""
    return _action_page(
        request,
        pk=pk,
        form_class=TriageForm,
        template="speakup/triage.jinja",
        form_kwargs=lambda case: {"closed": case.status == "closed"},
        initial=lambda case: {"status": case.status, "categories": case.categories},
        save=lambda case, data: services.case_triage(assignment=request.assignment, by=request.user, case=case, **data),
        success="Status and categories saved.",
    )


@permission_required(HANDLE)
@never_cache
def case_note_view(request, pk: int):
    """Add an internal note."""
    return _action_page(
        request,
        pk=pk,
        form_class=NoteForm,
        template="speakup/note.jinja",
        save=lambda case, data: services.case_note_add(
            assignment=request.assignment, by=request.user, case=case, **data
        ),
        success="Note added.",
    )


@permission_required(HANDLE)
@never_cache
def case_reply_view(request, pk: int):
    """Reply to the reporter."""
    return _action_page(
        request,
        pk=pk,
        form_class=ReplyForm,
        template="speakup/reply.jinja",
        save=lambda case, data: services.case_reply(assignment=request.assignment, by=request.user, case=case, **data),
        success="Reply sent. The reporter reads it when they next open their case.",
    )


@permission_required(HANDLE)
@never_cache
@require_http_methods(["GET", "HEAD"])
def case_attachment_view(request, pk: int, attachment_pk: int):
    """Download a file of a case; every download is audited."""
    attachment = selectors.attachment_get(assignment=request.assignment, case_pk=pk, pk=attachment_pk)
    response = _download(attachment)
    services.attachment_downloaded(assignment=request.assignment, by=request.user, attachment=attachment)
    return response


@permission_required(HANDLE)
@never_cache
def case_escalate_view(request, pk: int):
    """Record an escalation."""
    return _action_page(
        request,
        pk=pk,
        form_class=EscalationForm,
        template="speakup/escalate.jinja",
        save=lambda case, data: services.case_escalate(
            assignment=request.assignment, by=request.user, case=case, **data
        ),
        success="Escalation recorded.",
    )


@permission_required(HANDLE)
@never_cache
def case_feedback_view(request, pk: int):
    """Record whether feedback was given and whether the reporter suffered detriment."""
    return _action_page(
        request,
        pk=pk,
        form_class=FeedbackForm,
        template="speakup/feedback.jinja",
        initial=lambda case: {
            "feedback_given": "yes" if case.feedback_given else "no",
            "feedback_given_on": case.feedback_given_on,
            "detriment": "yes" if case.detriment else "no",
        },
        save=lambda case, data: services.case_feedback_record(
            assignment=request.assignment, by=request.user, case=case, **data
        ),
        success="Feedback and detriment saved.",
    )


@permission_required(HANDLE)
@never_cache
def case_close_view(request, pk: int):
    """Close the case with a summary of the outcome."""
    return _action_page(
        request,
        pk=pk,
        form_class=CloseForm,
        template="speakup/close.jinja",
        save=lambda case, data: services.case_close(assignment=request.assignment, by=request.user, case=case, **data),
        success="Case closed.",
    )


def _confidential_case(request, pk: int) -> Case:
    case = selectors.case_get(assignment=request.assignment, pk=pk)
    if case.mode != Mode.CONFIDENTIAL or case.is_purged:
        raise Http404("Only a confidential reporter's identity is kept back")
    return case


@permission_required(HANDLE)
@never_cache
def case_identity_view(request, pk: int):
    """Show a confidential reporter's name: a confirmation first, and the look is recorded."""
    case = _confidential_case(request, pk)
    if request.method == "POST":
        services.case_identity_show(assignment=request.assignment, by=request.user, case=case)
        # Shown in this response only: opening the case again hides the name again.
        return render(request, "speakup/identity.jinja", {"case": case, "shown": True})
    return render(request, "speakup/identity.jinja", {"case": case, "shown": False})


@permission_required(HANDLE)
@never_cache
def case_reveal_view(request, pk: int):
    """Record that a confidential reporter's identity is revealed to someone, with the reason."""
    return _action_page(
        request,
        pk=_confidential_case(request, pk).pk,
        form_class=RevealForm,
        template="speakup/reveal.jinja",
        save=lambda case, data: services.case_identity_reveal(
            assignment=request.assignment,
            by=request.user,
            case=case,
            revealed_to=data["revealed_to"],
            reason=data["reason"],
        ),
        success="The reveal is recorded.",
    )
