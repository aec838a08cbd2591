"""The settings of the two modes: every `*_secret` may come from a file, and production names what it
misses; building an app in production with unsafe settings fails however it is started."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from capacity.settings import CapacitySettings
from common.settings import ProductionRefused, SecretFileError
from intake.settings import IntakeSettings
from matching.settings import MatchingSettings

PRODUCTION = {
    "REGIEPUNT_ENV": "production",
    "REGIEPUNT_OIDC_ISSUER": "https://login.example/realms/haaglanden",
    "REGIEPUNT_SERVICE_CLIENT_ID": "regiepunt-capacity",
    "REGIEPUNT_SERVICE_CLIENT_SECRET": "secret-of-capacity",
    "REGIEPUNT_INTAKE_CLIENT_ID": "regiepunt-intake",
    "REGIEPUNT_MATCHING_CLIENT_ID": "regiepunt-matching",
}


@pytest.fixture(autouse=True)
def no_settings_of_the_test_run(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("REGIEPUNT_") and not name.startswith("REGIEPUNT_TEST_"):
            monkeypatch.delenv(name)


def test_a_secret_file_gives_the_secret_without_its_trailing_newline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "client-key").write_text("key-from-a-mounted-secret\n")
    (tmp_path / "jwt").write_text("jwt-from-a-file\r\n")
    monkeypatch.setenv("REGIEPUNT_CLIENT_KEY_SECRET_FILE", str(tmp_path / "client-key"))
    monkeypatch.setenv("REGIEPUNT_JWT_SECRET_FILE", str(tmp_path / "jwt"))
    settings = IntakeSettings()
    assert settings.client_key_secret == "key-from-a-mounted-secret"
    assert settings.jwt_secret == "jwt-from-a-file"


def test_a_secret_file_beside_the_secret_or_unreadable_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REGIEPUNT_SERVICE_CLIENT_SECRET_FILE", str(tmp_path / "absent"))
    with pytest.raises(SecretFileError, match="cannot be read"):
        CapacitySettings()
    (tmp_path / "present").write_text("s\n")
    monkeypatch.setenv("REGIEPUNT_SERVICE_CLIENT_SECRET_FILE", str(tmp_path / "present"))
    monkeypatch.setenv("REGIEPUNT_SERVICE_CLIENT_SECRET", "also-here")
    with pytest.raises(SecretFileError, match="both set"):
        CapacitySettings()


def test_development_needs_nothing() -> None:
    for settings in (CapacitySettings(), MatchingSettings(), IntakeSettings()):
        assert settings.env == "development"
        assert settings.production_problems() == []


def test_production_names_everything_it_misses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGIEPUNT_ENV", "production")
    problems = "; ".join(MatchingSettings().production_problems())
    for missing in ("REGIEPUNT_OIDC_ISSUER", "REGIEPUNT_SERVICE_CLIENT_ID", "REGIEPUNT_INTAKE_CLIENT_ID"):
        assert missing in problems
    for name, value in PRODUCTION.items():
        monkeypatch.setenv(name, value)
    assert CapacitySettings().production_problems() == []
    monkeypatch.setenv("REGIEPUNT_SESSION_SECRET", "regiepunt-development-session-secret")
    problems = "; ".join(IntakeSettings().production_problems())
    assert "REGIEPUNT_CLIENT_KEY_SECRET is unset or a development value" in problems
    assert "REGIEPUNT_SESSION_SECRET is unset or a development value" in problems


def test_an_app_built_in_production_with_unsafe_settings_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    from capacity.main import create_app

    for name, value in PRODUCTION.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("REGIEPUNT_JWT_SECRET", "shared")
    with pytest.raises(ProductionRefused, match="production does not accept the shared HS256 secret"):
        create_app()
    monkeypatch.delenv("REGIEPUNT_JWT_SECRET")
    assert create_app().state.settings.production


def test_the_token_helper_mints_nothing_in_production(monkeypatch: pytest.MonkeyPatch) -> None:
    from common.tokens import main as mint_from_command_line

    monkeypatch.setenv("REGIEPUNT_ENV", "production")
    with pytest.raises(SystemExit) as stopped:
        mint_from_command_line(["--role", "coordinator"])
    assert stopped.value.code == 2
