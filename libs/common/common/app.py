"""The frame every service app is built in: problem+json errors, probes, metrics, middleware."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from common.clock import Clock, SystemClock
from common.db import Database
from common.errors import FieldError, ProblemError
from common.logging import get_logger
from common.metrics import ServiceMetrics
from common.middleware import RequestContextMiddleware
from common.migrations import migrations_applied
from common.openapi import install_openapi, problem_responses
from common.settings import CommonSettings

log = get_logger("regiepunt.app")

PROBLEM_JSON = "application/problem+json"
_LOCATION_PREFIXES = {"body", "query", "path", "header", "cookie"}


def problem_response(
    status: int,
    title: str,
    detail: str,
    *,
    errors: Sequence[FieldError] = (),
    type_: str = "about:blank",
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {"type": type_, "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = [{"field": e.field, "message": e.message} for e in errors]
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def field_name(location: Sequence[Any]) -> str:
    parts = [str(p) for p in location]
    if parts and parts[0] in _LOCATION_PREFIXES:
        parts = parts[1:]
    return ".".join(parts) or "body"


def _validation_errors(exc: RequestValidationError) -> list[FieldError]:
    errors = []
    for error in exc.errors():
        message = str(error.get("msg", "is not valid"))
        if error.get("type") == "extra_forbidden":
            message = "is not a known field"
        elif error.get("type") == "missing":
            message = "is required"
        errors.append(FieldError(field_name(error.get("loc", ())), message))
    return errors


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(ProblemError)
    async def _problem(_request: Request, exc: ProblemError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return problem_response(exc.status, exc.title, exc.detail, errors=exc.errors, type_=exc.type, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _validation_errors(exc)
        detail = "; ".join(f"{e.field}: {e.message}" for e in errors)
        return problem_response(422, "Invalid input", detail, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        titles = {404: "Not found", 405: "Method not allowed", 400: "Bad request"}
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        return problem_response(
            exc.status_code, titles.get(exc.status_code, "Error"), detail, headers=getattr(exc, "headers", None)
        )

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled_error", error=repr(exc))
        return problem_response(500, "Internal error", "Something went wrong on our side; it has been logged.")


Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def freeze_startup_objects() -> None:
    """Move what starting made (modules, the app, its routes) out of the collector's sight: it lives
    as long as the process, and rescanning it in every full collection makes for long pauses."""
    gc.collect()
    gc.freeze()


def create_service_app(
    *,
    name: str,
    settings: CommonSettings,
    database: Database,
    migrations_dir: Path,
    routers: Sequence[APIRouter],
    clock: Clock | None = None,
    lifespan: Lifespan | None = None,
    version: str = "1.0.0",
) -> FastAPI:
    @asynccontextmanager
    async def app_lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings.warn_if_development_secret()
        try:
            if lifespan is not None:
                async with lifespan(app):
                    freeze_startup_objects()
                    yield
            else:
                freeze_startup_objects()
                yield
        finally:
            await database.dispose()

    # Every route names its operation id; the probes take theirs from their function names.
    app = FastAPI(
        title=f"Regiepunt {name}",
        version=version,
        lifespan=app_lifespan,
        generate_unique_id_function=lambda route: route.name,
    )
    metrics = ServiceMetrics(name)
    app.state.settings = settings
    app.state.database = database
    app.state.clock = clock or SystemClock()
    app.state.metrics = metrics
    install_problem_handlers(app)
    install_openapi(app)
    app.add_middleware(RequestContextMiddleware, metrics=metrics, max_body_bytes=settings.max_body_bytes)

    @app.get("/healthz", tags=["probes"])
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": name}

    @app.get("/readyz", tags=["probes"], responses=problem_responses(503))
    async def readyz() -> Response:
        try:
            await database.ping()
            current = await migrations_applied(database.engine, migrations_dir)
        except Exception as exc:  # the database is down or unreachable: not ready
            return problem_response(503, "Not ready", f"Database not reachable: {exc.__class__.__name__}")
        if not current:
            return problem_response(503, "Not ready", "Database migrations are not at head.")
        return JSONResponse({"status": "ready", "service": name})

    @app.get("/metrics", tags=["probes"], include_in_schema=False)
    async def metrics_endpoint() -> Response:
        return Response(metrics.render(), media_type="text/plain; version=0.0.4; charset=utf-8")

    for router in routers:
        app.include_router(router)
    return app
