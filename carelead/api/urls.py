"""The versioned REST API and its OpenAPI schema."""

from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView
from rest_framework.routers import DefaultRouter

from carelead.equality.api import EqualityView
from carelead.learning.api import CompletionsView, XapiStatementsView
from carelead.organisations.api import OrganisationViewSet
from carelead.people.api import PersonViewSet

router = DefaultRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("people", PersonViewSet, basename="person")

app_name = "api"
urlpatterns = [
    path("v1/completions/", CompletionsView.as_view(), name="completions"),
    path("v1/equality/<str:standard>/", EqualityView.as_view(), name="equality"),
    path("xapi/statements", XapiStatementsView.as_view(), name="xapi-statements"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # ReDoc styles itself with <style> elements and parses the schema in a worker; scripts stay same-origin only.
    path(
        "docs/",
        csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["blob:"]})(
            SpectacularRedocView.as_view(url_name="api:schema")
        ),
        name="docs",
    ),
]
