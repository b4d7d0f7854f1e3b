"""National administrators manage providers and their accreditations; drafts can be replaced or deleted."""

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from carelead.accounts.permissions import permission_required
from carelead.audit.models import AuditLog
from carelead.audit.services import Actor, audit_record
from carelead.organisations.models import Organisation
from carelead.standards.forms import FrameworkUploadForm
from carelead.standards.loading import framework_load
from carelead.standards.models import Accreditation, Framework, Module, Provider
from carelead.standards.permissions import MANAGE_FRAMEWORKS


class ProviderForm(forms.Form):
    code = forms.CharField(label="Provider code", max_length=20)
    name = forms.CharField(label="Name", max_length=200)
    organisation_code = forms.CharField(
        label="Organisation code (optional)",
        max_length=12,
        required=False,
        help_text="Links the provider's CareLead users to this provider.",
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        if Provider.objects.filter(code=code).exists():
            raise forms.ValidationError("A provider with this code already exists")
        return code

    def clean_organisation_code(self):
        code = self.cleaned_data["organisation_code"].strip()
        if code and not Organisation.objects.filter(code__iexact=code).exists():
            raise forms.ValidationError(f"No organisation has the code {code}")
        return code


class AccreditationForm(forms.Form):
    provider = forms.ChoiceField(label="Provider")
    module = forms.ChoiceField(label="Module")
    valid_from = forms.DateField(label="Accredited from", widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(
        label="Accredited until (optional)", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reference = forms.CharField(label="Accrediting body's reference", max_length=60)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = list(Provider.objects.values_list("code", "name"))
        self.fields["module"].choices = [(m.code, f"{m.code} {m.title}") for m in Module.objects.all()]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("valid_to") and cleaned.get("valid_from") and cleaned["valid_to"] < cleaned["valid_from"]:
            self.add_error("valid_to", "The accreditation must end after it starts")
        return cleaned


@permission_required(MANAGE_FRAMEWORKS)
def providers(request):
    """Providers and their accreditations; add a provider or an accreditation."""
    provider_form = ProviderForm(request.POST if request.POST.get("form") == "provider" else None, prefix="p")
    accreditation_form = AccreditationForm(
        request.POST if request.POST.get("form") == "accreditation" else None, prefix="a"
    )
    actor = Actor(user=request.user)
    if request.method == "POST" and provider_form.is_bound and provider_form.is_valid():
        data = provider_form.cleaned_data
        organisation = Organisation.objects.filter(code__iexact=data["organisation_code"]).first()
        provider = Provider.objects.create(code=data["code"], name=data["name"], organisation=organisation)
        audit_record(
            actor=actor,
            action=AuditLog.Action.CREATE,
            object_type="standards.Provider",
            object_id=provider.pk,
            object_repr=str(provider),
        )
        messages.success(request, f"{provider.name} has been added.")
        return redirect("standards:providers")
    if request.method == "POST" and accreditation_form.is_bound and accreditation_form.is_valid():
        data = accreditation_form.cleaned_data
        accreditation = Accreditation.objects.create(
            provider=Provider.objects.get(code=data["provider"]),
            module=Module.objects.get(code=data["module"]),
            valid_from=data["valid_from"],
            valid_to=data["valid_to"],
            reference=data["reference"],
        )
        audit_record(
            actor=actor,
            action=AuditLog.Action.CREATE,
            object_type="standards.Accreditation",
            object_id=accreditation.pk,
            object_repr=str(accreditation),
        )
        messages.success(request, "The accreditation has been recorded.")
        return redirect("standards:providers")
    listing = Provider.objects.prefetch_related("accreditations__module").select_related("organisation")
    return render(
        request,
        "standards/providers.jinja",
        {
            "providers": listing,
            "provider_form": provider_form,
            "accreditation_form": accreditation_form,
            "statuses": Accreditation.Status.choices,
            "page_has_errors": bool(provider_form.errors or accreditation_form.errors),
        },
    )


@require_POST
@permission_required(MANAGE_FRAMEWORKS)
def accreditation_status(request, pk: int):
    """Suspend, withdraw, expire or reactivate one accreditation."""
    accreditation = get_object_or_404(Accreditation, pk=pk)
    status = request.POST.get("status")
    if status not in Accreditation.Status.values:
        messages.error(request, "Choose a status.")
    elif status != accreditation.status:
        before = accreditation.status
        accreditation.status = status
        accreditation.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=Actor(user=request.user),
            action=AuditLog.Action.UPDATE,
            object_type="standards.Accreditation",
            object_id=accreditation.pk,
            object_repr=str(accreditation),
            changes={"status": [before, status]},
        )
        messages.success(request, f"The accreditation is now {accreditation.get_status_display().lower()}.")
    return redirect("standards:providers")


@require_POST
@permission_required(MANAGE_FRAMEWORKS)
def draft_replace(request, code: str, version: int):
    """Replace a draft's content with a new file (a draft is authored outside and loaded until it is right)."""
    framework = get_object_or_404(Framework, code=code, version=version, status=Framework.Status.DRAFT)
    form = FrameworkUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
        return redirect("standards:framework", code=code, version=version)
    document = form.cleaned_data["file"]
    if (document.get("code"), document.get("version")) != (code, version):
        messages.error(
            request,
            f"The file is for {document.get('code')} version {document.get('version')}, not {code} version {version}.",
        )
        return redirect("standards:framework", code=code, version=version)
    try:
        with transaction.atomic():
            framework.delete()
            framework_load(document, status=Framework.Status.DRAFT)
            audit_record(
                actor=Actor(user=request.user),
                action=AuditLog.Action.UPDATE,
                object_type="standards.Framework",
                object_id=f"{code} v{version}",
                changes={"content": ["(replaced)", json.dumps(document)[:200]]},
            )
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(request, "The draft has been replaced.")
    return redirect("standards:framework", code=code, version=version)


@require_POST
@permission_required(MANAGE_FRAMEWORKS)
def draft_delete(request, code: str, version: int):
    """Delete a draft that will not be published."""
    framework = get_object_or_404(Framework, code=code, version=version, status=Framework.Status.DRAFT)
    framework.delete()
    audit_record(
        actor=Actor(user=request.user),
        action=AuditLog.Action.DELETE,
        object_type="standards.Framework",
        object_id=f"{code} v{version}",
    )
    messages.success(request, f"Draft version {version} has been deleted.")
    return redirect("standards:list")
