"""Home, health and error pages."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@login_not_required
@require_GET
@never_cache
def healthz(request):
    """200 when the app and its database answer, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok"})


def home(request):
    return render(request, "core/home.jinja", {})


def bad_request(request, exception=None):
    return render(request, "errors/400.jinja", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.jinja", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.jinja", status=404)


def server_error(request):
    return render(request, "errors/500.jinja", status=500)
