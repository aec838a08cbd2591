"""The command line every service shares: `python -m <service> migrate|serve`."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from common.logging import configure_logging
from common.migrations import upgrade_to_head
from common.settings import CommonSettings


def service_main(
    *,
    name: str,
    default_port: int,
    load_settings: Callable[[], CommonSettings],
    database_url: Callable[[CommonSettings], str],
    migrations_dir: Path,
    create_app: Callable[[], FastAPI],
    argv: list[str] | None = None,
) -> None:
    parser = argparse.ArgumentParser(prog=name, description=f"Regiepunt {name} service")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="apply the database migrations up to head")
    serve = commands.add_parser("serve", help="serve the API with uvicorn")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=default_port)
    args = parser.parse_args(argv)
    settings = load_settings()
    configure_logging(settings.log_level, json=settings.log_json)
    if args.command == "migrate":
        upgrade_to_head(migrations_dir, database_url(settings))
        print(f"{name}: migrations at head")
        return
    uvicorn.run(
        create_app(),
        host=args.host,
        port=args.port,
        log_config=None,
        access_log=False,
        lifespan="on",
    )
