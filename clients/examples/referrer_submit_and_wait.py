"""A referrer's case system: submit a referral and wait for the point's answer.

    REGIEPUNT_API_URL=http://127.0.0.1:8001 REGIEPUNT_TOKEN=$(make -s token ROLE=referrer) \\
        python clients/examples/referrer_submit_and_wait.py clients/examples/referral.json

Prints one line per state the referral passes through and exits 0 once it is proposed, placed or
unmatched; 1 when the point refuses it (each bad field printed), 3 when the point cannot be reached.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from regiepunt_client import InvalidInput, Refused, Regiepunt, Unavailable


def main(path: str) -> int:
    referral = json.loads(Path(path).read_text())
    point = Regiepunt(os.environ.get("REGIEPUNT_API_URL", "http://127.0.0.1:8001"), os.environ["REGIEPUNT_TOKEN"])
    try:
        # The client gives the submission an Idempotency-Key and keeps it when it has to send again
        # (a 503 or a lost connection): the point stores the child once.
        submitted = point.submit_referral(referral)
        print(f"submitted {submitted.id}: {submitted.status}")
        answered = point.wait_for_answer(submitted.id, until=frozenset({"proposed", "placed", "unmatched"}))
    except InvalidInput as problem:
        for error in problem.errors:
            print(f"wrong: {error.field}: {error.message}", file=sys.stderr)
        return 1
    except Refused as problem:
        print(f"refused: {problem.describe()}", file=sys.stderr)
        return 1
    except Unavailable as problem:
        print(f"the point is unavailable: {problem}", file=sys.stderr)
        return 3
    finally:
        point.close()
    print(f"answered {answered.id}: {answered.status}")
    if answered.proposal:
        print(f"proposed unit {answered.proposal.unit_id}, held until {answered.proposal.expires_at.isoformat()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).with_name("referral.json"))))
