"""WCAG 2.1 AA checks of a page in the browser tests: axe-core (tests/e2e/axe, installed by `make axe`),
run inside the page as it is shown, with the rules tagged for WCAG 2.0 and 2.1, levels A and AA."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@cache
def _axe_source() -> str:
    if not AXE.exists():
        raise RuntimeError("axe-core is missing: run `make axe`")
    return AXE.read_text()


async def violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 AA violations of the page as it is now (a Playwright async page). The script is
    evaluated through the browser's debugging protocol, so the pages' Content-Security-Policy (no
    inline or foreign script) stays as it is in production."""
    if not await page.evaluate("() => typeof window.axe !== 'undefined'"):
        await page.evaluate(_axe_source())
    result = await page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations",
        WCAG_21_AA,
    )
    return list(result)


def describe(found: list[dict[str, Any]]) -> str:
    """The violations as lines a developer can act on: rule, impact, and the first elements hit."""
    lines = []
    for violation in found:
        targets = [" ".join(node["target"]) for node in violation["nodes"][:3]]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return "\n".join(lines)
