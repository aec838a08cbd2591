"""`python -m regiepunt_client` is the `regiepunt` command."""

from regiepunt_client.cli import run

run()
