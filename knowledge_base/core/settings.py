"""The one configuration object, read from ``TANYAPEMILU_*`` environment variables or ``.env``."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
DEVELOPMENT_SECRET = "development-only-secret-change-me"
MIN_PASSWORD_CHARS = 10  # the same rule as accounts created through the API and the CLI


def is_strong_secret(secret: str) -> bool:
    """Whether ``secret`` can sign production tokens: long, unpadded and not repetitive."""
    return (
        secret != DEVELOPMENT_SECRET
        and secret == secret.strip()
        and len(secret) >= 32
        and len(set(secret)) >= 10
    )


class Settings(BaseSettings):
    """Everything an office can configure; defaults run a local SQLite install."""

    model_config = SettingsConfigDict(
        env_prefix="TANYAPEMILU_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    database_url: str = "sqlite:///data/tanyapemilu.db"
    cache_dir: Path = Path("data/cache")
    timezone: str = "Asia/Jakarta"
    log_level: LogLevel = "INFO"

    telegram_token: SecretStr | None = None
    telegram_base_url: str = "https://api.telegram.org/bot"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    # Outgoing rate limits (Telegram allows about 30 messages/s overall, 20/min per group).
    telegram_overall_rate: float = Field(default=30.0, ge=0)
    telegram_group_rate: float = Field(default=20.0, ge=0)
    # The Telegram group where escalations are posted (else the one an admin chose with
    # /jadikangrupstaf; none: no staff group).
    staff_chat_id: int | None = Field(default=None, ge=-(2**62), le=2**62)
    broadcast_rate: float = Field(default=25.0, gt=0)  # announcement messages per second
    # An outbox message claimed longer than this by a sender that stopped renewing (it died)
    # is sent by the next one.
    outbox_lease_seconds: float = Field(default=15.0, ge=1)
    # An announcement missed while no process was running is still sent within this window.
    announcement_grace_minutes: int = Field(default=60, ge=0)
    scheduler_sync_seconds: float = Field(default=30.0, gt=0)
    flood_burst: int = Field(default=8, ge=1)
    flood_window_seconds: float = Field(default=10.0, gt=0)
    question_retention_days: int = Field(default=365, ge=1)
    escalation_similarity: float = Field(default=85.0, ge=0, le=100)
    response_due_working_days: int = Field(default=2, ge=1)

    # Matcher decision thresholds on the combined 0-100 score (README: "How a question is answered").
    answer_threshold: float = Field(default=60.0, ge=0, le=100)
    answer_margin: float = Field(default=10.0, ge=0, le=100)
    suggest_threshold: float = Field(default=45.0, ge=0, le=100)
    # The learned ranking model (README: "How a question is answered"). Off: the score rule only.
    ranking_model: bool = True
    # Retrain in a background thread when the published entries no longer match the model.
    retrain_in_background: bool = True
    # Answer when P(top entry is right) >= this; unset: the threshold chosen in training for
    # the wrong-answer budget below.
    answer_confidence: float | None = Field(default=None, ge=0, le=1)
    wrong_answer_budget: float = Field(default=0.02, gt=0, le=0.5)
    # Share of citizens' questions whose best-ranked entry is right; moves the folds' harder
    # mix of questions to citizens' (label shift) when the threshold is chosen.
    expected_top_right: float = Field(default=0.9, gt=0, lt=1)
    max_question_chars: int = Field(default=1000, ge=50)

    api_host: str = "127.0.0.1"
    api_port: int = Field(default=8000, ge=1, le=65535)

    admin_username: str | None = None
    admin_password: SecretStr | None = None

    # Staff API auth. "production" refuses to start with the development secret.
    environment: Literal["development", "production"] = "development"
    secret_key: SecretStr = SecretStr(DEVELOPMENT_SECRET)
    access_token_minutes: int = Field(default=30, ge=1, le=24 * 60)
    # Longest life of a staff console session (signed cookie); logging out ends it sooner.
    console_session_hours: int = Field(default=12, ge=1, le=7 * 24)
    # Failed logins allowed within the window: per (username, address) pair, per address
    # across usernames, and per username across every address (the ceiling).
    login_attempts: int = Field(default=5, ge=1)
    login_address_attempts: int = Field(default=20, ge=1)
    login_account_ceiling: int = Field(default=50, ge=1)
    login_window_seconds: float = Field(default=300.0, gt=0)
    # Addresses of reverse proxies whose X-Forwarded-For is believed (comma-separated IPs or
    # networks); empty: the TCP peer is the client.
    trusted_proxies: str = ""
    # Level of third-party loggers (python-telegram-bot, httpx, uvicorn, ...): at DEBUG they
    # print raw updates, so they stay at WARNING unless this says otherwise.
    library_log_level: LogLevel = "WARNING"

    # The office's areas and category labels; default: knowledge_base/content/office.yaml.
    office_content_file: Path | None = None
    office_name: str = "KPU Kota Sawahlunto"
    # The street address of KPU Kota Sawahlunto could not be confirmed from a public source, so the
    # default names the place and points to the website; it is a noun phrase, because answers
    # insert it after "Alamat:" or "di" (tests/test_office_content.py).
    office_address: str = (
        "Kota Sawahlunto, Sumatera Barat; alamat lengkap tercantum di laman resmi kantor"
    )
    office_phone: str = "tercantum di laman resmi kantor"
    office_website: str = "https://kota-sawahlunto.kpu.go.id"

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("log_level", "library_log_level", mode="before")
    @classmethod
    def _upper_log_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("trusted_proxies")
    @classmethod
    def _proxy_addresses(cls, value: str) -> str:
        for item in (part.strip() for part in value.split(",")):
            if item:
                try:
                    ipaddress.ip_network(item, strict=False)
                except ValueError as exc:
                    raise ValueError(f"{item!r} is not an IP address or network") from exc
        return value

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        if not value.startswith(("sqlite:", "postgresql")):
            raise ValueError("only sqlite:/// and postgresql+psycopg:// URLs are supported")
        try:
            make_url(value).get_dialect()
        except (ArgumentError, NoSuchModuleError) as exc:
            raise ValueError(
                "not a database URL (e.g. sqlite:///data/tanyapemilu.db or "
                "postgresql+psycopg://user@host/db)"
            ) from exc
        return value

    @field_validator("telegram_base_url")
    @classmethod
    def _http_base_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(
                "must be an http:// or https:// URL such as https://api.telegram.org/bot"
            )
        return value

    @model_validator(mode="after")
    def _thresholds_ordered(self) -> Settings:
        if self.suggest_threshold > self.answer_threshold:
            raise ValueError("TANYAPEMILU_SUGGEST_THRESHOLD must not exceed ANSWER_THRESHOLD")
        return self

    @model_validator(mode="after")
    def _production_has_a_real_secret(self) -> Settings:
        secret = self.secret_key.get_secret_value()
        if self.environment == "production" and not is_strong_secret(secret):
            raise ValueError(
                "set TANYAPEMILU_SECRET_KEY in production: 32+ characters, no surrounding "
                "spaces, at least 10 different characters (e.g. from `openssl rand -hex 32`)"
            )
        return self

    @model_validator(mode="after")
    def _webhook_has_secret(self) -> Settings:
        if self.webhook_url and not self.webhook_secret:
            raise ValueError("TANYAPEMILU_WEBHOOK_URL needs TANYAPEMILU_WEBHOOK_SECRET")
        return self

    @model_validator(mode="after")
    def _admin_bootstrap_complete(self) -> Settings:
        if (self.admin_username is None) != (self.admin_password is None):
            raise ValueError("set both TANYAPEMILU_ADMIN_USERNAME and TANYAPEMILU_ADMIN_PASSWORD")
        if self.admin_username is not None and not self.admin_username.strip():
            raise ValueError("TANYAPEMILU_ADMIN_USERNAME is empty")
        password = None if self.admin_password is None else self.admin_password.get_secret_value()
        if password is not None and len(password.strip()) < MIN_PASSWORD_CHARS:
            raise ValueError(
                f"TANYAPEMILU_ADMIN_PASSWORD must have at least {MIN_PASSWORD_CHARS} characters"
            )
        return self

    @property
    def trusted_proxy_list(self) -> list[str]:
        """The addresses in ``trusted_proxies``."""
        return [item.strip() for item in self.trusted_proxies.split(",") if item.strip()]

    @field_validator("office_content_file")
    @classmethod
    def _office_file_exists(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"no such file: {value}")
        return value

    @property
    def zone(self) -> ZoneInfo:
        """The office's time zone as a ``ZoneInfo``."""
        return ZoneInfo(self.timezone)

    @property
    def telegram_enabled(self) -> bool:
        """Whether a Telegram token is configured."""
        return self.telegram_token is not None and bool(self.telegram_token.get_secret_value())


class ConfigurationError(Exception):
    """Settings could not be loaded; the message is one line naming the bad variable."""


def describe_validation_error(error: ValidationError) -> str:
    """Turn a pydantic error into one line such as ``TANYAPEMILU_API_PORT: ...``."""
    parts = []
    for detail in error.errors():
        field = "_".join(str(loc) for loc in detail["loc"]).upper()
        name = f"TANYAPEMILU_{field}" if field else "settings"
        parts.append(f"{name}: {detail['msg']}")
    return "; ".join(parts)


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment, raising ``ConfigurationError`` with one clear line."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise ConfigurationError(describe_validation_error(exc)) from exc
