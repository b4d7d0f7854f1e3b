"""Browse, compare, print and publish standards frameworks; the curriculum; my development."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from carelead.accounts.permissions import assignment_has, permission_required
from carelead.core.choices import LEVEL_ORDER, Level
from carelead.people.permissions import VIEW_OWN_RECORD
from carelead.standards.forms import FrameworkUploadForm, LevelFilterForm
from carelead.standards.gate import curriculum_document, eligibility_for_level
from carelead.standards.loading import framework_document
from carelead.standards.permissions import MANAGE_FRAMEWORKS, VIEW_STANDARDS
from carelead.standards.selectors import framework_compare, framework_get, framework_list, framework_tree
from carelead.standards.services import framework_import, framework_new_version, framework_publish


def _can_manage(request) -> bool:
    return assignment_has(request.assignment, MANAGE_FRAMEWORKS)


@permission_required(VIEW_STANDARDS)
def framework_index(request):
    """The frameworks: the published version of each, older versions, and drafts for national admins."""
    frameworks = list(framework_list(include_drafts=_can_manage(request)))
    return render(request, "standards/list.jinja", {"frameworks": frameworks, "can_manage": _can_manage(request)})


@permission_required(VIEW_STANDARDS)
def framework_detail(request, code: str, version: int):
    """One framework version by domain, for one level or all; prints cleanly."""
    framework = framework_get(code=code, version=version, include_drafts=_can_manage(request))
    form = LevelFilterForm(request.GET or None)
    level = form.cleaned_data["level"] if form.is_valid() else ""
    return render(
        request,
        "standards/detail.jinja",
        {
            "framework": framework,
            "domains": framework_tree(framework=framework, level=level or None),
            "principles": framework.principles.order_by("order"),
            "form": form,
            "level": level,
            "levels": [(value, Level(value).label) for value in LEVEL_ORDER if not level or value == level],
            "versions": framework_list(include_drafts=_can_manage(request)).filter(code=code),
            "can_manage": _can_manage(request),
        },
    )


@permission_required(VIEW_STANDARDS)
def framework_export(request, code: str, version: int):
    """The framework version as a JSON document."""
    framework = framework_get(code=code, version=version, include_drafts=_can_manage(request))
    response = HttpResponse(json.dumps(framework_document(framework), indent=2), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{code}-v{version}.json"'
    return response


@permission_required(VIEW_STANDARDS)
def framework_versions_compare(request, code: str):
    """What changed between two versions of a framework."""
    versions = list(framework_list(include_drafts=_can_manage(request)).filter(code=code))
    if not versions:
        from django.http import Http404

        raise Http404
    by_number = {f.version: f for f in versions}
    try:
        old = by_number[int(request.GET.get("from", versions[-1].version))]
        new = by_number[int(request.GET.get("to", versions[0].version))]
    except (KeyError, ValueError):
        messages.error(request, "Choose two versions that exist.")
        old, new = versions[-1], versions[0]
    return render(
        request,
        "standards/compare.jinja",
        {
            "code": code,
            "old": old,
            "new": new,
            "versions": versions,
            "changes": framework_compare(old=old, new=new) if old != new else [],
        },
    )


@permission_required(MANAGE_FRAMEWORKS)
def framework_upload(request):
    """Load a framework document as a draft."""
    form = FrameworkUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            framework = framework_import(document=form.cleaned_data["file"], by=request.user)
        except ValidationError as exc:
            form.add_error("file", "; ".join(exc.messages))
        else:
            messages.success(request, f"{framework} has been loaded as a draft.")
            return redirect("standards:framework", code=framework.code, version=framework.version)
    return render(request, "standards/upload.jinja", {"form": form, "page_has_errors": bool(form.errors)})


@require_POST
@permission_required(MANAGE_FRAMEWORKS)
def framework_publish_view(request, code: str, version: int):
    framework = framework_get(code=code, version=version, include_drafts=True)
    try:
        framework_publish(framework=framework, by=request.user)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(request, f"Version {version} is now the published {framework.title}.")
    return redirect("standards:framework", code=code, version=version)


@require_POST
@permission_required(MANAGE_FRAMEWORKS)
def framework_new_version_view(request, code: str, version: int):
    framework = framework_get(code=code, version=version, include_drafts=True)
    try:
        draft = framework_new_version(framework=framework, by=request.user)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
        return redirect("standards:framework", code=code, version=version)
    messages.success(request, f"Draft version {draft.version} has been started as a copy of version {version}.")
    return redirect("standards:framework", code=code, version=draft.version)


@permission_required(VIEW_STANDARDS)
def curriculum(request):
    """The requirements of each level and the accredited modules that meet them."""
    document = curriculum_document()
    levels = [(value, Level(value).label, [r for r in document if r["level"] == value]) for value in LEVEL_ORDER]
    return render(request, "standards/curriculum.jinja", {"levels": levels})


@permission_required(VIEW_OWN_RECORD)
def my_development(request):
    """My requirements for my current level and the next, what is met and what to do next."""
    person = request.user.person
    if person is None:
        raise PermissionDenied
    index = LEVEL_ORDER.index(person.level)
    next_level = LEVEL_ORDER[index + 1] if index + 1 < len(LEVEL_ORDER) else None
    current = eligibility_for_level(person=person, level=person.level)
    upcoming = eligibility_for_level(person=person, level=next_level) if next_level else None
    from carelead.learning.models import TrainingRecord
    from carelead.standards.gate import record_counts

    records = [(r, record_counts(r)) for r in TrainingRecord.objects.filter(person=person).order_by("-date")[:50]]
    return render(
        request,
        "standards/my_development.jinja",
        {
            "person": person,
            "current": current,
            "upcoming": upcoming,
            "next_label": Level(next_level).label if next_level else None,
            "records": records,
        },
    )
