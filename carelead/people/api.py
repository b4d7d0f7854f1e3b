"""Staff records in the REST API, scoped exactly as the pages are (people/selectors.py)."""

import django_filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from carelead.api.auth import HasPermission, api_assignment
from carelead.api.filters import StrictChoiceFilter
from carelead.core.choices import Level, PayBand
from carelead.people.models import Person
from carelead.people.permissions import VIEW_STAFF
from carelead.people.selectors import monitoring_visible, person_monitoring_read, person_visible_q


class MonitoringSerializer(serializers.Serializer):
    sex = serializers.CharField()
    ethnic_category = serializers.CharField()
    disability = serializers.CharField()
    sexual_orientation = serializers.CharField()
    religion = serializers.CharField()


class PersonSerializer(serializers.ModelSerializer):
    org_code = serializers.CharField(source="organisation.code", read_only=True)
    line_manager_id = serializers.CharField(
        source="line_manager.staff_id", default=None, allow_null=True, read_only=True
    )

    class Meta:
        model = Person
        fields = [
            "staff_id",
            "org_code",
            "first_name",
            "last_name",
            "email",
            "job_title",
            "staff_group",
            "pay_band",
            "level",
            "line_manager_id",
            "start_date",
            "end_date",
            "bank",
        ]


class PersonDetailSerializer(PersonSerializer):
    equality_monitoring = serializers.SerializerMethodField(
        help_text="Present only for roles that may read special-category data; every read is audited."
    )

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "equality_monitoring"]

    @extend_schema_field(MonitoringSerializer(allow_null=True))
    def get_equality_monitoring(self, person):
        request = self.context["request"]
        assignment = api_assignment(request)
        if not monitoring_visible(assignment=assignment, user=request.user, person=person):
            return None
        monitoring = person_monitoring_read(assignment=assignment, user=request.user, person=person, purpose="API")
        return MonitoringSerializer(monitoring).data if monitoring else None


class PersonFilter(django_filters.FilterSet):
    organisation = django_filters.CharFilter(field_name="organisation__code")
    pay_band = StrictChoiceFilter(choices=PayBand.choices)
    level = StrictChoiceFilter(choices=Level.choices)
    last_name = django_filters.CharFilter(lookup_expr="istartswith")

    class Meta:
        model = Person
        fields = ["organisation", "pay_band", "level", "last_name"]


class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    """Staff records the caller's role may read; equality monitoring only on a single record, where allowed."""

    permission_classes = [HasPermission]
    required_permission = VIEW_STAFF
    filterset_class = PersonFilter
    lookup_field = "staff_id"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Person.objects.none()
        assignment = api_assignment(self.request)
        return (
            Person.objects.filter(person_visible_q(assignment=assignment, user=self.request.user))
            .select_related("organisation", "line_manager")
            .order_by("staff_id")
        )

    def get_serializer_class(self):
        return PersonDetailSerializer if self.action == "retrieve" else PersonSerializer
