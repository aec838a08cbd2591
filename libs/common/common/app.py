"""The frame every service app is built in: problem+json errors, probes, metrics, middleware."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException as StarletteHTTPException
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from common.clock import Clock, SystemClock
from common.db import Database
from common.errors import FieldError, ProblemError
from common.logging import REQUEST_ID_HEADER, describe_exception, get_logger
from common.metrics import ServiceMetrics
from common.middleware import RequestContextMiddleware
from common.migrations import schema_state
from common.nul_characters import refuse_nul_characters
from common.oidc import ProviderLookup, TokenVerifier
from common.openapi import install_openapi, problem_responses
from common.service_tokens import service_tokens
from common.settings import CommonSettings, refuse_unsafe_production
from common.tracing import configured_tracer_provider, trace_app

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
    body = _problem(status, title, detail, errors, type_)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def problem_body(exc: ProblemError) -> dict[str, Any]:
    """The problem+json members of a domain exception, for an answer that adds members of its own."""
    return _problem(exc.status, exc.title, exc.detail, exc.errors, exc.type)


def _problem(status: int, title: str, detail: str, errors: Sequence[FieldError], type_: str) -> dict[str, Any]:
    body: dict[str, Any] = {"type": type_, "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = [{"field": e.field, "message": e.message} for e in errors]
    return body


def field_name(location: Sequence[Any]) -> str:
    """The field a validation error is about: `client.bsn`; an item of a list of values by its index
    (`needs.3`), a field of an item of a list of objects with the index in brackets
    (`referrals[1].client.bsn`)."""
    parts = list(location)
    if parts and str(parts[0]) in _LOCATION_PREFIXES:
        parts = parts[1:]
    name = ""
    for position, part in enumerate(parts):
        if isinstance(part, int) and name and position < len(parts) - 1:
            name += f"[{part}]"
        else:
            name += f".{part}" if name else str(part)
    return name or "body"


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
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else {}
        if exc.retry_after is not None:
            headers["Retry-After"] = str(exc.retry_after)
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

    # Database and network errors get handlers of their own, so that an outage is answered 503 here
    # instead of reaching the catch-all (which Starlette re-raises to the server after answering).
    @app.exception_handler(sa_exc.SQLAlchemyError)
    @app.exception_handler(OSError)
    async def _database(request: Request, exc: Exception) -> JSONResponse:
        if is_database_outage(exc):
            log.warning("database_unavailable", error=describe_exception(exc))
            return problem_response(
                503,
                "Service unavailable",
                "The database cannot be reached right now; try again shortly.",
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            )
        return _internal_error(request, exc)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        if is_database_outage(exc):
            return await _database(request, exc)
        return _internal_error(request, exc)


def _internal_error(request: Request, exc: BaseException) -> JSONResponse:
    # Starlette answers an error that escapes the app outside the request's middleware: the request id
    # (common.middleware keeps it in the request's state) is added here, to the log line and the answer.
    request_id = getattr(request.state, "request_id", None)
    # Only the class and the frames: the message of an error may quote the values it was given.
    log.error("unhandled_error", error=describe_exception(exc), request_id=request_id)
    headers = {REQUEST_ID_HEADER: request_id} if request_id else None
    return problem_response(
        500, "Internal error", "Something went wrong on our side; it has been logged.", headers=headers
    )


# How long a client is asked to wait before it tries again while the database is unreachable.
RETRY_AFTER_SECONDS = 5
# SQLSTATE classes of PostgreSQL that mean the database, not the request, failed: connection
# exceptions, insufficient resources (too many connections), operator intervention (shutdown), and
# a database or role that is not there (yet) to connect to.
_OUTAGE_SQLSTATE_PREFIXES = ("08", "53", "57P", "3D", "28")


def is_database_outage(exc: BaseException) -> bool:
    """Whether an error says the database could not be reached or lost the connection, as opposed to
    refusing what was asked of it (a constraint, a bad statement): the first is worth a retry."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, sa_exc.DBAPIError) and current.connection_invalidated:
            return True
        if isinstance(current, sa_exc.OperationalError | sa_exc.InterfaceError | sa_exc.TimeoutError):
            return True
        if isinstance(current, ConnectionError | TimeoutError):
            return True
        if isinstance(current, OSError) and current.errno is None and "connect" in str(current).lower():
            return True
        sqlstate = getattr(current, "sqlstate", None)
        if isinstance(sqlstate, str) and sqlstate.startswith(_OUTAGE_SQLSTATE_PREFIXES):
            return True
        current = current.__cause__ or current.__context__
    return False


Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def _measure_connection_pool(metrics: ServiceMetrics, database: Database) -> None:
    """How many of the pool's connections are in use: a pool used up makes requests wait."""
    in_use = metrics.gauge("regiepunt_db_pool_connections_in_use", "Database connections handed out now.")
    size = metrics.gauge("regiepunt_db_pool_size", "Database connections the pool keeps open at most without overflow.")

    async def refresh() -> None:
        pool = database.engine.pool
        in_use.labels(metrics.service).set(float(getattr(pool, "checkedout", lambda: 0)()))
        size.labels(metrics.service).set(float(getattr(pool, "size", lambda: 0)()))

    metrics.on_scrape(refresh)


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
    provider_lookup: ProviderLookup | None = None,
    version: str = "1.0.0",
) -> FastAPI:
    """The app of one service. In production, settings that are not safe to run with raise
    ProductionRefused here, however the app is started (common.cli says so in one line first)."""
    refuse_unsafe_production(name, settings)

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
            await app.state.verifier.aclose()
            await app.state.service_tokens.aclose()
            await database.dispose()

    # Every route names its operation id; the probes take theirs from their function names.
    app = FastAPI(
        title=f"Regiepunt {name}",
        version=version,
        lifespan=app_lifespan,
        dependencies=[Depends(refuse_nul_characters)],
        generate_unique_id_function=lambda route: route.name,
    )
    metrics = ServiceMetrics(name)
    app.state.settings = settings
    app.state.database = database
    app.state.clock = clock or SystemClock()
    app.state.metrics = metrics
    jwks_fetches = metrics.counter(
        "regiepunt_oidc_jwks_fetches_total", "Fetches of the identity provider's key set (start and unknown kids)."
    )
    # The token checker of every route (common.auth.get_principal), and this service's own tokens for
    # its calls to the others (common.http.ServiceClient), both by the settings' mode.
    app.state.verifier = TokenVerifier.for_settings(settings, on_fetch=jwks_fetches.inc)
    app.state.verifier.provider_lookup = provider_lookup
    app.state.service_tokens = service_tokens(settings, name)
    _measure_connection_pool(metrics, database)
    install_problem_handlers(app)
    install_openapi(app)
    app.add_middleware(RequestContextMiddleware, metrics=metrics, max_body_bytes=settings.max_body_bytes)
    # Outermost, so that everything inside sees the scheme and client address the trusted ingress saw
    # (a cookie is Secure when the browser came over https), whichever server runs the app.
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)

    @app.get("/healthz", tags=["probes"])
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": name}

    @app.get("/readyz", tags=["probes"], responses=problem_responses(503))
    async def readyz() -> Response:
        try:
            await database.ping()
            state = await schema_state(database.engine, migrations_dir)
        except Exception as exc:  # the database is down or unreachable: not ready
            return problem_response(503, "Not ready", f"Database not reachable: {exc.__class__.__name__}")
        if not state.ready:
            return problem_response(503, "Not ready", state.reason)
        return JSONResponse({"status": "ready", "service": name})

    @app.get("/metrics", tags=["probes"], include_in_schema=False)
    async def metrics_endpoint() -> Response:
        await metrics.refresh()
        return Response(metrics.render(), media_type="text/plain; version=0.0.4; charset=utf-8")

    for router in routers:
        app.include_router(router)
    tracer_provider = configured_tracer_provider(name)
    if tracer_provider is not None:
        trace_app(app, database.engine, tracer_provider)
    return app
