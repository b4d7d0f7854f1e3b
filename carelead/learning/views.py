"""The training provider's pages: their accredited modules and the completions they reported."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from carelead.accounts.permissions import permission_required
from carelead.learning.models import TrainingRecord
from carelead.learning.permissions import POST_COMPLETIONS
from carelead.learning.services import provider_for


@permission_required(POST_COMPLETIONS)
def provider_home(request):
    """Modules the provider is accredited for, and the completions it has reported (newest first)."""
    provider = provider_for(request.assignment)
    if provider is None:
        raise PermissionDenied
    accreditations = provider.accreditations.select_related("module").order_by("module__code", "valid_from")
    reported = (
        TrainingRecord.objects.filter(provider_code=provider.code, record_id__startswith=f"{provider.code}:")
        .select_related("person")
        .order_by("-date", "record_id")
    )
    page = Paginator(reported, 25).get_page(request.GET.get("page"))
    return render(
        request, "learning/provider.jinja", {"provider": provider, "accreditations": accreditations, "page": page}
    )
