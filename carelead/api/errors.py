"""One error shape for the whole API: {"error": {"code": ..., "message": ..., "fields": {...}}}."""

from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    code = getattr(exc, "default_code", "error")
    if isinstance(data, dict) and "detail" in data and len(data) == 1:
        message, fields = str(data["detail"]), {}
        code = getattr(data["detail"], "code", code)
    else:
        message, fields = "The request has problems; see fields.", data
    response.data = {"error": {"code": code, "message": message, "fields": fields}}
    return response
