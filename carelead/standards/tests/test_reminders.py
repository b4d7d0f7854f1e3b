"""Induction reminders go once to joiners due soon or overdue who have not completed it."""

import datetime

from django.core import mail
from django.test import override_settings

from carelead.learning.models import TrainingRecord
from carelead.people.tests.factories import PersonFactory
from carelead.standards.reminders import induction_reminders_send

ON = datetime.date(2026, 6, 1)


@override_settings(CARELEAD_INDUCTION_FROM="2026-01-01", CARELEAD_INDUCTION_DUE_DAYS=90)
def test_reminders_are_sent_once_to_the_right_people(world):
    raa = world.orgs["RAA"]
    overdue = PersonFactory(organisation=raa, start_date=ON - datetime.timedelta(days=120), email="late@example.org")
    due_soon = PersonFactory(organisation=raa, start_date=ON - datetime.timedelta(days=80), email="soon@example.org")
    PersonFactory(organisation=raa, start_date=ON - datetime.timedelta(days=10), email="new@example.org")
    done = PersonFactory(organisation=raa, start_date=ON - datetime.timedelta(days=120), email="done@example.org")
    TrainingRecord.objects.create(
        record_id="R1",
        person=done,
        course_code="IND-101",
        mandatory=True,
        date=ON - datetime.timedelta(days=30),
        provider_code="PRV01",
    )
    counts = induction_reminders_send(on=ON)
    assert (counts["overdue"], counts["due_soon"]) == (1, 1)
    assert sorted(m.to[0] for m in mail.outbox) == [overdue.email, due_soon.email]
    assert "overdue" in next(m.subject for m in mail.outbox if m.to == [overdue.email])
    again = induction_reminders_send(on=ON)
    assert again["already_sent"] == 2 and len(mail.outbox) == 2
