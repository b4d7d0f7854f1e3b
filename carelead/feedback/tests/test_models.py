"""The shape of the data keeps answers apart from raters: no link, no time, no order."""

import json
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, models, transaction

from carelead.feedback.models import FeedbackAnswer, FeedbackRequest, Principle, Rater
from carelead.feedback.tests.factories import RaterFactory, invite, open_request
from carelead.feedback.tokens import token_digest

FRAMEWORK = Path(__file__).resolve().parents[2] / "standards" / "data" / "framework_management.json"


def _related(model) -> set:
    """Every model one step away from ``model``, through its own fields or fields pointing at it."""
    found = set()
    for field in model._meta.get_fields(include_hidden=True):
        if field.is_relation and field.related_model is not None:
            found.add(field.related_model)
    return found


def test_no_model_links_an_answer_to_a_rater():
    # Both hang off the request; apart from that shared parent there is no path between them at all.
    assert Rater not in _related(FeedbackAnswer)
    assert FeedbackAnswer not in _related(Rater)
    seen, frontier = {FeedbackAnswer}, [FeedbackAnswer]
    while frontier:
        model = frontier.pop()
        for other in _related(model):
            if other is FeedbackRequest or other in seen:
                continue
            seen.add(other)
            frontier.append(other)
    assert Rater not in seen
    for model in apps.get_models():
        # A model pointing at both (a join table, a log of who answered what) would tie them together.
        targets = {f.related_model for f in model._meta.get_fields() if f.is_relation and not f.auto_created}
        assert not {FeedbackAnswer, Rater} <= targets, f"{model.__name__} joins answers to raters"


def test_answers_have_random_ids_and_no_time_or_sequence():
    pk = FeedbackAnswer._meta.pk
    assert isinstance(pk, models.UUIDField) and pk.default is uuid.uuid4
    kinds = (models.DateTimeField, models.DateField, models.TimeField, models.AutoField, models.BigAutoField)
    for field in FeedbackAnswer._meta.get_fields():
        assert not isinstance(field, kinds), f"FeedbackAnswer.{field.name} could order or date an answer"
    assert FeedbackAnswer._meta.ordering == ["id"]
    assert "responded_at" not in {f.name for f in Rater._meta.get_fields()}
    assert not any(isinstance(f, models.DateTimeField) and f.name != "invited_at" for f in Rater._meta.get_fields())


def test_the_principles_are_those_of_the_standards_framework():
    framework = json.loads(FRAMEWORK.read_text())
    assert [(p["code"], p["title"]) for p in framework["principles"]] == list(Principle.choices)


def test_tokens_are_stored_only_as_digests(world):
    request, _ = open_request(person=world.people["member"])
    rater = RaterFactory(request=request)
    token = invite(rater)
    rater.refresh_from_db()
    assert rater.token_hash == token_digest(token) and len(rater.token_hash) == 64
    row = [str(v) for v in Rater.objects.filter(pk=rater.pk).values().get().values()]
    assert token not in row


@pytest.mark.django_db
def test_answers_are_append_only(world):
    request, _ = open_request(person=world.people["member"])
    scores = {f"score_{code}": 3 for code in Principle.values}
    answer = FeedbackAnswer.objects.create(request=request, group="peer", **scores)
    with pytest.raises(PermissionDenied):
        answer.save()
    with pytest.raises(PermissionDenied):
        answer.delete()
    with pytest.raises(PermissionDenied):
        FeedbackAnswer.objects.filter(pk=answer.pk).update(strengths="changed")
    with pytest.raises(PermissionDenied):
        FeedbackAnswer.objects.all().delete()
    # Below the application too: the database refuses a change.
    with pytest.raises(Exception, match="cannot be changed"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE feedback_feedbackanswer SET strengths = 'x'")


@pytest.mark.django_db
def test_an_anonymous_answer_cannot_carry_a_name(world):
    request, _ = open_request(person=world.people["member"])
    scores = {f"score_{code}": 3 for code in Principle.values}
    with pytest.raises(IntegrityError), transaction.atomic():
        FeedbackAnswer.objects.create(request=request, group="peer", rater_name="Pat Peer", **scores)
    FeedbackAnswer.objects.create(request=request, group="manager", rater_name="Maya Manager", **scores)


@pytest.mark.django_db
def test_scores_outside_one_to_five_are_refused_by_the_database(world):
    request, _ = open_request(person=world.people["member"])
    scores = {f"score_{code}": 3 for code in Principle.values}
    with pytest.raises(IntegrityError), transaction.atomic():
        FeedbackAnswer.objects.create(request=request, group="peer", **{**scores, "score_curious": 6})
