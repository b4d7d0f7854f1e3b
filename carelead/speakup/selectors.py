"""Reads of speak-up cases.

Guardian pages reach cases only through ``cases_visible``, the one rule for lists and single records: the cases
of the organisations in the acting guardian's scope, and nothing for any other role or for a role without an
organisation. Reporters reach their own case only through ``case_for_reporter``, with the receipt code and secret.
"""

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from carelead.accounts.permissions import Scope, assignment_has
from carelead.core.choices import OrganisationType
from carelead.organisations.models import Organisation
from carelead.speakup import credentials
from carelead.speakup.models import (
    CATEGORY_FIELDS,
    Attachment,
    Case,
    Escalation,
    IdentityAccess,
    Message,
    Mode,
    Note,
)
from carelead.speakup.permissions import HANDLE

# Organisations a concern cannot be raised with: they employ nobody the guardians of a provider look after.
NOT_EMPLOYERS = (OrganisationType.REGION, OrganisationType.NATIONAL)
SEARCH_LIMIT = 20

# The anonymity filter of the case list.
ANONYMITY_CHOICES = [("", "Anonymous or not"), ("anonymous", "Anonymous only"), ("identified", "Named or confidential")]


# Organisations -----------------------------------------------------------------------------------------------------


def organisations_for_concerns() -> QuerySet[Organisation]:
    """Organisations a worker may raise a concern with: every one except regions and the national body."""
    return Organisation.objects.exclude(type__in=NOT_EMPLOYERS)


def organisation_search(*, q: str) -> list[Organisation]:
    """Up to ``SEARCH_LIMIT`` organisations whose name contains ``q`` or whose code is ``q``, by name."""
    q = q.strip()
    if not q:
        return []
    matches = organisations_for_concerns().filter(Q(name__icontains=q) | Q(code__iexact=q))
    return list(matches.only("id", "code", "name", "type").order_by("name", "code")[:SEARCH_LIMIT])


def organisation_for_concern(*, code: str) -> Organisation | None:
    """The organisation with this code, if a concern may be raised with it."""
    code = (code or "").strip()
    if not code:
        return None
    return organisations_for_concerns().filter(code__iexact=code).first()


# Guardians ---------------------------------------------------------------------------------------------------------


def cases_visible(*, assignment) -> QuerySet[Case]:
    """The cases the acting role reaches: a guardian's organisation and those beneath it; nothing otherwise."""
    if not assignment_has(assignment, HANDLE):
        return Case.objects.none()
    scope = Scope.of(assignment)
    if scope.national:
        # Guardians belong to an organisation; a guardian role without one reaches no case.
        return Case.objects.none()
    return Case.objects.filter(scope.organisations_q("organisation__"))


def case_may_handle(*, assignment, case: Case) -> bool:
    """Whether the acting role handles this case."""
    return cases_visible(assignment=assignment).filter(pk=case.pk).exists()


def case_get(*, assignment, pk: int) -> Case:
    """One case the acting guardian reaches, with its conversation and history (404 otherwise, alike)."""
    cases = (
        cases_visible(assignment=assignment)
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "messages",
                queryset=Message.objects.select_related("author").prefetch_related("attachments").order_by("pk"),
            ),
            Prefetch("attachments", queryset=_concern_files(), to_attr="concern_attachments"),
            Prefetch("notes", queryset=Note.objects.select_related("written_by").order_by("pk")),
            Prefetch("escalations", queryset=Escalation.objects.select_related("recorded_by")),
            Prefetch("identity_accesses", queryset=IdentityAccess.objects.select_related("by").order_by("pk")),
        )
    )
    try:
        return cases.get(pk=pk)
    except (Case.DoesNotExist, ValueError):
        raise Http404("No such case") from None


def _concern_files():
    # The files sent with the concern itself; a message's files come with the message.
    return Attachment.objects.filter(message__isnull=True).order_by("pk")


def attachment_get(*, assignment, case_pk: int, pk: int) -> Attachment:
    """One file of a case the acting guardian reaches (404 otherwise, alike)."""
    found = (
        Attachment.objects.filter(case__in=cases_visible(assignment=assignment), case_id=case_pk, pk=pk)
        .select_related("case")
        .first()
    )
    if found is None:
        raise Http404("No such file")
    return found


def case_search(*, assignment, filters: dict[str, Any]) -> QuerySet[Case]:
    """Cases the acting guardian reaches, newest first; ``filters`` may hold status, category and anonymity."""
    cases = cases_visible(assignment=assignment)
    if filters.get("status"):
        cases = cases.filter(status=filters["status"])
    if filters.get("category") in CATEGORY_FIELDS:
        cases = cases.filter(**{CATEGORY_FIELDS[filters["category"]]: True})
    if filters.get("anonymity") == "anonymous":
        cases = cases.filter(mode=Mode.ANONYMOUS)
    elif filters.get("anonymity") == "identified":
        cases = cases.exclude(mode=Mode.ANONYMOUS)
    return (
        cases.select_related("organisation")
        .defer("description", "outcome", "secret_hash", "receipt_digest", "reporter_name", "reporter_email")
        .order_by("-received_on", "-pk")
    )


# Reporters ---------------------------------------------------------------------------------------------------------


def case_for_reporter(*, receipt: str, secret: str) -> Case | None:
    """The case these codes open, or None; the same work is done whether or not the receipt code exists."""
    case = Case.objects.filter(receipt_digest=credentials.receipt_digest(receipt)).first()
    if not credentials.secret_matches(secret, case.secret_hash if case else None):
        return None
    return case


def case_reporter_view(*, pk: int) -> Case | None:
    """A case as its reporter sees it: the concern and the conversation, nothing the guardians keep to themselves."""
    return (
        Case.objects.select_related("organisation")
        .prefetch_related(
            Prefetch("messages", queryset=Message.objects.prefetch_related("attachments").order_by("pk")),
            Prefetch("attachments", queryset=_concern_files(), to_attr="concern_attachments"),
        )
        .filter(pk=pk, purged_on__isnull=True)
        .first()
    )


def attachment_for_reporter(*, case: Case, pk: int) -> Attachment | None:
    """One of the files of the reporter's own case, or None."""
    return Attachment.objects.filter(case_id=case.pk, pk=pk).first()
