"""Domain-facing exceptions; common.app maps each to an RFC 9457 problem+json answer."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class ConfigurationError(Exception):
    """A setting names something the service cannot work with: it refuses to start, and the message is
    the one line that says why (common.cli prints it)."""


class ProblemError(Exception):
    status: int = 500
    title: str = "Internal error"
    type: str = "about:blank"
    # Seconds after which trying again may succeed: sent as Retry-After.
    retry_after: int | None = None

    def __init__(self, detail: str, *, errors: list[FieldError] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []


class BadRequest(ProblemError):
    status = 400
    title = "Bad request"


class Unauthorized(ProblemError):
    status = 401
    title = "Not authenticated"


class Forbidden(ProblemError):
    status = 403
    title = "Not allowed"


class NotFound(ProblemError):
    status = 404
    title = "Not found"


class Conflict(ProblemError):
    status = 409
    title = "Conflict"


class PreconditionFailed(ProblemError):
    status = 412
    title = "Precondition failed"


class PreconditionRequired(ProblemError):
    status = 428
    title = "Precondition required"


class PayloadTooLarge(ProblemError):
    status = 413
    title = "Payload too large"


class InvalidInput(ProblemError):
    status = 422
    title = "Invalid input"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}", errors=[FieldError(field, message)])


class InvalidFields(ProblemError):
    status = 422
    title = "Invalid input"

    def __init__(self, errors: list[FieldError]) -> None:
        detail = "; ".join(f"{e.field}: {e.message}" for e in errors)
        super().__init__(detail, errors=errors)


class DependencyUnavailable(ProblemError):
    status = 503
    title = "Service unavailable"
