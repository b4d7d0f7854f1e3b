"""Form helpers every app's pages share."""

from django.core.exceptions import ValidationError


def add_service_errors(form, exc: ValidationError, rename: dict[str, str] | None = None) -> None:
    """Put a service's refusal on the form: each message on the field it names (``rename`` maps a service's field
    name to the form's where they differ), anything else at the top of the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for name, errors in exc.error_dict.items():
        target = (rename or {}).get(name, name)
        form.add_error(target if target in form.fields else None, errors)
