import datetime

import factory

from carelead.core.choices import Level, PayBand
from carelead.organisations.tests.factories import OrganisationFactory
from carelead.people.models import EqualityMonitoring, Person


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    staff_id = factory.Sequence(lambda n: f"S{n:06d}")
    organisation = factory.SubFactory(OrganisationFactory)
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda p: f"{p.staff_id.lower()}@example.org")
    job_title = "Staff Nurse"
    staff_group = "Nursing and Midwifery Registered"
    pay_band = PayBand.B5
    level = Level.STAFF
    start_date = datetime.date(2020, 1, 6)


class MonitoringFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EqualityMonitoring

    person = factory.SubFactory(PersonFactory)
    sex = "F"
    ethnic_category = "A"
    disability = "N"
