"""What the single-purpose benchmarks in this folder share: GET calls timed one at a time, and percentiles."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


async def timed_gets(
    client: httpx.AsyncClient, name: str, path: Callable[[int], str], headers: dict[str, str], rounds: int
) -> list[float]:
    """Milliseconds of each of `rounds` calls of `path(i)`, one at a time, after one call to warm up.
    Any answer but 200 stops the benchmark: a figure of failed calls would mean nothing."""
    await client.get(path(0), headers=headers)
    timings: list[float] = []
    for index in range(rounds):
        started = time.perf_counter()
        response = await client.get(path(index), headers=headers)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{name}: {response.status_code} {response.text[:300]}")
    return timings
