"""The OpenAPI schema says what every operation can answer, errors included, so clients and the API fuzz tests
hold the API to its whole contract rather than to its successful responses only."""

ERROR_SCHEMA = {
    "type": "object",
    "description": 'Every error has this shape: {"error": {"code": ..., "message": ..., "fields": {...}}}.',
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string", "description": "A stable machine-readable code"},
                "message": {"type": "string", "description": "What went wrong, in words"},
                "fields": {
                    "type": "object",
                    "description": "Per field (or per item of a batch) what is wrong with it",
                    "additionalProperties": True,
                },
            },
            "required": ["code", "message", "fields"],
        }
    },
    "required": ["error"],
}

# Answers any operation can give besides its own.
COMMON = {
    "401": "Not signed in: no valid token or session",
    "403": "Signed in, but the role does not allow this operation, or the record is outside its scope",
    "404": "No such record within the caller's reach, or no such page of results",
    "429": "Too many requests; try again after the time in the Retry-After header",
    "503": "A figure is being prepared or the service is briefly unavailable; try again after Retry-After",
}
WITH_INPUT = {"400": "The request has problems: the fields part says which and why"}


def add_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: document the error answers on every operation."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for parameter in operation.get("parameters", []):
                # Text parameters never contain the NUL character: the forms refuse it (400), as PostgreSQL must.
                schema = parameter.get("schema", {})
                if schema.get("type") == "string" and not {"enum", "pattern", "format"} & set(schema):
                    schema["pattern"] = "^[^\\x00]*$"
            answers = dict(COMMON)
            if method in ("post", "put", "patch") or operation.get("parameters"):
                answers.update(WITH_INPUT)
            for status, description in answers.items():
                operation["responses"].setdefault(status, {"description": description, "content": reference})
    return result
