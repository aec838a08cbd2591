"""Alembic environment of the capacity service."""

from alembic import context

from capacity.db import metadata
from capacity.settings import CapacitySettings
from common.migrations import run_env

if not context.config.get_main_option("sqlalchemy.url"):
    context.config.set_main_option("sqlalchemy.url", CapacitySettings().database_url)
run_env(context, metadata)
