"""Per-request context that services may read without threading the request through (the request id)."""

from contextvars import ContextVar

_request_id: ContextVar[str] = ContextVar("carelead_request_id", default="")


def current_request_id() -> str:
    """The id of the request being served, or '' outside a request."""
    return _request_id.get()


def set_request_id(value: str):
    """Set the request id; returns a token for reset."""
    return _request_id.set(value)


def reset_request_id(token) -> None:
    _request_id.reset(token)
