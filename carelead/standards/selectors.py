"""Reads of frameworks for the pages, and the standards people have evidence for."""

from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from carelead.core.choices import LEVEL_ORDER
from carelead.standards.models import Accreditation, Domain, Framework, Indicator, Module, Standard


def framework_list(*, include_drafts: bool) -> QuerySet[Framework]:
    frameworks = Framework.objects.all()
    if not include_drafts:
        frameworks = frameworks.exclude(status=Framework.Status.DRAFT)
    return frameworks.order_by("kind", "code", "-version")


def framework_get(*, code: str, version: int, include_drafts: bool) -> Framework:
    return get_object_or_404(framework_list(include_drafts=include_drafts), code=code, version=version)


def framework_tree(*, framework: Framework, level: str | None = None) -> list[Domain]:
    """Domains with their standards and indicators (of one level, or all) in one round of queries."""
    indicators = Indicator.objects.order_by("level", "order")
    if level:
        indicators = indicators.filter(level=level)
    return list(
        framework.domains.order_by("order").prefetch_related(
            Prefetch(
                "standards",
                queryset=Standard.objects.order_by("order").prefetch_related(
                    Prefetch("indicators", queryset=indicators)
                ),
            )
        )
    )


def framework_compare(*, old: Framework, new: Framework) -> list[dict]:
    """What changed between two versions, standard by standard: added, removed or changed indicators."""

    def flatten(framework):
        out = {}
        for domain in framework_tree(framework=framework):
            for standard in domain.standards.all():
                out[standard.code] = {
                    "title": standard.title,
                    "domain": domain.title,
                    "indicators": {
                        level: [i.text for i in standard.indicators.all() if i.level == level] for level in LEVEL_ORDER
                    },
                }
        return out

    before, after = flatten(old), flatten(new)
    changes = []
    for code in sorted(set(before) | set(after)):
        if code not in before:
            changes.append({"code": code, "title": after[code]["title"], "change": "added"})
        elif code not in after:
            changes.append({"code": code, "title": before[code]["title"], "change": "removed"})
        else:
            levels = [
                {
                    "level": level,
                    "removed": [
                        t for t in before[code]["indicators"][level] if t not in after[code]["indicators"][level]
                    ],
                    "added": [
                        t for t in after[code]["indicators"][level] if t not in before[code]["indicators"][level]
                    ],
                }
                for level in LEVEL_ORDER
            ]
            levels = [entry for entry in levels if entry["added"] or entry["removed"]]
            if levels or before[code]["title"] != after[code]["title"]:
                changes.append(
                    {
                        "code": code,
                        "title": after[code]["title"],
                        "change": "changed",
                        "old_title": before[code]["title"],
                        "levels": levels,
                    }
                )
    return changes


def management_standards() -> dict[str, str]:
    """Codes and titles of the standards of the current published management framework, in framework order."""
    framework = (
        Framework.objects.filter(kind=Framework.Kind.MANAGEMENT, status=Framework.Status.PUBLISHED)
        .order_by("-published_at", "-version")
        .first()
    )
    if framework is None:
        return {}
    rows = Standard.objects.filter(domain__framework=framework).order_by("domain__order", "order", "code")
    return dict(rows.values_list("code", "title"))


def standards_evidenced(person_ids, *, codes: set[str] | None = None, on: date | None = None) -> dict[int, set[str]]:
    """The standards (of ``codes``; by default the published management framework's) each person has evidence
    for: the standards of every curriculum module they completed in a way that counts, as the progression gate
    counts it (completed by the day, not expired, through a provider accredited for the module on the completion
    date). Three queries, whatever the number of people; people with no evidence are left out."""
    from carelead.core.keys import keys_q
    from carelead.learning.models import TrainingRecord

    on = on or timezone.localdate()
    codes = set(management_standards()) if codes is None else set(codes)
    if not isinstance(person_ids, QuerySet):
        person_ids = list(person_ids)
    if not codes or (isinstance(person_ids, list) and not person_ids):
        return {}
    developed = {
        code: set(standard_codes or []) & codes
        for code, standard_codes in Module.objects.values_list("code", "standard_codes")
    }
    developed = {code: found for code, found in developed.items() if found}
    if not developed:
        return {}
    accredited: dict[tuple[str, str], list[Accreditation]] = {}
    for a in Accreditation.objects.filter(module__code__in=list(developed)).select_related("module", "provider"):
        accredited.setdefault((a.module.code, a.provider.code), []).append(a)
    records = (
        TrainingRecord.objects.filter(
            keys_q("person_id", person_ids), course_code__in=list(developed), completed=True, date__lte=on
        )
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=on))
        .exclude(provider_code="")
        .values_list("person_id", "course_code", "provider_code", "date")
    )
    evidence: dict[int, set[str]] = {}
    for person_id, course, provider, day in records:
        if any(a.covers(day) for a in accredited.get((course, provider), ())):
            evidence.setdefault(person_id, set()).update(developed[course])
    return evidence
