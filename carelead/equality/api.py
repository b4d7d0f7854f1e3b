"""Equality figures in the API, under the same disclosure rule as the pages."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from carelead.api.auth import HasPermission, api_assignment
from carelead.equality.engine import Period, scope_filter
from carelead.equality.permissions import VIEW_EQUALITY
from carelead.equality.selectors import full_figures_allowed, latest_period, metric_rows
from carelead.organisations.models import Organisation


class EqualityView(APIView):
    """WRES or WDES rows for a scope and the scopes inside it; exact only with record-level rights over the scope."""

    permission_classes = [HasPermission]
    required_permission = VIEW_EQUALITY

    @extend_schema(
        parameters=[
            OpenApiParameter("period", OpenApiTypes.STR, description="financial year, e.g. 2025-26"),
            OpenApiParameter("scope", OpenApiTypes.STR, description="national, region:CODE, icb:CODE or org:CODE"),
            OpenApiParameter("disclosure", OpenApiTypes.STR, enum=["published", "full"]),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, standard: str):
        if standard not in ("wres", "wdes"):
            raise NotFound("Use wres or wdes.")
        try:
            period = Period.parse(request.query_params.get("period", latest_period().label))
        except ValueError as exc:
            raise ValidationError({"period": str(exc)}) from None
        scope = request.query_params.get("scope", "national")
        org = None
        if scope != "national":
            kind, _, code = scope.partition(":")
            org = Organisation.objects.filter(code=code).first()
            if kind not in ("region", "icb", "org") or org is None:
                raise ValidationError({"scope": "use national, region:CODE, icb:CODE or org:CODE"})
        wanted = request.query_params.get("disclosure", "published")
        if wanted not in ("published", "full"):
            raise ValidationError({"disclosure": "use published or full"})
        if wanted == "full" and not full_figures_allowed(
            assignment=api_assignment(request), scope_path=org.path if org else None
        ):
            raise PermissionDenied("Exact figures need record-level rights over the whole scope.")
        rows = scope_filter(metric_rows(standard=standard, period=period, published=wanted == "published"), scope)
        return Response(
            {"standard": standard, "period": period.label, "scope": scope, "disclosure": wanted, "results": rows}
        )
