"""Configuration from the environment (and nothing else)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DB = Path("data/summit.db")


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
    cors_origins: list[str] = Field(default_factory=lambda: ["*"])

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

    @property
    def database_path(self) -> Path:
        """The database file named by DATABASE_URL."""
        return Path(self.database_url.removeprefix("sqlite:///"))
