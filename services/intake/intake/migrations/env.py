"""Alembic environment of the intake service."""

from alembic import context

from common.migrations import run_env
from intake.db import metadata
from intake.settings import IntakeSettings

if not context.config.get_main_option("sqlalchemy.url"):
    context.config.set_main_option("sqlalchemy.url", IntakeSettings().database_url)
run_env(context, metadata)
