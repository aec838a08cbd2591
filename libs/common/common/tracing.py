"""OpenTelemetry traces across the services: a request to intake, its call to matching and matching's
call to capacity, with their database statements, form one trace.

Off unless configured: the standard `OTEL_EXPORTER_OTLP_ENDPOINT` (or `…_TRACES_ENDPOINT`) names the
collector that receives the spans over OTLP/HTTP; without it nothing is instrumented and nothing sent.
The other `OTEL_*` variables (headers, sampler, resource attributes) work as the SDK documents them.
"""

from __future__ import annotations

import functools
import os
from typing import TYPE_CHECKING, Any

from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
from opentelemetry.instrumentation.sqlalchemy.version import __version__ as sqlalchemy_instrumentation_version
from opentelemetry.metrics import get_meter
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import get_tracer

if TYPE_CHECKING:
    import httpx
    from fastapi import FastAPI
    from sqlalchemy.ext.asyncio import AsyncEngine

ENDPOINT_VARIABLES = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
# The probes and the metrics are asked every few seconds by the cluster: spans of them are noise.
UNTRACED_URLS = "/healthz,/readyz,/metrics"


@functools.cache
def configured_tracer_provider(service: str) -> TracerProvider | None:
    """The process's tracer provider exporting over OTLP, or None when no endpoint is configured."""
    if not any(os.environ.get(name) for name in ENDPOINT_VARIABLES):
        return None
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    name = os.environ.get("OTEL_SERVICE_NAME") or f"regiepunt-{service}"
    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: name}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    return provider


def trace_app(app: FastAPI, engine: AsyncEngine, provider: TracerProvider) -> None:
    """Spans for every request the app answers (the caller's trace continued from its `traceparent`)
    and every statement its engine sends."""
    FastAPIInstrumentor.instrument_app(app, tracer_provider=provider, excluded_urls=UNTRACED_URLS)
    trace_engine(engine, provider)


def trace_engine(engine: AsyncEngine, provider: TracerProvider) -> None:
    # SQLAlchemyInstrumentor instruments once per process; EngineTracer, which it uses for an engine
    # it is given, does so for each engine, as a test process with three services needs.
    tracer = get_tracer("opentelemetry.instrumentation.sqlalchemy", sqlalchemy_instrumentation_version, provider)
    usage = get_meter("opentelemetry.instrumentation.sqlalchemy").create_up_down_counter(
        "db.client.connections.usage", unit="connections"
    )
    EngineTracer(tracer, engine.sync_engine, usage)  # type: ignore[no-untyped-call]


def trace_client(client: httpx.AsyncClient, provider: TracerProvider) -> None:
    """Spans for the calls of one HTTP client, with the `traceparent` header the called service reads."""
    HTTPXClientInstrumentor.instrument_client(client, tracer_provider=provider)


def trace_service_clients(app: FastAPI, provider: TracerProvider) -> None:
    """The calls of every ServiceClient an app keeps in its state (intake's, matching's)."""
    from common.http import ServiceClient

    state: dict[str, Any] = getattr(app.state, "_state", {})
    for value in state.values():
        if isinstance(value, ServiceClient):
            value.trace(provider)
