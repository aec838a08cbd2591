"""A provider's planning system: mirror its free places to the point every few minutes, and answer
the point's webhooks (a proposal for one of its units, a proposal about to lapse).

    REGIEPUNT_API_URL=http://127.0.0.1:8001 REGIEPUNT_CAPACITY_API_URL=http://127.0.0.1:8002 \\
    REGIEPUNT_TOKEN=$(make -s token ROLE=provider ARGS="--provider-id <id>") \\
        python clients/examples/provider_planning_mirror.py planning.json --webhook-port 8090

`planning.json` stands for the planning system: `{"<unit id>": <free places>, ...}`. Each round reads
it and sends every unit whose free places differ from the point's (with If-Match at the version just
read; a unit changed meanwhile is read again and sent once more). With `--webhook-port` it also
subscribes a receiver on that port to the provider's events and checks each delivery's signature.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from regiepunt_client import PointError, Regiepunt
from regiepunt_client.webhooks import BadWebhook, verify

EVENTS = ["referral.proposed", "referral.proposal_expiring", "referral.proposal_expired", "unit.availability_stale"]


def mirror(point: Regiepunt, planning: dict[str, int]) -> None:
    """Send each unit whose free places in the planning differ from what the point shows."""
    for unit_id, free in planning.items():
        unit = point.unit(unit_id)
        if unit.available == free:
            continue
        updated = point.set_availability(unit_id, free=free)
        print(f"unit {unit_id}: {unit.available} -> {updated.available} free (version {updated.version})", flush=True)


def receiver(point: Regiepunt, secret: str) -> type[BaseHTTPRequestHandler]:
    class Deliveries(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            try:
                event = verify(secret, dict(self.headers.items()), body)
            except BadWebhook as problem:
                self.send_error(401, str(problem))
                return
            # Answer at once; the event carries ids only, the details are read from the point.
            self.send_response(204)
            self.end_headers()
            data = event.get("data", {})
            if event["type"] == "referral.proposed":
                referral = point.referral(data["referral_id"])
                proposal = referral.proposal
                where = (
                    f" for unit {proposal.unit_id}, held until {proposal.expires_at.isoformat()}" if proposal else ""
                )
                print(f"proposal {referral.id}{where}: answer with `regiepunt proposals accept|decline`", flush=True)
            else:
                print(f"{event['type']}: {json.dumps(data, sort_keys=True)}", flush=True)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Deliveries


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("planning", type=Path, help='the planning: {"<unit id>": <free places>, ...}')
    parser.add_argument("--interval", type=float, default=300.0, help="seconds between two rounds (default 300)")
    parser.add_argument("--once", action="store_true", help="one round, then stop")
    parser.add_argument("--webhook-port", type=int, help="receive the point's webhooks on this port")
    parser.add_argument("--webhook-url", help="the receiver's address as the point reaches it")
    args = parser.parse_args()

    api_url = os.environ.get("REGIEPUNT_API_URL", "http://127.0.0.1:8001")
    point = Regiepunt(
        api_url, os.environ["REGIEPUNT_TOKEN"], capacity_url=os.environ.get("REGIEPUNT_CAPACITY_API_URL", api_url)
    )
    if args.webhook_port:
        url = args.webhook_url or f"http://127.0.0.1:{args.webhook_port}/regiepunt"
        subscription = point.subscribe(url, EVENTS)
        server = ThreadingHTTPServer(("127.0.0.1", args.webhook_port), receiver(point, subscription.secret))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        print(f"receiving webhooks at {url}", flush=True)
    while True:
        try:
            mirror(point, json.loads(args.planning.read_text()))
        except PointError as problem:
            # The next round tries again; the point shows how long ago each unit was confirmed.
            print(f"this round failed: {problem}", file=sys.stderr, flush=True)
            if args.once:
                return 1
        if args.once:
            return 0
        time.sleep(args.interval)


if __name__ == "__main__":
    sys.exit(main())
