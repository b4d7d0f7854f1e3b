"""The Jinja2 environment: project templates first, then the NHS.UK frontend macros."""

from datetime import date, datetime

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader


def url(name: str, *args, **kwargs) -> str:
    """Reverse a URL name inside templates."""
    return reverse(name, args=args or None, kwargs=kwargs or None)


def format_date(value) -> str:
    """Dates as the NHS style guide writes them: 3 April 2026."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{value.day} {value:%B %Y} at {value:%H:%M}"
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


def format_number(value) -> str:
    """Thousands separators for counts."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "" if value is None or not str(value) else str(value)
    return f"{value:,}"


def query_with(request, **changes) -> str:
    """The current query string with some parameters replaced (for pagination and filters)."""
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(params, doseq=True) if params else "?"


def environment(**options) -> Environment:
    """Build the Jinja2 environment Django uses for every page."""
    project_loader = options.pop("loader")
    # The NHS.UK macros read optional parameters through chains like params.label.text.
    options["undefined"] = ChainableUndefined
    # Every page escapes what it prints, whatever the settings say.
    options.pop("autoescape", None)
    env = Environment(
        autoescape=True, loader=ChoiceLoader([project_loader, PackageLoader("nhsuk_frontend_jinja")]), **options
    )
    env.globals.update(
        {
            "static": static,
            "url": url,
            "STATIC_URL": settings.STATIC_URL,
            "query_with": query_with,
            "now": timezone.now,
        }
    )
    env.filters.update({"format_date": format_date, "format_number": format_number})
    return env
