"""Factories for vacancies and applications."""

import datetime

import factory
from django.utils import timezone

from carelead.accounts.tests.factories import UserFactory
from carelead.core.choices import Level, OrganisationType, Sector
from carelead.organisations.models import Organisation
from carelead.vacancies.models import Application, ApplicationSource, ApplicationStatus, Vacancy, VacancyStatus


def _raa_like() -> Organisation:
    """The test world's large trust when it exists, otherwise a trust like it."""
    from carelead.organisations.tests.factories import OrganisationFactory

    existing = Organisation.objects.filter(code="RAA").first()
    if existing is not None:
        return existing
    return OrganisationFactory(type=OrganisationType.TRUST, sector=Sector.NHS)


class VacancyFactory(factory.django.DjangoModelFactory):
    """An open vacancy at RAA (or a trust like it), closing in four weeks."""

    class Meta:
        model = Vacancy

    organisation = factory.LazyFunction(_raa_like)
    # High sequence numbers, so references made here never meet the ones the service generates.
    reference = factory.LazyAttributeSequence(
        lambda v, n: f"VAC-{v.organisation.code}-{timezone.localdate().year}-{9000 + n:04d}"
    )
    title = factory.Sequence(lambda n: f"Ward manager {n}")
    level = Level.FIRST_LINE
    location = "Holdout General Hospital"
    description = "Lead a 28-bed medical ward and its team of nurses and healthcare assistants."
    required_standards = factory.LazyFunction(list)
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=28))
    status = VacancyStatus.OPEN
    created_by = factory.SubFactory(UserFactory)


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An application written straight to the database (tests of the service use application_create)."""

    class Meta:
        model = Application

    vacancy = factory.SubFactory(VacancyFactory)
    person = factory.SubFactory("carelead.people.tests.factories.PersonFactory")
    source = ApplicationSource.APPLIED
    status = ApplicationStatus.APPLIED
    applied_on = factory.LazyFunction(timezone.localdate)
    statement = "I have led the night team for two years and want to lead the whole ward."
