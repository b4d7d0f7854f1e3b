"""Reads of frameworks for the pages."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from carelead.core.choices import LEVEL_ORDER
from carelead.standards.models import Domain, Framework, Indicator, Standard


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
