"""Organisations in the REST API (read-only: the hierarchy is loaded by import)."""

import django_filters
from rest_framework import serializers, viewsets

from carelead.api.auth import HasPermission
from carelead.api.filters import StrictBooleanFilter, StrictChoiceFilter
from carelead.core.choices import OrganisationType, Sector
from carelead.organisations.models import Organisation, challenged_q
from carelead.organisations.permissions import VIEW_ORGANISATIONS


class OrganisationSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(source="parent.code", default=None, allow_null=True, read_only=True)
    region_code = serializers.CharField(source="region.code", default=None, allow_null=True, read_only=True)
    icb_code = serializers.CharField(source="icb.code", default=None, allow_null=True, read_only=True)
    challenged = serializers.BooleanField(source="is_challenged", read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "code",
            "name",
            "type",
            "sector",
            "parent_code",
            "region_code",
            "icb_code",
            "oversight_segment",
            "cqc_rating",
            "challenged",
        ]


class OrganisationFilter(django_filters.FilterSet):
    type = StrictChoiceFilter(choices=OrganisationType.choices)
    sector = StrictChoiceFilter(choices=Sector.choices)
    region = django_filters.CharFilter(field_name="region__code")
    parent = django_filters.CharFilter(field_name="parent__code")
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains")
    challenged = StrictBooleanFilter(method="filter_challenged")

    class Meta:
        model = Organisation
        fields = ["type", "sector", "region", "parent", "q", "challenged"]

    def filter_challenged(self, queryset, name, value):
        return queryset.filter(challenged_q()) if value else queryset.exclude(challenged_q())


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """Every organisation in the national hierarchy."""

    serializer_class = OrganisationSerializer
    permission_classes = [HasPermission]
    required_permission = VIEW_ORGANISATIONS
    filterset_class = OrganisationFilter
    lookup_field = "code"

    def get_queryset(self):
        return Organisation.objects.select_related("parent", "region", "icb").order_by("code")
