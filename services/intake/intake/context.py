"""What every use case of intake is given: who acts on its own (SYSTEM), the clock, the settings and
the other services, taken from the running app."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from fastapi import FastAPI

from common.auth import Principal
from common.clock import Clock, as_utc
from common.db import Database
from common.http import ServiceClient
from contracts.vocabulary import Vocabulary
from intake.settings import IntakeSettings

# A row of one of intake's tables, read as a mapping.
Row = sa.RowMapping

# Who acts when a worker moves a referral on its own (expiry, retry, waiting list).
SYSTEM = Principal(sub="system:intake", role="service", org="regiepunt")


@dataclass(frozen=True)
class Context:
    """What every use case needs from the running app."""

    database: Database
    clock: Clock
    settings: IntakeSettings
    matching: ServiceClient
    capacity: ServiceClient
    worker_id: str
    # The codes a referral's needs must be (REGIEPUNT_VOCABULARY_FILE).
    vocabulary: Vocabulary

    @classmethod
    def of(cls, app: FastAPI) -> Context:
        return cls(
            database=app.state.database,
            clock=app.state.clock,
            settings=app.state.settings,
            matching=app.state.matching,
            capacity=app.state.capacity,
            worker_id=app.state.worker_id,
            vocabulary=app.state.vocabulary,
        )

    def now(self) -> datetime:
        return as_utc(self.clock.now())

    def today(self) -> date:
        return self.now().date()
