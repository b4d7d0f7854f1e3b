"""Request-wide middleware."""

import logging
import re
import sys
import uuid

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

from carelead.core.context import reset_request_id, set_request_id

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Gives every request an id (or keeps a well-formed X-Request-ID from the proxy) for logs and audit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        token = set_request_id(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            reset_request_id(token)
        response["X-Request-ID"] = request.request_id
        return response


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Default deny: every page needs a signed-in user unless its view is marked @login_not_required.

    The API answers for itself (token or session authentication, 401/403, never a redirect to a page).
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


_DATABASE_ERRORS = (OperationalError, InterfaceError)
_UNAVAILABLE = "_carelead_database_unavailable"
RETRY_AFTER_SECONDS = 30

logger = logging.getLogger(__name__)


def _note_database_error(sender, request=None, **kwargs) -> None:
    """Marks a request whose handling failed because the database could not be reached.

    Django turns an exception raised in a middleware (sessions and sign-in read the database before any view runs)
    into a 500 response where it happens, so the middleware further out sees only that response; the signal, sent
    while the exception is being handled, is where its type can still be read.
    """
    if request is not None and isinstance(sys.exc_info()[1], _DATABASE_ERRORS):
        setattr(request, _UNAVAILABLE, True)


def database_unavailable_response(request) -> HttpResponse:
    """503 with Retry-After: JSON for the API and the health check, otherwise a page that needs no database."""
    if request.path_info.startswith("/api/") or request.path_info == "/healthz":
        response = JsonResponse(
            {
                "error": {
                    "code": "service_unavailable",
                    "message": "The service is temporarily unavailable. Try again later.",
                    "fields": {},
                }
            },
            status=503,
        )
    else:
        try:
            # No request: the page shell's context reads the signed-in user and their roles from the database.
            body = render_to_string("errors/503.jinja", {"shell": {}})
        except Exception:
            logger.exception("the service unavailable page could not be rendered")
            body = (
                "<!DOCTYPE html><html lang='en'><title>Sorry, the service is temporarily unavailable – CareLead"
                "</title><main><h1>Sorry, the service is temporarily unavailable</h1>"
                "<p>Try again in a few minutes. Nothing you saved has been lost.</p></main></html>"
            )
        response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    """While the database cannot be reached, every request answers 503 "temporarily unavailable", never a 500.

    It sits before the session and authentication middleware, which read the database before any view runs.
    Nothing is lost: the request failed before anything could be written. The first request after the database
    returns is served as usual, since Django opens a new connection when the old one has failed.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        got_request_exception.connect(_note_database_error, dispatch_uid="carelead-database-unavailable")

    def __call__(self, request):
        try:
            response = self.get_response(request)
        except _DATABASE_ERRORS:
            # Reached only when DEBUG_PROPAGATE_EXCEPTIONS lets exceptions past Django's own handler.
            return self._unavailable(request)
        if getattr(request, _UNAVAILABLE, False):
            return self._unavailable(request, replacing=response)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, _DATABASE_ERRORS):
            return self._unavailable(request)
        return None

    def _unavailable(self, request, replacing: HttpResponse | None = None) -> HttpResponse:
        logger.warning("database unavailable: %s answered 503", request.path_info)
        response = database_unavailable_response(request)
        if replacing is not None:
            # Headers the inner middleware set on the error response (the Content-Security-Policy, the frame
            # options) apply to this page too.
            for header in ("Content-Security-Policy", "X-Frame-Options"):
                if header in replacing:
                    response[header] = replacing[header]
        return response
