"""The command line every service shares: `python -m <service> migrate|serve`."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from common.errors import ConfigurationError
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
    try:
        app = create_app()
    except ConfigurationError as exc:
        print(f"{name}: refusing to start: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_config=None,
        access_log=False,
        lifespan="on",
    )


# The port each service serves on by default, as `make up` and the README have them.
DEFAULT_PORTS = {"intake": 8001, "capacity": 8002, "matching": 8003}


def run_service(name: str, argv: list[str] | None = None) -> None:
    """`python -m <name>` of a service laid out like the three: `<name>.main` with `create_app` and
    `MIGRATIONS_DIR`, `<name>.settings` with `<Name>Settings` and its `database_url`."""
    main = importlib.import_module(f"{name}.main")
    settings_class: Callable[[], CommonSettings] = getattr(
        importlib.import_module(f"{name}.settings"), f"{name.capitalize()}Settings"
    )
    service_main(
        name=name,
        default_port=DEFAULT_PORTS[name],
        load_settings=settings_class,
        database_url=lambda settings: str(getattr(settings, "database_url")),  # noqa: B009
        migrations_dir=Path(main.MIGRATIONS_DIR),
        create_app=main.create_app,
        argv=argv,
    )
