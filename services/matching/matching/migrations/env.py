"""Alembic environment of the matching service."""

from alembic import context

from common.migrations import run_env
from matching.db import metadata
from matching.settings import MatchingSettings

if not context.config.get_main_option("sqlalchemy.url"):
    context.config.set_main_option("sqlalchemy.url", MatchingSettings().database_url)
run_env(context, metadata)
