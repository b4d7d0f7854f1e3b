"""Pages and API calls that need equality figures not yet computed answer 503 with a clear page, not a timeout."""

from django.http import JsonResponse
from django.shortcuts import render

from carelead.equality.selectors import FiguresPending

RETRY_SECONDS = 60


class FiguresPendingMiddleware:
    """Turns FiguresPending, raised by any page or API view reading the figures, into a 503 that says why and
    when to try again. The worker is computing them already (the miss queued it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, FiguresPending):
            return None
        if request.path_info.startswith("/api/"):
            message = f"The equality figures for {exception.period.label} are being prepared. Try again shortly."
            error = {"code": "figures_pending", "message": message, "fields": {}}
            response = JsonResponse({"error": error}, status=503)
        else:
            response = render(request, "equality/pending.jinja", {"period": exception.period}, status=503)
        response["Retry-After"] = str(RETRY_SECONDS)
        return response
