"""Providers report completions: a JSON API, and xAPI statements for existing e-learning systems."""

import uuid
from datetime import date

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from carelead.api.auth import HasPermission, api_assignment
from carelead.learning.permissions import POST_COMPLETIONS
from carelead.learning.services import Completion, CompletionsRejected, completions_post, provider_for

XAPI_VERBS = {"http://adlnet.gov/expapi/verbs/completed", "http://adlnet.gov/expapi/verbs/passed"}


class CompletionSerializer(serializers.Serializer):
    record_id = serializers.CharField(max_length=30, help_text="Your own id for the record; resending it updates it")
    staff_id = serializers.CharField(max_length=32)
    module = serializers.CharField(max_length=40, help_text="The module's course code")
    date = serializers.DateField()
    completed = serializers.BooleanField(default=True)
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)


class CompletionResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()


def _provider(request):
    provider = provider_for(api_assignment(request))
    if provider is None:
        raise PermissionDenied("Your organisation is not a curriculum provider.")
    return provider


def _post(request, completions: list[Completion]):
    try:
        return completions_post(provider=_provider(request), completions=completions, by=request.user)
    except CompletionsRejected as exc:
        raise ApiValidationError(exc.errors) from None


class CompletionsView(APIView):
    """POST one completion or a list; all are written or none, and each error names its item and field."""

    permission_classes = [HasPermission]
    required_permission = POST_COMPLETIONS

    @extend_schema(request=CompletionSerializer(many=True), responses={200: CompletionResultSerializer})
    def post(self, request):
        many = isinstance(request.data, list)
        serializer = CompletionSerializer(data=request.data, many=many)
        serializer.is_valid(raise_exception=True)
        items = serializer.validated_data if many else [serializer.validated_data]
        counts = _post(request, [Completion(**item) for item in items])
        return Response(counts, status=status.HTTP_200_OK)


class XapiStatementsView(APIView):
    """xAPI: POST statements with the verb completed or passed; other verbs are acknowledged and ignored."""

    permission_classes = [HasPermission]
    required_permission = POST_COMPLETIONS

    @extend_schema(
        request={"application/json": {"type": "array", "items": {"type": "object"}}},
        responses={200: {"type": "array", "items": {"type": "string", "format": "uuid"}}},
    )
    def post(self, request):
        statements = request.data if isinstance(request.data, list) else [request.data]
        completions, ids, problems = [], [], {}
        for index, statement in enumerate(statements):
            try:
                statement_id = str(uuid.UUID(str(statement.get("id") or uuid.uuid4())))
                ids.append(statement_id)
                if statement.get("verb", {}).get("id") not in XAPI_VERBS:
                    continue
                completions.append(_completion_from_statement(statement_id, statement))
            except (AttributeError, KeyError, TypeError, ValueError) as exc:
                problems[str(index)] = str(exc) or "the statement is not valid xAPI"
        if problems:
            raise ApiValidationError(problems)
        if completions:
            _post(request, completions)
        return Response(ids, status=status.HTTP_200_OK)


def _completion_from_statement(statement_id: str, statement: dict) -> Completion:
    actor = statement["actor"]
    account = actor.get("account") or {}
    staff_id = account.get("name")
    if not staff_id:
        raise ValueError("the actor must be an account whose name is the learner's staff ID")
    activity = statement["object"]["id"].rstrip("/")
    module = activity.rsplit("/", 1)[-1]
    timestamp = statement.get("timestamp") or statement.get("stored")
    if not timestamp:
        raise ValueError("the statement has no timestamp")
    result = statement.get("result") or {}
    return Completion(
        record_id=statement_id[:30],
        staff_id=staff_id,
        module=module,
        date=date.fromisoformat(timestamp[:10]),
        completed=result.get("completion", True) is not False,
    )
