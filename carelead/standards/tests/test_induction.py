"""National induction completion, computed from the records, exact for HR and published for the regulator."""

import datetime

from django.test import override_settings
from django.utils import timezone

from carelead.learning.models import TrainingRecord
from carelead.people.tests.factories import PersonFactory


@override_settings(CARELEAD_INDUCTION_FROM="2026-01-01", CARELEAD_INDUCTION_DUE_DAYS=30)
def test_rates_and_overdue_follow_the_rules(client_for, world):
    today = timezone.localdate()
    raa = world.orgs["RAA"]
    done = PersonFactory(organisation=raa, start_date=today - datetime.timedelta(days=60), last_name="Done")
    late = PersonFactory(organisation=raa, start_date=today - datetime.timedelta(days=60), last_name="Late")
    PersonFactory(organisation=raa, start_date=today - datetime.timedelta(days=5), last_name="Recent")
    PersonFactory(organisation=raa, start_date=today - datetime.timedelta(days=60), last_name="Bank", bank=True)
    wrong = PersonFactory(organisation=raa, start_date=today - datetime.timedelta(days=60), last_name="Wrong")
    TrainingRecord.objects.create(
        record_id="I1",
        person=done,
        course_code="IND-101",
        mandatory=True,
        date=today - datetime.timedelta(days=10),
        provider_code="PRV01",
    )
    TrainingRecord.objects.create(
        record_id="I2",
        person=wrong,
        course_code="IND-101",
        mandatory=True,
        date=today - datetime.timedelta(days=10),
        provider_code="NOT-ACCREDITED",
    )
    page = client_for("org_hr").get("/standards/induction/").content.decode()
    assert "Holdout Large Trust" in page
    assert 'app-number">4<' in page and 'app-number">1<' in page and 'app-number">25%<' in page
    assert "Late" in page and "Wrong" in page and "Recent" not in page.split("Overdue")[1]
    assert "Done</a>" not in page
    regulator = client_for("regulator").get("/standards/induction/").content.decode()
    assert 'app-number">*<' in regulator and "Late" not in regulator
    assert late.pk
