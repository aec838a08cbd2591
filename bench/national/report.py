"""Ratios to the baseline, the printed tables, and the figures against the targets of the benchmark."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

READ_TARGET_MS = 300.0
READ_GROWTH_LIMIT = 3.0
SUBMIT_SHARE_OF_BASELINE = 0.25
SUBMIT_P99_MS = 100.0
DECISION_P99_MS = 20.0


def _phase(size_result: dict[str, Any], name: str) -> dict[str, Any]:
    return next(phase for phase in size_result["phases"] if phase["phase"] == name)


def annotate(size_result: dict[str, Any]) -> None:
    """Adds to every call its ratios: requests per second against the baseline's saturated rate, and
    latencies against the baseline's under the same kind of load (closed loop or open loop)."""
    saturated = _phase(size_result, "baseline_saturation")["calls"]["baseline"]
    at_rate = _phase(size_result, "baseline_open")["calls"]["baseline"]
    for phase in size_result["phases"]:
        reference = saturated if phase["mode"] == "closed" else at_rate
        for call in phase["calls"].values():
            call["ratio"] = {
                "rps": _ratio(call["rps"], saturated["rps"]),
                **{q: _ratio(call[f"{q}_ms"], reference[f"{q}_ms"]) for q in ("p50", "p95", "p99")},
            }


def _ratio(value: float, reference: float) -> float | None:
    return round(value / reference, 3) if reference else None


def print_size(name: str, size_result: dict[str, Any]) -> None:
    print(f"\n-- {name}: rps and latency per call; ×base = ratio to the baseline of the same run")
    header = f"{'phase':<22} {'call':<30} {'rps':>8} {'×base':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
    print(header + f" {'×base p99':>9} {'errors':>6}")
    for phase in size_result["phases"]:
        for call_name, call in phase["calls"].items():
            if not call["requests"]:
                continue
            print(
                f"{phase['phase']:<22} {call_name:<30} {call['rps']:>8.1f} {call['ratio']['rps'] or 0:>7.3f} "
                f"{call['p50_ms']:>8.1f} {call['p95_ms']:>8.1f} {call['p99_ms']:>8.1f} "
                f"{call['ratio']['p99'] or 0:>9.2f} {call['errors']:>6}"
            )
    print(
        "CPU of the services per request (ms, intake + matching + capacity and their worker processes;"
        " the baseline's own for its phases):"
    )
    for phase in size_result["phases"]:
        per_request = phase.get("service_cpu_ms_per_request")
        if phase["phase"].startswith("baseline"):
            per_request = phase.get("baseline_cpu_ms_per_request")
        spent = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in phase.get("cpu_seconds", {}).items())
        print(f"  {phase['phase']:<22} {per_request} ms/request   ({spent}; load {phase['load_average_1m']})")
    checks = size_result["checks"]
    print(
        f"checks: {checks['overbooked_units']} overbooked units, "
        f"{checks['units_with_counts_unlike_their_stays']} units whose counts differ from their stays and holds, "
        f"{checks['placed_in_intake']} placed in intake / {checks['open_stays_in_capacity']} open stays in capacity"
    )


def _reads(size_result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The reads the targets are about, each measured alone (one at a time) where the run did so."""
    calls: dict[str, dict[str, Any]] = {}
    for phase in size_result["phases"]:
        if phase["phase"] == "mix" or phase["phase"].startswith("alone "):
            calls.update(phase["calls"])
    return {name: call for name, call in calls.items() if name in ("signals", "kpis") or name.startswith("dashboard")}


def targets(sizes: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Each target of the benchmark with the figure measured at the largest size run."""
    if not sizes:
        return []
    largest_name = list(sizes)[-1]
    largest = sizes[largest_name]
    smallest = sizes[next(iter(sizes))]
    rows: list[dict[str, Any]] = []

    def add(target: str, measured: float, limit: float, met: bool, unit: str = "") -> None:
        rows.append(
            {"size": largest_name, "target": target, "measured": measured, "limit": limit, "unit": unit, "met": met}
        )

    ran = {phase["phase"] for phase in largest["phases"]}  # a run with --phases has only some
    if {"submit_saturation", "submit_at_target_rate"} <= ran:
        _submit_targets(largest, add)
    if "decision" in ran:
        decision = _phase(largest, "decision")["calls"]["decision"]
        add(
            "one matching decision: p99",
            decision["p99_ms"],
            DECISION_P99_MS,
            decision["p99_ms"] < DECISION_P99_MS,
            "ms",
        )
    small_reads = _reads(smallest)
    for name, call in _reads(largest).items():
        if not call["requests"]:
            add(f"{name}: p99 (no request answered in time)", float("inf"), READ_TARGET_MS, False, "ms")
            continue
        add(f"{name}: p99", call["p99_ms"], READ_TARGET_MS, call["p99_ms"] < READ_TARGET_MS, "ms")
        if name in small_reads and largest is not smallest and small_reads[name]["requests"]:
            growth = round(call["p99_ms"] / small_reads[name]["p99_ms"], 2)
            add(f"{name}: p99 growth smallest to largest", growth, READ_GROWTH_LIMIT, growth <= READ_GROWTH_LIMIT, "×")
    for size_name, result in sizes.items():
        errors = sum(call["errors"] for phase in result["phases"] for call in phase["calls"].values())
        rows.append(
            {"size": size_name, "target": "errors", "measured": errors, "limit": 0, "unit": "", "met": not errors}
        )
        overbooked = result["checks"]["overbooked_units"] + result["checks"]["units_with_counts_unlike_their_stays"]
        rows.append(
            {
                "size": size_name,
                "target": "overbooked or miscounted units",
                "measured": overbooked,
                "limit": 0,
                "unit": "",
                "met": not overbooked,
            }
        )
        drift = abs(result["checks"]["placed_in_intake"] - result["checks"]["open_stays_in_capacity"])
        rows.append(
            {
                "size": size_name,
                "target": "children placed in intake without an open stay in capacity, or the other way round",
                "measured": drift,
                "limit": 0,
                "unit": "",
                "met": not drift,
            }
        )
    return rows


def _submit_targets(largest: dict[str, Any], add: Callable[..., None]) -> None:
    share = _phase(largest, "submit_saturation")["calls"]["submit"]["ratio"]["rps"] or 0.0
    add("submit: requests/s as a share of the baseline's", share, SUBMIT_SHARE_OF_BASELINE, share >= 0.25)
    submit_cpu = _phase(largest, "submit_saturation").get("service_cpu_ms_per_request")
    baseline_cpu = _phase(largest, "baseline_saturation").get("baseline_cpu_ms_per_request")
    if submit_cpu and baseline_cpu:
        cpu_share = round(baseline_cpu / submit_cpu, 3)
        add("submit: baseline CPU ms per request / services' CPU ms per submit", cpu_share, 0.25, cpu_share >= 0.25)
    phase = _phase(largest, "submit_at_target_rate")
    at_rate = phase["calls"]["submit"]
    offered = at_rate["offered_rate"] or 0.0
    wanted = phase.get("target_rate") or offered
    saturated = _phase(largest, "submit_saturation")["calls"]["submit"]["rps"]
    add(f"submit: saturated rate against the {wanted:g}/s target", saturated, wanted, saturated >= wanted, "/s")
    p99_met = at_rate["p99_ms"] < SUBMIT_P99_MS and offered >= wanted
    add(f"submit at {offered:g}/s offered: p99", at_rate["p99_ms"], SUBMIT_P99_MS, p99_met, "ms")


def print_targets(rows: list[dict[str, Any]]) -> int:
    """The last lines of the run; the exit code is 1 when a run had errors or an overbooked unit."""
    print("\nfigures against the targets")
    for row in rows:
        verdict = "met" if row["met"] else "MISSED"
        print(f"  [{row['size']}] {row['target']}: {row['measured']}{row['unit']} (limit {row['limit']}) {verdict}")
    correctness = [row for row in rows if row["target"] in ("errors", "overbooked or miscounted units")]
    return 0 if all(row["met"] for row in correctness) else 1


def markdown(report: dict[str, Any]) -> str:
    """The tables of docs/performance.md from a results file."""
    lines = []
    sizes = report["sizes"]
    lines.append(
        "| size | phase | call | offered/s | req/s | ×base rps | p50 ms | p95 ms | p99 ms | ×base p99 | errors |"
    )
    lines.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size_name, result in sizes.items():
        for phase in result["phases"]:
            for call_name, call in phase["calls"].items():
                if not call["requests"]:
                    continue
                offered = call["offered_rate"]
                if offered is None:
                    offered = f"closed {phase['concurrency']}" if phase["mode"] == "closed" else "—"
                lines.append(
                    f"| {size_name} | {phase['phase']} | {call_name} | {offered} | {call['rps']:.1f} "
                    f"| {call['ratio']['rps']:.3f} | {call['p50_ms']:.1f} | {call['p95_ms']:.1f} "
                    f"| {call['p99_ms']:.1f} | {call['ratio']['p99']:.2f} | {call['errors']} |"
                )
    lines.append("")
    lines.append("| size | target | measured | limit | met |")
    lines.append("|---|---|---:|---:|---|")
    for row in report["targets"]:
        verdict = "yes" if row["met"] else "**no**"
        measured = "—" if row["measured"] is None else f"{row['measured']}{row['unit']}"
        lines.append(f"| {row['size']} | {row['target']} | {measured} | {row['limit']} | {verdict} |")
    return "\n".join(lines)


if __name__ == "__main__":
    import json
    import sys
    from pathlib import Path

    print(markdown(json.loads(Path(sys.argv[1]).read_text())))
