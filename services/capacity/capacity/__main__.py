"""python -m capacity migrate | serve"""

from pathlib import Path

from capacity.main import MIGRATIONS_DIR, create_app
from capacity.settings import CapacitySettings
from common.cli import service_main


def main(argv: list[str] | None = None) -> None:
    service_main(
        name="capacity",
        default_port=8002,
        load_settings=CapacitySettings,
        database_url=lambda settings: settings.database_url,  # type: ignore[attr-defined]
        migrations_dir=Path(MIGRATIONS_DIR),
        create_app=create_app,
        argv=argv,
    )


if __name__ == "__main__":
    main()
