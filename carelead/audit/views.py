"""The audit log page."""

from django.core.paginator import Paginator
from django.shortcuts import render

from carelead.accounts.permissions import VIEW_AUDIT, Scope, permission_required
from carelead.audit.forms import AuditFilterForm
from carelead.audit.selectors import audit_list


@permission_required(VIEW_AUDIT)
def audit_index(request):
    """Search the audit log of the reader's scope."""
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit_list(scope=Scope.of(request.assignment), **{k: v for k, v in filters.items() if v})
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "audit/list.jinja", {"form": form, "page": page, "page_has_errors": bool(form.errors)})
