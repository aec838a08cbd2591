"""`regiepunt`: the point from a terminal or a script, on the Python client.

The point's address comes from REGIEPUNT_API_URL (intake) and REGIEPUNT_CAPACITY_API_URL (capacity,
by default the same address: behind one ingress both answer on one host), the token from
REGIEPUNT_TOKEN; each can be given as an option instead. Exit codes: 0 done, 1 refused by the point
(the problem is printed, each bad field named), 2 wrong usage, 3 the point unreachable or failing."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from regiepunt_client.client import DECLINE_REASON_CODES, Regiepunt
from regiepunt_client.errors import Refused, Unavailable

DONE, REFUSED, USAGE, UNAVAILABLE = 0, 1, 2, 3
DEFAULT_API_URL = "http://127.0.0.1:8001"


class UsageError(Exception):
    """Wrong usage that argparse cannot see (a missing token, an unreadable file)."""


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from exc


def _count(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"not a number of places: {value!r}")
    return int(value)


# --- output -----------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    return value.to_dict() if hasattr(value, "to_dict") else value


def _print_json(value: Any) -> None:
    if isinstance(value, list):
        value = [_plain(item) for item in value]
    print(json.dumps(_plain(value), indent=2, ensure_ascii=False, default=str))


def _table(rows: Sequence[Sequence[Any]], header: Sequence[str]) -> str:
    cells = [[str(h) for h in header]] + [["" if v is None else str(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in cells]
    return "\n".join([lines[0], "  ".join("-" * w for w in widths), *lines[1:]])


REFERRAL_COLUMNS = ("id", "status", "care_type", "target_group", "unit", "expires_at / start_date", "created_at")


def _referral_row(referral: dict[str, Any]) -> list[Any]:
    proposal, placement = referral.get("proposal"), referral.get("placement")
    unit = (proposal or placement or {}).get("unit_id")
    when = (proposal or {}).get("expires_at") or (placement or {}).get("start_date")
    return [
        referral["id"],
        referral["status"],
        referral["care_type"],
        referral["target_group"],
        unit,
        when,
        referral["created_at"],
    ]


def _show_referral(referral: dict[str, Any]) -> str:
    lines = [f"{key}: {value}" for key, value in zip(REFERRAL_COLUMNS, _referral_row(referral), strict=True)]
    proposal = referral.get("proposal")
    if proposal:
        lines.append(f"proposed unit: {proposal['unit_id']} of provider {proposal['provider_id']}")
        lines += [f"  reason: {reason}" for reason in proposal.get("reasons", [])]
    ijw = referral.get("ijw")
    if ijw:
        lines.append(f"iJw: verwijzer {ijw.get('verwijzer_code')}, productcategorie {ijw.get('productcategorie')}")
    return "\n".join(lines)


UNIT_COLUMNS = ("id", "name", "care_type", "municipality", "capacity", "occupied", "reserved", "blocked", "free")


def _unit_row(unit: dict[str, Any]) -> list[Any]:
    return [
        unit["id"],
        unit["name"],
        unit["care_type"],
        unit["municipality_code"],
        unit["capacity"],
        unit["occupied"],
        unit["reserved"],
        unit["blocked"],
        unit["available"],
    ]


# --- commands ---------------------------------------------------------------------------------------


def _read_referral(path: str) -> dict[str, Any]:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from exc
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path} is not JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise UsageError(f"{path} must hold one referral (a JSON object)")
    return body


def referrals_submit(point: Regiepunt, args: argparse.Namespace) -> Any:
    referral = point.submit_referral(_read_referral(args.file), idempotency_key=args.idempotency_key)
    if args.wait:
        referral = point.wait_for_answer(
            referral.id, until=frozenset({"proposed", "placed", "unmatched"}), timeout=args.wait_timeout
        )
    return referral


def referrals_show(point: Regiepunt, args: argparse.Namespace) -> Any:
    return point.referral(args.id)


def referrals_list(point: Regiepunt, args: argparse.Namespace) -> Any:
    return point.referrals(status=args.status, limit=args.limit)


def referrals_withdraw(point: Regiepunt, args: argparse.Namespace) -> Any:
    return point.withdraw(args.id)


def units_list(point: Regiepunt, args: argparse.Namespace) -> Any:
    filters = {
        "care_type": args.care_type,
        "target_group": args.target_group,
        "age": args.age,
        "provider_id": args.provider_id,
        "in_region": True if args.in_region else None,
        "available_only": True if args.available_only else None,
    }
    return point.units(**{key: value for key, value in filters.items() if value is not None})


def units_set_availability(point: Regiepunt, args: argparse.Namespace) -> Any:
    if args.free is None and args.capacity is None and args.blocked is None:
        raise UsageError("give --free, --capacity or --blocked")
    if args.free is not None and args.capacity is not None:
        raise UsageError("give --free or --capacity, not both")
    return point.set_availability(args.unit, free=args.free, capacity=args.capacity, blocked=args.blocked)


def proposals_list(point: Regiepunt, args: argparse.Namespace) -> Any:
    return point.proposals()


def proposals_accept(point: Regiepunt, args: argparse.Namespace) -> Any:
    return point.accept(args.id, args.start_date)


def proposals_decline(point: Regiepunt, args: argparse.Namespace) -> Any:
    return point.decline(args.id, reason_code=args.reason_code, reason=args.reason)


def kpis(point: Regiepunt, args: argparse.Namespace) -> Any:
    return point.kpis(date_from=args.date_from, date_to=args.date_to)


KPI_COLUMNS = ("period_from", "period_to", "name", "label", "value", "numerator", "denominator", "unit")


def _kpi_rows(report: dict[str, Any]) -> list[list[Any]]:
    return [
        [report["period_from"], report["period_to"], *(item.get(key) for key in KPI_COLUMNS[2:])]
        for item in report["indicators"]
    ]


def _render(args: argparse.Namespace, result: Any) -> None:
    if args.json or getattr(args, "format", None) == "json":
        _print_json(result)
        return
    if isinstance(result, list):
        plain = [_plain(item) for item in result]
        if args.render == "units":
            print(_table([_unit_row(unit) for unit in plain], UNIT_COLUMNS))
        else:
            print(_table([_referral_row(referral) for referral in plain], REFERRAL_COLUMNS))
        return
    plain = _plain(result)
    if args.render == "unit":
        print(_table([_unit_row(plain)], UNIT_COLUMNS) + f"\nversion: {plain['version']}")
    elif args.render == "kpis":
        rows = _kpi_rows(plain)
        if args.format == "csv":
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow(KPI_COLUMNS)
            writer.writerows(["" if value is None else value for value in row] for row in rows)
            sys.stdout.write(buffer.getvalue())
        else:
            print(_table([row[2:] for row in rows], KPI_COLUMNS[2:]))
    else:
        print(_show_referral(plain))


# --- the parser -------------------------------------------------------------------------------------


def _connection_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    # On every subcommand as well, so that `regiepunt referrals list --json` works like `regiepunt --json ...`.
    default: Any = None if top else argparse.SUPPRESS
    parser.add_argument("--api-url", default=default, help="intake's address (default: $REGIEPUNT_API_URL)")
    parser.add_argument(
        "--capacity-api-url",
        default=default,
        help="capacity's address (default: $REGIEPUNT_CAPACITY_API_URL, else the API URL)",
    )
    parser.add_argument("--token", default=default, help="the bearer token (default: $REGIEPUNT_TOKEN)")
    parser.add_argument(
        "--json", action="store_true", default=False if top else argparse.SUPPRESS, help="print the answer as JSON"
    )


def _command(
    group: Any, name: str, run: Callable[[Regiepunt, argparse.Namespace], Any], render: str, help_text: str
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = group.add_parser(name, help=help_text, description=help_text)
    _connection_options(parser, top=False)
    parser.set_defaults(run=run, render=render)
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="regiepunt",
        description="Talk to Regiepunt, the central referral point for residential youth care.",
        epilog="Exit codes: 0 done, 1 refused by the point, 2 wrong usage, 3 the point unreachable or failing.",
    )
    _connection_options(parser, top=True)
    groups = parser.add_subparsers(dest="group", required=True, metavar="{referrals,units,proposals,kpis}")

    referrals = groups.add_parser("referrals", help="submit, follow and withdraw referrals (referrers)")
    referral_commands = referrals.add_subparsers(dest="command", required=True)
    submit = _command(referral_commands, "submit", referrals_submit, "referral", "submit a referral from a JSON file")
    submit.add_argument("file", help="the referral as JSON (API.md's referral body); - reads standard input")
    submit.add_argument("--wait", action="store_true", help="follow it until proposed, placed or unmatched")
    submit.add_argument("--wait-timeout", type=float, default=300.0, help="seconds to wait at most (default 300)")
    submit.add_argument("--idempotency-key", help="the submission's key (default: a new one)")
    show = _command(referral_commands, "show", referrals_show, "referral", "show one referral")
    show.add_argument("id")
    listing = _command(referral_commands, "list", referrals_list, "referrals", "list the referrals you may see")
    listing.add_argument("--status", choices=("pending", "proposed", "unmatched", "placed", "withdrawn", "ended"))
    listing.add_argument("--limit", type=_count, help="show at most this many")
    withdraw = _command(referral_commands, "withdraw", referrals_withdraw, "referral", "withdraw a referral")
    withdraw.add_argument("id")

    units = groups.add_parser("units", help="list units and keep their free places current (providers)")
    unit_commands = units.add_subparsers(dest="command", required=True)
    unit_list = _command(unit_commands, "list", units_list, "units", "list units")
    unit_list.add_argument("--care-type")
    unit_list.add_argument("--target-group")
    unit_list.add_argument("--age", type=_count)
    unit_list.add_argument("--provider-id")
    unit_list.add_argument("--in-region", action="store_true", help="only units inside the region")
    unit_list.add_argument("--available-only", action="store_true", help="only units with a free place")
    availability = _command(
        unit_commands, "set-availability", units_set_availability, "unit", "set a unit's free and blocked places"
    )
    availability.add_argument("unit", help="the unit's id")
    availability.add_argument("--free", type=_count, help="places to show as free (capacity follows)")
    availability.add_argument("--capacity", type=_count, help="the unit's capacity, instead of --free")
    availability.add_argument("--blocked", type=_count, help="places blocked (not to be proposed)")

    proposals = groups.add_parser("proposals", help="answer the point's proposals (providers)")
    proposal_commands = proposals.add_subparsers(dest="command", required=True)
    _command(proposal_commands, "list", proposals_list, "referrals", "list proposals waiting for your answer")
    accept = _command(proposal_commands, "accept", proposals_accept, "referral", "accept a proposal")
    accept.add_argument("id")
    accept.add_argument(
        "--start-date", type=_iso_date, required=True, metavar="YYYY-MM-DD", help="the first day of the stay"
    )
    decline = _command(proposal_commands, "decline", proposals_decline, "referral", "decline a proposal")
    decline.add_argument("id")
    decline.add_argument("--reason-code", choices=DECLINE_REASON_CODES, default="other", help="why (default other)")
    decline.add_argument("--reason", help="why, in words (stays with the point)")

    indicators = _command(groups, "kpis", kpis, "kpis", "the region's indicators (coordinators)")
    indicators.add_argument(
        "--from",
        dest="date_from",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="first day (default: 90 days before --to)",
    )
    indicators.add_argument(
        "--to", dest="date_to", type=_iso_date, metavar="YYYY-MM-DD", help="last day (default: today)"
    )
    indicators.add_argument("--format", choices=("table", "csv", "json"), default="table")
    return parser


def _point(args: argparse.Namespace) -> Regiepunt:
    api_url = args.api_url or os.environ.get("REGIEPUNT_API_URL") or DEFAULT_API_URL
    capacity_url = args.capacity_api_url or os.environ.get("REGIEPUNT_CAPACITY_API_URL") or api_url
    token = args.token or os.environ.get("REGIEPUNT_TOKEN")
    if not token:
        raise UsageError("no token: set REGIEPUNT_TOKEN or give --token")
    return Regiepunt(api_url, token, capacity_url=capacity_url)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with _point(args) as point:
            result = args.run(point, args)
    except UsageError as exc:
        parser.print_usage(sys.stderr)
        print(f"regiepunt: {exc}", file=sys.stderr)
        return USAGE
    except Refused as exc:
        if args.json:
            _print_json(exc.problem)
        print(f"regiepunt: refused: {exc.describe()}", file=sys.stderr)
        return REFUSED
    except Unavailable as exc:
        print(f"regiepunt: the point is unavailable: {exc}", file=sys.stderr)
        return UNAVAILABLE
    _render(args, result)
    return DONE


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
