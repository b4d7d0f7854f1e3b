"""The training provider's pages: their accredited modules and the completions they reported."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from carelead.accounts.permissions import permission_required
from carelead.learning.models import TrainingRecord
from carelead.learning.permissions import POST_COMPLETIONS
from carelead.learning.services import provider_for
from carelead.people.permissions import VIEW_OWN_RECORD


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


@permission_required(VIEW_OWN_RECORD)
def credential_download(request, record_id: str):
    """Download the signed credential for one of my completions that counts towards a requirement."""
    import json

    from django.http import Http404, HttpResponse

    from carelead.learning.credentials import credential_issue
    from carelead.standards.gate import record_counts

    person = request.user.person
    if person is None:
        raise PermissionDenied
    record = TrainingRecord.objects.filter(person=person, record_id=record_id).first()
    if record is None or not record_counts(record):
        raise Http404("No counted completion with that id")
    credential = credential_issue(record=record, by=request.user)
    response = HttpResponse(json.dumps(credential.document, indent=2), content_type="application/ld+json")
    response["Content-Disposition"] = f'attachment; filename="carelead-credential-{record.course_code}.json"'
    return response


@login_not_required
def credential_verify_page(request):
    """Anyone, such as a new employer, checks a credential a person gives them."""
    import json

    from carelead.learning.credentials import credential_verify
    from carelead.learning.forms import VerifyForm

    form = VerifyForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = credential_verify(json.loads(form.cleaned_data["credential"]))
        except json.JSONDecodeError:
            form.add_error("credential", "The credential is not valid JSON: paste the whole file")
    return render(
        request, "learning/verify.jinja", {"form": form, "result": result, "page_has_errors": bool(form.errors)}
    )


@login_not_required
def credential_issuer(request):
    """The issuer profile with the public key that verifies CareLead's credentials."""
    from django.http import JsonResponse

    from carelead.learning.credentials import issuer_profile

    return JsonResponse(issuer_profile(), content_type="application/ld+json")


@permission_required(POST_COMPLETIONS)
def offering_edit(request, module_code: str):
    """Describe how the provider runs one of its accredited modules (mode, dates, booking link)."""
    from django import forms
    from django.contrib import messages
    from django.http import Http404
    from django.shortcuts import redirect

    from carelead.audit.models import AuditLog
    from carelead.audit.services import Actor, audit_record
    from carelead.standards.models import Module, Offering

    provider = provider_for(request.assignment)
    if provider is None:
        raise PermissionDenied
    module = Module.objects.filter(code=module_code, accreditations__provider=provider).distinct().first()
    if module is None:
        raise Http404("You are not accredited for that module")
    offering = Offering.objects.filter(provider=provider, module=module).first() or Offering(
        provider=provider, module=module
    )

    class OfferingForm(forms.ModelForm):
        booking_url = forms.URLField(label="Where learners book", required=False, assume_scheme="https")

        class Meta:
            model = Offering
            fields = ["mode", "description", "booking_url", "next_start", "active"]
            labels = {
                "mode": "How it is delivered",
                "booking_url": "Where learners book",
                "next_start": "Next start date",
                "active": "Open for booking",
            }
            widgets = {"mode": forms.RadioSelect, "next_start": forms.DateInput(attrs={"type": "date"})}

    form = OfferingForm(request.POST or None, instance=offering)
    if request.method == "POST" and form.is_valid():
        created = offering.pk is None
        form.save()
        audit_record(
            actor=Actor(user=request.user),
            action=AuditLog.Action.CREATE if created else AuditLog.Action.UPDATE,
            object_type="standards.Offering",
            object_id=offering.pk,
            object_repr=str(offering),
            changes={f: [None, str(form.cleaned_data[f])] for f in form.changed_data},
        )
        messages.success(request, f"The details of {module.title} have been saved.")
        return redirect("learning:provider")
    return render(
        request,
        "learning/offering.jinja",
        {"form": form, "module": module, "provider": provider, "page_has_errors": bool(form.errors)},
    )
