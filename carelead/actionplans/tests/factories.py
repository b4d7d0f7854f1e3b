import datetime

import factory

from carelead.accounts.tests.factories import UserFactory
from carelead.actionplans.models import Action, ActionUpdate
from carelead.organisations.tests.factories import OrganisationFactory


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    organisation = factory.SubFactory(OrganisationFactory)
    measure_code = "WRES2"
    title = factory.Sequence(lambda n: f"Action {n}")
    description = "Put a trained BME panel member on every interview panel for band 8a and above."
    success_measure = "WRES2 below 1.25 by March 2027"
    owner_name = "Priya Patel"
    owner_role = "Director of People"
    start_on = datetime.date(2026, 4, 1)
    due_on = datetime.date(2027, 3, 31)
    created_by = factory.SubFactory(UserFactory)


class ActionUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionUpdate

    action = factory.SubFactory(ActionFactory)
    date = datetime.date(2026, 5, 1)
    note = "Panel members trained."
    status_before = factory.SelfAttribute("action.status")
    status = factory.SelfAttribute("action.status")
    recorded_by = factory.SubFactory(UserFactory)
