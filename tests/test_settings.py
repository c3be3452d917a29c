"""Settings come from TANYAPEMILU_* variables and fail at start with one clear line."""

from __future__ import annotations

import pytest

from knowledge_base.core.settings import ConfigurationError, load_settings


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env from the working tree
    for name in ("DATABASE_URL", "TIMEZONE", "TELEGRAM_TOKEN", "API_PORT", "LOG_LEVEL"):
        monkeypatch.delenv(f"TANYAPEMILU_{name}", raising=False)


def test_defaults_use_a_local_sqlite_file_and_jakarta_time() -> None:
    settings = load_settings()

    assert settings.database_url == "sqlite:///data/tanyapemilu.db"
    assert settings.timezone == "Asia/Jakarta"
    assert not settings.telegram_enabled


def test_values_are_read_from_prefixed_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TANYAPEMILU_TELEGRAM_TOKEN", "123:abc")
    monkeypatch.setenv("TANYAPEMILU_LOG_LEVEL", "debug")

    settings = load_settings()

    assert settings.telegram_enabled
    assert settings.log_level == "DEBUG"


def test_values_are_read_from_a_dotenv_file(tmp_path) -> None:
    (tmp_path / ".env").write_text("TANYAPEMILU_OFFICE_NAME=KPU Kota Padang\n")

    assert load_settings().office_name == "KPU Kota Padang"


def test_unknown_time_zone_fails_with_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TANYAPEMILU_TIMEZONE", "Mars/Olympus")

    with pytest.raises(ConfigurationError) as error:
        load_settings()

    message = str(error.value)
    assert "TANYAPEMILU_TIMEZONE" in message
    assert "\n" not in message


def test_invalid_port_fails_naming_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TANYAPEMILU_API_PORT", "not-a-port")

    with pytest.raises(ConfigurationError, match="TANYAPEMILU_API_PORT"):
        load_settings()


def test_unsupported_database_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TANYAPEMILU_DATABASE_URL", "mysql://root@localhost/x")

    with pytest.raises(ConfigurationError, match="TANYAPEMILU_DATABASE_URL"):
        load_settings()


def test_admin_bootstrap_needs_both_username_and_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TANYAPEMILU_ADMIN_USERNAME", "admin")

    with pytest.raises(ConfigurationError, match="ADMIN_PASSWORD"):
        load_settings()
