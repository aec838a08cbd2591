"""The OpenAPI document every service publishes: the problem+json errors each operation can send, the
bearer scheme on every authenticated operation, and none of FastAPI's own validation-error schemas
(the services never send them: common.app answers every error as problem+json)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, Field

PROBLEM_JSON = "application/problem+json"
BEARER = "bearer"
_COMPONENT = "#/components/schemas/{model}"
_FASTAPI_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")

_DESCRIPTIONS = {
    400: "The request body could not be read (not UTF-8, not JSON)",
    401: "No token, or a token that is not valid",
    403: "The token's role may not make this call (an auditor's token reads the access log only)",
    404: "No such record, or one the caller may not see",
    409: "The current state forbids this action",
    412: "The If-Match version is not the current one",
    413: "The request body is too large",
    422: "Invalid input; `errors` names each bad field",
    428: "An If-Match header is required",
    503: "The database or a service this call needs cannot be reached; retry later",
}


class FieldProblem(BaseModel):
    """One bad field of a request: `client.bsn`, `limit`, `If-Match`."""

    field: str
    message: str


class Problem(BaseModel):
    """An error answer (RFC 9457, application/problem+json)."""

    type: str = Field(description="a URI naming the kind of problem; `about:blank` when the status says it all")
    title: str
    status: int
    detail: str
    errors: list[FieldProblem] = Field(default_factory=list, description="for invalid input: each bad field")


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route: each status it can send, answered as problem+json."""
    return {
        status: {
            "description": _DESCRIPTIONS[status],
            "content": {PROBLEM_JSON: {"schema": {"$ref": _COMPONENT.format(model="Problem")}}},
        }
        for status in statuses
    }


def build_openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document, told the truth about errors and authentication."""
    schema = get_openapi(
        title=app.title,
        version=app.version,
        openapi_version=app.openapi_version,
        description=app.description,
        routes=app.routes,
    )
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    problem = Problem.model_json_schema(ref_template=_COMPONENT)
    schemas.update(problem.pop("$defs", {}))
    schemas["Problem"] = problem
    for name in _FASTAPI_VALIDATION_SCHEMAS:
        schemas.pop(name, None)
    components.setdefault("securitySchemes", {})[BEARER] = {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "A token of the region's identity provider (in development, `make token`)",
    }
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation["responses"]
            # A route that declared no 422 of its own still validates its parameters: as problem+json.
            if "422" in responses:
                responses["422"] = problem_responses(422)[422]
            # A change guarded by If-Match is refused with 428 without one: the header is required.
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "header" and parameter["name"].lower() == "if-match":
                    parameter["required"] = True
                    # Empty or blank is the same as absent (428); anything else is read as a version.
                    parameter["schema"]["pattern"] = r"\S"
            # An operation answers 401 exactly when it needs a token (every route declares it).
            if "401" in responses:
                operation["security"] = [{BEARER: []}]
                # Every such operation refuses some role: the auditor's token reads the access log only.
                responses.setdefault("403", problem_responses(403)[403])
    return schema


def install_openapi(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build_openapi(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
