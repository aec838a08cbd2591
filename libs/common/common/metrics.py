"""Prometheus metrics, one registry per app so that several apps can live in one test process."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from common.logging import describe_exception, get_logger

log = get_logger("regiepunt.metrics")

Refresh = Callable[[], Awaitable[None]]


class ServiceMetrics:
    def __init__(self, service: str) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "regiepunt_http_requests_total",
            "HTTP requests answered, by route template and status.",
            ["service", "method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "regiepunt_http_request_duration_seconds",
            "Time to answer an HTTP request.",
            ["service", "method", "route"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
        )
        self.worker_runs = Counter(
            "regiepunt_worker_runs_total", "Runs of a background step.", ["service", "step"], registry=self.registry
        )
        self.worker_failures = Counter(
            "regiepunt_worker_failures_total",
            "Runs of a background step that failed (another service out of reach included).",
            ["service", "step"],
            registry=self.registry,
        )
        self.worker_last_success = Gauge(
            "regiepunt_worker_last_success_timestamp_seconds",
            "When a background step last ran to the end (Unix time).",
            ["service", "step"],
            registry=self.registry,
        )
        self.service = service
        self._refreshes: list[Refresh] = []
        # The counter and the histogram of each (method, route, status) seen, looked up once: a
        # labels() call checks and joins its values on every request.
        self._observed: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        observed = self._observed.get((method, route, status))
        if observed is None:
            observed = self._observed[method, route, status] = (
                self.requests.labels(self.service, method, route, str(status)),
                self.latency.labels(self.service, method, route),
            )
        observed[0].inc()
        observed[1].observe(seconds)

    def worker_ran(self, step: str, *, failed: bool) -> None:
        self.worker_runs.labels(self.service, step).inc()
        if failed:
            self.worker_failures.labels(self.service, step).inc()
        else:
            self.worker_last_success.labels(self.service, step).set(time.time())

    def counter(self, name: str, documentation: str, labels: tuple[str, ...] = ()) -> Counter:
        return Counter(name, documentation, list(labels), registry=self.registry)

    def gauge(self, name: str, documentation: str, labels: tuple[str, ...] = ()) -> Gauge:
        return Gauge(name, documentation, ["service", *labels], registry=self.registry)

    def on_scrape(self, refresh: Refresh) -> None:
        """Have `refresh` set its gauges each time the metrics are read (a count in the database)."""
        self._refreshes.append(refresh)

    async def refresh(self) -> None:
        for refresh in self._refreshes:
            try:
                await refresh()
            except Exception as exc:  # a figure that cannot be read now keeps its last value
                log.warning("metrics_refresh_failed", error=describe_exception(exc))

    def render(self) -> bytes:
        return generate_latest(self.registry)
