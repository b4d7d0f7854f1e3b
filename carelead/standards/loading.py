"""Reading and writing frameworks and the curriculum as JSON (the format of docs/data-formats.md).

The loaders take a ``get_model`` callable so the same code serves data migrations (historical models) and
the running application (``django.apps.apps.get_model``).
"""

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from django.apps import apps as django_apps
from django.core.exceptions import ValidationError

from carelead.core.choices import LEVEL_ORDER

DATA = Path(__file__).resolve().parent / "data"


def _model(get_model: Callable | None, name: str):
    return (get_model or django_apps.get_model)("standards", name)


def framework_validate(data: dict[str, Any]) -> list[str]:
    """Problems with a framework document, each naming where it is; empty when it can be loaded."""
    problems = []
    for key in ("code", "kind", "version", "title", "domains"):
        if key not in data:
            problems.append(f"framework: '{key}' is missing")
    if data.get("kind") not in ("management", "board"):
        problems.append("framework: 'kind' must be management or board")
    seen = set()
    for d, domain in enumerate(data.get("domains", []), start=1):
        for key in ("code", "title", "standards"):
            if key not in domain:
                problems.append(f"domain {d}: '{key}' is missing")
        for s, standard in enumerate(domain.get("standards", []), start=1):
            where = f"domain {domain.get('code', d)}, standard {standard.get('code', s)}"
            if standard.get("code") in seen:
                problems.append(f"{where}: the code is used twice")
            seen.add(standard.get("code"))
            indicators = standard.get("indicators", {})
            for level in indicators:
                if level not in LEVEL_ORDER:
                    problems.append(f"{where}: '{level}' is not a level")
            if data.get("kind") == "management":
                for level in LEVEL_ORDER:
                    if not indicators.get(level):
                        problems.append(f"{where}: no indicators at level {level}")
    return problems


def framework_load(data: dict[str, Any], *, get_model: Callable | None = None, status: str = "draft"):
    """Create one framework version from a document; refuses a code and version that already exist."""
    problems = framework_validate(data)
    if problems:
        raise ValidationError(problems)
    Framework = _model(get_model, "Framework")
    if Framework.objects.filter(code=data["code"], version=data["version"]).exists():
        raise ValidationError([f"framework {data['code']} version {data['version']} already exists"])
    from django.utils import timezone

    framework = Framework.objects.create(
        code=data["code"],
        kind=data["kind"],
        version=data["version"],
        title=data["title"],
        description=data.get("description", ""),
        status=status,
        published_at=timezone.now() if status == "published" else None,
    )
    _model(get_model, "Principle").objects.bulk_create(
        _model(get_model, "Principle")(
            framework=framework, code=p["code"], title=p["title"], description=p.get("description", ""), order=i
        )
        for i, p in enumerate(data.get("principles", []))
    )
    Domain, Standard, Indicator = (_model(get_model, n) for n in ("Domain", "Standard", "Indicator"))
    indicators = []
    for d, domain_data in enumerate(data["domains"]):
        domain = Domain.objects.create(
            framework=framework,
            code=domain_data["code"],
            title=domain_data["title"],
            description=domain_data.get("description", ""),
            order=d,
        )
        for s, standard_data in enumerate(domain_data["standards"]):
            standard = Standard.objects.create(
                domain=domain,
                code=standard_data["code"],
                title=standard_data["title"],
                description=standard_data.get("description", ""),
                order=s,
            )
            for level, texts in standard_data.get("indicators", {}).items():
                indicators.extend(
                    Indicator(standard=standard, level=level, text=t, order=i) for i, t in enumerate(texts)
                )
    Indicator.objects.bulk_create(indicators)
    return framework


def framework_document(framework) -> dict[str, Any]:
    """The JSON document of a framework version (loading it again recreates it)."""
    domains = []
    for domain in framework.domains.prefetch_related("standards__indicators").order_by("order"):
        standards = []
        for standard in domain.standards.all():
            indicators: dict[str, list[str]] = {level: [] for level in LEVEL_ORDER}
            for indicator in standard.indicators.all():
                indicators[indicator.level].append(indicator.text)
            standards.append(
                {
                    "code": standard.code,
                    "title": standard.title,
                    "description": standard.description,
                    "indicators": indicators,
                }
            )
        domains.append(
            {"code": domain.code, "title": domain.title, "description": domain.description, "standards": standards}
        )
    return {
        "code": framework.code,
        "kind": framework.kind,
        "version": framework.version,
        "title": framework.title,
        "description": framework.description,
        "principles": [
            {"code": p.code, "title": p.title, "description": p.description}
            for p in framework.principles.order_by("order")
        ],
        "domains": domains,
    }


def curriculum_load(data: dict[str, Any], *, get_model: Callable | None = None) -> None:
    """Create or update modules, requirements, providers and accreditations from a curriculum document."""
    Module, Requirement, Provider, Accreditation = (
        _model(get_model, n) for n in ("Module", "Requirement", "Provider", "Accreditation")
    )
    modules = {}
    for m in data.get("modules", []):
        modules[m["code"]], _ = Module.objects.update_or_create(
            code=m["code"],
            defaults={
                "title": m["title"],
                "description": m.get("description", ""),
                "hours": m.get("hours", 0),
                "standard_codes": m.get("standards", []),
            },
        )
    for order, r in enumerate(data.get("requirements", [])):
        if r["level"] not in LEVEL_ORDER:
            raise ValidationError([f"requirement {r['code']}: '{r['level']}' is not a level"])
        requirement, _ = Requirement.objects.update_or_create(
            code=r["code"],
            defaults={
                "title": r["title"],
                "level": r["level"],
                "gating": r.get("gating", True),
                "order": order,
                "active": True,
            },
        )
        missing = [c for c in r["modules"] if c not in modules]
        if missing:
            raise ValidationError([f"requirement {r['code']}: unknown modules {', '.join(missing)}"])
        requirement.modules.set([modules[c] for c in r["modules"]])
    for p in data.get("providers", []):
        provider, _ = Provider.objects.update_or_create(code=p["code"], defaults={"name": p["name"]})
        for a in p.get("accreditations", []):
            if a["module"] not in modules:
                raise ValidationError([f"provider {p['code']}: unknown module {a['module']}"])
            Accreditation.objects.update_or_create(
                provider=provider,
                module=modules[a["module"]],
                valid_from=date.fromisoformat(a["valid_from"]),
                defaults={
                    "valid_to": date.fromisoformat(a["valid_to"]) if a.get("valid_to") else None,
                    "status": a.get("status", "active"),
                    "reference": a.get("reference", ""),
                },
            )


def national_content_load(*, get_model: Callable | None = None) -> None:
    """Load the frameworks and curriculum CareLead ships with, published, if they are not there yet."""
    Framework = _model(get_model, "Framework")
    for name in ("framework_management.json", "framework_board.json"):
        path = DATA / name
        if not path.exists():
            continue
        data = json.loads(path.read_text())
        if not Framework.objects.filter(code=data["code"]).exists():
            framework_load(data, get_model=get_model, status="published")
    curriculum = DATA / "curriculum.json"
    if curriculum.exists():
        curriculum_load(json.loads(curriculum.read_text()), get_model=get_model)
