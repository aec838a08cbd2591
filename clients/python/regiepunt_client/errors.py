"""The point's refusals as exceptions: one class per status, each carrying the problem+json body
(RFC 9457) and the bad fields it names, so that a caller catches `InvalidInput` and reads `.fields`
instead of parsing a body."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx


@dataclass(frozen=True)
class FieldError:
    """One bad field of a refused request: `client.bsn`, `care_type`, ..."""

    field: str
    message: str


class PointError(Exception):
    """Anything the point answered other than success, or that kept it from answering."""


class Refused(PointError):
    """The point refused the request (4xx): the problem it answered, with each bad field named."""

    def __init__(self, status: int, problem: dict[str, Any]) -> None:
        self.status = status
        self.problem = problem
        self.type = str(problem.get("type", "about:blank"))
        self.title = str(problem.get("title", ""))
        self.detail = str(problem.get("detail") or "")
        self.errors = [
            FieldError(field=str(error.get("field", "")), message=str(error.get("message", "")))
            for error in problem.get("errors") or []
            if isinstance(error, dict)
        ]
        super().__init__(self.describe())

    @property
    def fields(self) -> list[str]:
        """The names of the bad fields, in the order the point named them."""
        return [error.field for error in self.errors]

    def describe(self) -> str:
        lines = [f"{self.status} {self.title}".rstrip() + (f": {self.detail}" if self.detail else "")]
        lines += [f"  {error.field}: {error.message}" for error in self.errors]
        return "\n".join(lines)


class BadRequest(Refused):
    """400: the request could not be read at all."""


class Unauthorized(Refused):
    """401: no token, or a token the point does not accept (expired, wrong issuer or audience)."""


class Forbidden(Refused):
    """403: the token's role may not do this."""


class NotFound(Refused):
    """404: no such record, or one the caller may not see (the point does not tell them apart)."""


class Conflict(Refused):
    """409: the record's current state forbids the action (a proposal already answered, ...)."""


class PreconditionFailed(Refused):
    """412: the unit changed since it was read (a stale If-Match)."""


class InvalidInput(Refused):
    """422: the input is wrong; `fields` names each bad field."""


class Unavailable(PointError):
    """The point could not be reached, or failed (5xx), also after the retries."""

    def __init__(self, message: str, status: int | None = None, problem: dict[str, Any] | None = None) -> None:
        self.status = status
        self.problem = problem or {}
        super().__init__(message)


_BY_STATUS: dict[int, type[Refused]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    412: PreconditionFailed,
    422: InvalidInput,
}


def _problem_of(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        return body
    return {"title": response.reason_phrase, "status": response.status_code, "detail": response.text[:500]}


def raise_for_problem(response: httpx.Response) -> None:
    """Raise the typed error of a response that is not a success; return for 2xx."""
    if response.is_success:
        return
    problem = _problem_of(response)
    if response.status_code >= 500:
        title = problem.get("title") or response.reason_phrase
        raise Unavailable(f"{response.status_code} {title}", status=response.status_code, problem=problem)
    raise _BY_STATUS.get(response.status_code, Refused)(response.status_code, problem)
