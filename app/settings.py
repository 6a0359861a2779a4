"""Configuration from the environment (and nothing else)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, TypeAdapter, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict, SettingsError

DEFAULT_DB = Path("data/summit.db")
ORIGIN = re.compile(r"https?://[^/\s:,]+(:[0-9]{1,5})?")


class ConfigurationError(ValueError):
    """A setting has a value the service cannot run with; the message is one line naming
    the variable."""


class Settings(BaseSettings):
    """Every knob of the service; each is read from an environment variable of the same name."""

    model_config = SettingsConfigDict(env_prefix="", case_sensitive=False, extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{DEFAULT_DB}",
        description="sqlite:///relative/path.db or sqlite:////absolute/path.db",
    )
    cache_max_age: int = Field(default=300, ge=0, description="Cache-Control max-age, seconds")
    cache_stale_while_revalidate: int = Field(default=60, ge=0)
    response_cache_entries: int = Field(
        default=4096, ge=0, description="Response cache bound in entries; 0 stores nothing"
    )
    # 4 MiB holds every item, every collection's first page and the docs' assets, gzipped;
    # with it one worker stays under 64 MiB RSS (bench/README.md).
    response_cache_bytes: int = Field(
        default=4 * 1024 * 1024, ge=0, description="Response cache bound in bytes"
    )
    database_sha256: str | None = Field(
        default=None,
        pattern=r"^[0-9a-fA-F]{64}$",
        description="Serve the file only if its bytes have this sha256 (summit-api serve "
        "sets it for its workers)",
    )
    public_url: str | None = Field(
        default=None,
        pattern=r"^https?://[^/\s?#]+(/[^\s?#]*)?$",
        description="The API's public base URL (https://api.example.org): what "
        "`links=absolute` makes CSV links absolute with; unset, it answers 400",
    )
    # On for `summit-api serve` (a JSON line per request on stdout); bench/ turns it off.
    access_log: bool = Field(
        default=True, description="One JSON access-log line per request (logger summit.access)"
    )
    # Comma-separated (`https://a.example,https://b.example`) or a JSON list.
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=lambda: ["*"])

    # `summit-api serve`: bounds for a server that may face clients directly (README,
    # "Deployment"). Idle connections count against limit_concurrency, so clients that
    # hoard connections get 503s instead of a server that stops accepting.
    workers: int = Field(default=1, ge=1, description="uvicorn worker processes")
    limit_concurrency: int = Field(
        default=512, ge=1, description="Connections + tasks per worker beyond which: 503"
    )
    timeout_keep_alive: int = Field(
        default=5, ge=1, description="Seconds an idle keep-alive connection is kept"
    )
    backlog: int = Field(default=2048, ge=1, description="Listen queue of unaccepted connections")

    @field_validator("database_url")
    @classmethod
    def _sqlite_only(cls, value: str) -> str:
        if not value.startswith("sqlite:///"):
            raise ValueError("DATABASE_URL must be a sqlite:/// URL")
        return value

    @field_validator("public_url")
    @classmethod
    def _no_trailing_slash(cls, value: str | None) -> str | None:
        return value.rstrip("/") if value is not None else None

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _origins(cls, value: Any) -> Any:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return ORIGIN_LIST.validate_json(text)
            return [part.strip() for part in text.split(",") if part.strip()]
        return value

    @field_validator("cors_origins")
    @classmethod
    def _each_origin(cls, value: list[str]) -> list[str]:
        for origin in value:
            if origin != "*" and not ORIGIN.fullmatch(origin):
                raise ValueError(
                    f"{origin!r} is not an origin: give '*' or scheme://host[:port], "
                    "comma-separated"
                )
        return value

    @property
    def database_path(self) -> Path:
        """The database file named by DATABASE_URL."""
        return Path(self.database_url.removeprefix("sqlite:///"))


ORIGIN_LIST: TypeAdapter[list[str]] = TypeAdapter(list[str])


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment (and `overrides`), or a ConfigurationError naming the
    first bad variable, its value and what it takes."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]).upper() if error["loc"] else "a setting"
        message = str(error["msg"]).removeprefix("Value error, ")
        raise ConfigurationError(
            f"{name}={error.get('input')!r}: {message}; fix the environment variable {name}"
        ) from None
    except SettingsError as exc:
        raise ConfigurationError(f"{exc}; fix that environment variable") from None
