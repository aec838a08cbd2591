"""python -m intake migrate | serve"""

from pathlib import Path

from common.cli import service_main
from intake.main import MIGRATIONS_DIR, create_app
from intake.settings import IntakeSettings


def main(argv: list[str] | None = None) -> None:
    service_main(
        name="intake",
        default_port=8001,
        load_settings=IntakeSettings,
        database_url=lambda settings: settings.database_url,  # type: ignore[attr-defined]
        migrations_dir=Path(MIGRATIONS_DIR),
        create_app=create_app,
        argv=argv,
    )


if __name__ == "__main__":
    main()
