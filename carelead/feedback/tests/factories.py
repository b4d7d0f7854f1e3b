import datetime

import factory
from django.utils import timezone

from carelead.feedback.models import FeedbackRequest, Group, Rater
from carelead.feedback.rules import feedback_rules_default
from carelead.feedback.tokens import token_new
from carelead.people.tests.factories import PersonFactory


def _deadline():
    return timezone.localdate() + datetime.timedelta(days=21)


class FeedbackRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackRequest
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    manager = None
    organisation = factory.SelfAttribute("person.organisation")
    title = "Appraisal 2026"
    deadline = factory.LazyFunction(_deadline)
    rules = factory.LazyFunction(feedback_rules_default)
    status = FeedbackRequest.Status.DRAFT
    opened_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status in (FeedbackRequest.Status.OPEN, FeedbackRequest.Status.CLOSED) else None
    )

    @factory.post_generation
    def self_rater(obj, create, extracted, **kwargs):
        if create:
            Rater.objects.create(request=obj, group=Group.SELF, name=obj.person.full_name, person=obj.person)


class RaterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rater

    request = factory.SubFactory(FeedbackRequestFactory)
    group = Group.PEER
    name = factory.Sequence(lambda n: f"Rater {n}")
    email = factory.Sequence(lambda n: f"rater{n}@example.org")


def invite(rater: Rater) -> str:
    """Give a rater a link, as the invitation does, and return the link's secret."""
    token, rater.token_hash = token_new()
    rater.invited_at = timezone.now()
    rater.save(update_fields=["token_hash", "invited_at"])
    return token


def open_request(*, person, manager=None, groups: dict[str, int] | None = None, **fields):
    """An open request with invited raters ({group: how many}); returns it and each group's link secrets."""
    request = FeedbackRequestFactory(
        person=person, manager=manager, status=FeedbackRequest.Status.OPEN, opened_at=timezone.now(), **fields
    )
    tokens: dict[str, list[str]] = {}
    for group, count in (groups or {}).items():
        for _ in range(count):
            tokens.setdefault(group, []).append(invite(RaterFactory(request=request, group=group)))
    return request, tokens
