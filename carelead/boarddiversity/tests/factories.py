import datetime
from decimal import Decimal

import factory

from carelead.boardappraisals.tests.factories import BoardMemberFactory
from carelead.boarddiversity.models import Dimension, PopulationReference
from carelead.boards.models import BoardMemberMonitoring
from carelead.core.choices import BoardRole


class PopulationReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PopulationReference

    dimension = Dimension.ETHNICITY
    group = "white"
    share = Decimal("80.0")
    source = "Census 2021, local authorities served"
    year = 2021


def seat(organisation, *, ethnic: str = "A", sex: str = "M", disability: str = "N", **values):
    """A board member with their monitoring answers; voting non-executive from 2020 unless told otherwise."""
    values.setdefault("start_date", datetime.date(2020, 4, 1))
    values.setdefault("role", BoardRole.NON_EXECUTIVE)
    member = BoardMemberFactory(organisation=organisation, **values)
    BoardMemberMonitoring.objects.create(member=member, ethnic_category=ethnic, sex=sex, disability=disability)
    return member
