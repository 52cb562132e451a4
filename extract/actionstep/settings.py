"""Connection settings from the environment or a `.env` file; secrets never leave this object."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROD_TOKEN_URL = "https://api.actionstep.com/api/oauth/token"
ENV_KEYS = (
    "ACTIONSTEP_API_URL",
    "ACTIONSTEP_TOKEN_URL",
    "ACTIONSTEP_ACCESS_TOKEN",
    "ACTIONSTEP_REFRESH_TOKEN",
    "ACTIONSTEP_CLIENT_ID",
    "ACTIONSTEP_CLIENT_SECRET",
)


class ConfigError(RuntimeError):
    """Settings missing or unusable; the message says which variable to set."""


@dataclass(frozen=True)
class ConnectionSettings:
    api_url: str | None
    token_url: str
    access_token: str | None = field(default=None, repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)

    @classmethod
    def from_env(
        cls, env: dict[str, str] | None = None, dotenv: Path = Path(".env")
    ) -> ConnectionSettings:
        values = {**read_dotenv(dotenv), **(os.environ if env is None else env)}
        settings = cls(
            api_url=values.get("ACTIONSTEP_API_URL") or None,
            token_url=values.get("ACTIONSTEP_TOKEN_URL") or PROD_TOKEN_URL,
            access_token=values.get("ACTIONSTEP_ACCESS_TOKEN") or None,
            refresh_token=values.get("ACTIONSTEP_REFRESH_TOKEN") or None,
            client_id=values.get("ACTIONSTEP_CLIENT_ID") or None,
            client_secret=values.get("ACTIONSTEP_CLIENT_SECRET") or None,
        )
        settings.check()
        return settings

    def check(self) -> None:
        if not (self.access_token or self.refresh_token):
            raise ConfigError(
                "no Actionstep credentials: set ACTIONSTEP_ACCESS_TOKEN and/or "
                "ACTIONSTEP_REFRESH_TOKEN (environment or .env)"
            )
        if self.refresh_token and not (self.client_id and self.client_secret):
            raise ConfigError(
                "refreshing needs ACTIONSTEP_CLIENT_ID and ACTIONSTEP_CLIENT_SECRET "
                "(environment or .env)"
            )
        if self.access_token and not self.refresh_token and not self.api_url:
            raise ConfigError(
                "with an access token only, ACTIONSTEP_API_URL must say where the API is"
            )


def read_dotenv(path: Path) -> dict[str, str]:
    """KEY=VALUE lines; '#' comments; optional quotes. Only ACTIONSTEP_* keys are taken."""
    if not path.is_file():
        return {}
    values = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.removeprefix("export ").partition("=")
        key, value = key.strip(), value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        if key in ENV_KEYS:
            values[key] = value
    return values


def rest_base(api_url: str) -> str:
    """`https://host/api/` (as the token answer gives it) or `.../api/rest/` -> `.../api/rest/`."""
    base = api_url.rstrip("/") + "/"
    return base if base.endswith("/rest/") else base + "rest/"
