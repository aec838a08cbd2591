"""The command line every service shares: `python -m <service> migrate|serve`, and the commands a
service adds of its own (intake: `rekey-client-keys`)."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from fastapi import FastAPI
from pydantic import ValidationError

from common.errors import ConfigurationError
from common.logging import configure_logging
from common.migrations import upgrade_to_head
from common.settings import CommonSettings, SecretFileError, refusal_line

# The exit status of a service that refuses to start with the settings it was given.
EXIT_REFUSED = 2


@dataclass(frozen=True)
class Command:
    """A command of one service: `run` gets the service's settings and answers the exit status."""

    help: str
    run: Callable[[CommonSettings], int]


def service_main(
    *,
    name: str,
    default_port: int,
    load_settings: Callable[[], CommonSettings],
    database_url: Callable[[CommonSettings], str],
    migrations_dir: Path,
    create_app: Callable[[], FastAPI],
    argv: list[str] | None = None,
    extra_commands: Mapping[str, Command] | None = None,
) -> None:
    extra_commands = extra_commands or {}
    parser = argparse.ArgumentParser(prog=name, description=f"Regiepunt {name} service")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="apply the database migrations up to head")
    for command_name, command in extra_commands.items():
        commands.add_parser(command_name, help=command.help)
    serve = commands.add_parser("serve", help="serve the API with uvicorn")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=default_port)
    args = parser.parse_args(argv)
    settings = settings_or_exit(name, load_settings)
    problems = settings.production_problems()
    if problems:
        # One line, before anything else is written: what an operator reads in `kubectl logs`.
        print(refusal_line(name, problems), file=sys.stderr)
        raise SystemExit(EXIT_REFUSED)
    configure_logging(settings.log_level, json=settings.log_json)
    if args.command == "migrate":
        upgrade_to_head(migrations_dir, database_url(settings))
        print(f"{name}: migrations at head")
        return
    if args.command in extra_commands:
        status = extra_commands[args.command].run(settings)
        if status:
            sys.exit(status)
        return
    try:
        app = create_app()
    except ConfigurationError as exc:
        print(f"{name}: refusing to start: {exc}", file=sys.stderr)
        raise SystemExit(EXIT_REFUSED) from None
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_config=None,
        access_log=False,
        lifespan="on",
        # The app reads the proxy headers itself, from REGIEPUNT_TRUSTED_PROXIES only.
        proxy_headers=False,
    )


def settings_or_exit(name: str, load_settings: Callable[[], CommonSettings]) -> CommonSettings:
    """The settings, or one line on stderr naming what is wrong with them and exit status 2."""
    try:
        return load_settings()
    except SecretFileError as exc:
        print(f"{name}: refusing to start: {exc}", file=sys.stderr)
    except ValidationError as exc:
        wrong = "; ".join(
            f"REGIEPUNT_{'_'.join(str(part) for part in error['loc']).upper()}: {error['msg']}"
            for error in exc.errors()
        )
        print(f"{name}: refusing to start: {wrong}", file=sys.stderr)
    raise SystemExit(EXIT_REFUSED)


# The port each service serves on by default, as `make up` and the README have them.
DEFAULT_PORTS = {"intake": 8001, "capacity": 8002, "matching": 8003}


def run_service(name: str, argv: list[str] | None = None, commands: Mapping[str, Command] | None = None) -> None:
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
        extra_commands=commands,
    )
