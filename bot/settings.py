"""Configuration from the environment (and `.env`), loaded once and validated at start-up."""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache
from typing import Annotated, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.startup import StartupError
from models.db import DEFAULT_DATABASE_URL, parse_url
from reminders.worker import WorkerSettings


class SettingsError(StartupError):
    """One clear line naming the setting that is missing or malformed."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", env_ignore_empty=True)

    database_url: str = Field(DEFAULT_DATABASE_URL, validation_alias="DATABASE_URL")
    slack_bot_token: str | None = Field(None, pattern=r"^xoxb-", validation_alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str | None = Field(None, min_length=8, validation_alias="SLACK_SIGNING_SECRET")
    slack_app_token: str | None = Field(None, pattern=r"^xapp-", validation_alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field("https://slack.com/api/", pattern=r"^https?://", validation_alias="SLACK_API_URL")
    secretariat_channel: str | None = Field(
        None, pattern=r"^[CG][A-Z0-9]{2,}$", validation_alias="FRIST_SECRETARIAT_CHANNEL"
    )
    secretariat_email: str | None = Field(
        None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", validation_alias="FRIST_SECRETARIAT_EMAIL"
    )
    secretariat_language: Literal["nb", "nn"] = Field("nb", validation_alias="FRIST_SECRETARIAT_LANGUAGE")
    rate_per_minute: float = Field(300, gt=0, le=6000, validation_alias="FRIST_RATE_PER_MINUTE")
    rate_per_channel_per_second: float = Field(1.0, gt=0, le=50, validation_alias="FRIST_RATE_PER_CHANNEL_PER_SECOND")
    rate_lookups_per_minute: float = Field(50, gt=0, le=1000, validation_alias="FRIST_RATE_LOOKUPS_PER_MINUTE")
    retry_backoff_seconds: float = Field(30, gt=0, le=3600, validation_alias="FRIST_RETRY_BACKOFF_SECONDS")
    outbox_lease_seconds: float = Field(30, ge=1, le=600, validation_alias="FRIST_OUTBOX_LEASE_SECONDS")
    scheduler: bool = Field(True, validation_alias="FRIST_SCHEDULER")
    tick_seconds: float = Field(60, ge=1, le=3600, validation_alias="FRIST_TICK_SECONDS")
    secretariat_users: Annotated[frozenset[str], NoDecode] = Field(
        frozenset(), validation_alias="FRIST_SECRETARIAT_USERS"
    )
    letter_authority: str = Field("Statsforvalteren", max_length=200, validation_alias="FRIST_LETTER_AUTHORITY")
    letter_authority_nn: str | None = Field(None, max_length=200, validation_alias="FRIST_LETTER_AUTHORITY_NN")
    letter_department: str | None = Field(None, max_length=200, validation_alias="FRIST_LETTER_DEPARTMENT")
    letter_department_nn: str | None = Field(None, max_length=200, validation_alias="FRIST_LETTER_DEPARTMENT_NN")
    letter_address: str | None = Field(None, max_length=200, validation_alias="FRIST_LETTER_ADDRESS")
    appeal_body: str = Field("Utdanningsdirektoratet", max_length=200, validation_alias="FRIST_APPEAL_BODY")
    http_connection_limit: int = Field(500, ge=10, le=10_000, validation_alias="FRIST_HTTP_CONNECTION_LIMIT")
    http_idle_timeout: int = Field(15, ge=1, le=600, validation_alias="FRIST_HTTP_IDLE_TIMEOUT")
    http_queue_limit: int = Field(32, ge=0, le=10_000, validation_alias="FRIST_HTTP_QUEUE_LIMIT")

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        parse_url(value)
        return value

    @field_validator("secretariat_users", mode="before")
    @classmethod
    def _split_users(cls, value: object) -> object:
        if isinstance(value, str):
            users = [part.strip() for part in value.split(",") if part.strip()]
            bad = [user for user in users if user[:1] not in ("U", "W") or not user.isalnum()]
            if bad:
                raise ValueError(f"not Slack user ids (U…/W…): {', '.join(bad)}")
            return frozenset(users)
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        return value if value.endswith("/") else value + "/"

    @property
    def worker(self) -> WorkerSettings:
        """How this process sends outbox rows: its pace, its backoff and how long a claim lasts."""
        return WorkerSettings(
            per_minute=self.rate_per_minute,
            per_channel_per_second=self.rate_per_channel_per_second,
            backoff_seconds=self.retry_backoff_seconds,
            lease=timedelta(seconds=self.outbox_lease_seconds),
        )

    @property
    def mode(self) -> str:
        """socket, http or console: what `make run` starts."""
        if self.slack_bot_token and self.slack_app_token:
            return "socket"
        if self.slack_bot_token and self.slack_signing_secret:
            return "http"
        return "console"


ENV_NAMES = {
    name: (field.validation_alias if isinstance(field.validation_alias, str) else name.upper())
    for name, field in Settings.model_fields.items()
}


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        first = error.errors()[0]
        name = ENV_NAMES.get(str(first["loc"][0]), str(first["loc"][0]))
        # A validator's own ValueError says what was expected; pydantic would prefix "Value error, ".
        message = str(first["ctx"]["error"]) if first["type"] == "value_error" else first["msg"]
        raise SettingsError(f"configuration error: {name}: {message}") from None


@lru_cache(maxsize=1)
def settings() -> Settings:
    return load_settings()
