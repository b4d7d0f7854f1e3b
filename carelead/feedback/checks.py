"""A system check, so that unusable rater limits are reported when CareLead starts, not when someone asks."""

from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured


@register()
def feedback_rules_check(app_configs, **kwargs) -> list[Error]:
    """CARELEAD_FEEDBACK_RULES names known groups with limits that a group could be shown under."""
    from carelead.feedback.rules import feedback_rules_default

    try:
        feedback_rules_default()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), hint="See docs/decisions/0009-360-anonymity.md", id="feedback.E001")]
    return []
