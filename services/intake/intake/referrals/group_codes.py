"""The codes of the group a child joins on a referral: risk flags and vulnerabilities, checked here once
against the lists of known codes (contracts.group), so that only codes, never free text, are stored and
passed on with the client key."""

from __future__ import annotations

from contracts.group import RISK_FLAGS, VULNERABILITIES, unknown_codes


def known_risk_flags(codes: list[str]) -> list[str]:
    return _known(codes, RISK_FLAGS, "risk flag")


def known_vulnerabilities(codes: list[str]) -> list[str]:
    return _known(codes, VULNERABILITIES, "vulnerability")


def _known(codes: list[str], known: tuple[str, ...], what: str) -> list[str]:
    """The codes, each once, in the order given; a code not in `known` is refused by name."""
    unknown = unknown_codes(codes, known)
    if unknown:
        raise ValueError(f"unknown {what} {', '.join(unknown)}; known: {', '.join(known)}")
    return list(dict.fromkeys(codes))
