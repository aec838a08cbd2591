"""`python -m intake rekey-client-keys`: re-key every stored pseudonym to the current client key now,
rather than at the workers' pace, and print what was done. Exits 1 while capacity or matching could not
be reached (their pairs wait; run it again, or leave them to the workers), so that a Job retries."""

from __future__ import annotations

import asyncio

from common.cli import Command
from common.settings import CommonSettings
from intake.client_keys.service import rekey_all
from intake.context import Context
from intake.main import create_app
from intake.settings import IntakeSettings

HELP = "re-key the stored pseudonyms of all three services to the current client key"


async def _rekey(settings: IntakeSettings) -> int:
    app = create_app(settings)  # its parts, not served: no workers run
    try:
        report = await rekey_all(Context.of(app))
    finally:
        await app.state.capacity.aclose()
        await app.state.matching.aclose()
        await app.state.database.dispose()
    for line in report.lines():
        print(line)
    return 0 if report.complete else 1


def rekey_client_keys(settings: CommonSettings) -> int:
    assert isinstance(settings, IntakeSettings)
    return asyncio.run(_rekey(settings))


REKEY_CLIENT_KEYS = Command(HELP, rekey_client_keys)
