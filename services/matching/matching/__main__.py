"""python -m matching migrate | serve"""

from pathlib import Path

from common.cli import service_main
from matching.main import MIGRATIONS_DIR, create_app
from matching.settings import MatchingSettings


def main(argv: list[str] | None = None) -> None:
    service_main(
        name="matching",
        default_port=8003,
        load_settings=MatchingSettings,
        database_url=lambda settings: settings.database_url,  # type: ignore[attr-defined]
        migrations_dir=Path(MIGRATIONS_DIR),
        create_app=create_app,
        argv=argv,
    )


if __name__ == "__main__":
    main()
