"""OAuth2 tokens: refresh before expiry and once on 401; the refresh token persisted 0600."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from pathlib import Path

import httpx

from legal2odoo.extract.actionstep.settings import ConnectionSettings

log = logging.getLogger(__name__)
EARLY_REFRESH_S = 60


class AuthError(RuntimeError):
    """No usable token; the message says what to do (never contains a secret)."""


def certificate_advice(url: str, error: BaseException) -> str | None:
    """The one line to show when `error` is a TLS certificate the machine does not trust
    (self-signed, a company proxy's CA), else None. httpx honours SSL_CERT_FILE."""
    text = f"{error} {error.__cause__ or ''} {error.__context__ or ''}"
    if "CERTIFICATE_VERIFY_FAILED" not in text and "certificate verify failed" not in text:
        return None
    host = httpx.URL(url).host
    return (
        f"the TLS certificate of {host} is not trusted (self-signed or signed by a private CA): "
        "set SSL_CERT_FILE to the CA bundle (PEM) that signed it, then run again"
    )


class TokenManager:
    def __init__(self, settings: ConnectionSettings, state_file: Path, http: httpx.AsyncClient):
        self.settings = settings
        self.state_file = state_file
        self.http = http
        self._lock = asyncio.Lock()
        stored = _load(state_file)
        self.access_token = settings.access_token
        self.expires_at: float | None = None  # unknown for a token given in the environment
        if not self.access_token and stored.get("expires_at", 0) > time.time() + EARLY_REFRESH_S:
            self.access_token, self.expires_at = stored.get("access_token"), stored["expires_at"]
        self.api_endpoint: str | None = stored.get("api_endpoint")
        # The stored token is newer than the environment's when the server rotates tokens.
        self._refresh_candidates = [
            t for t in (stored.get("refresh_token"), settings.refresh_token) if t
        ]
        self.refreshes = 0

    async def bearer(self) -> str:
        if self.access_token is None or (
            self.expires_at is not None and self.expires_at - time.time() < EARLY_REFRESH_S
        ):
            await self.refresh(stale=self.access_token)
        assert self.access_token is not None
        return self.access_token

    async def refresh(self, stale: str | None) -> None:
        async with self._lock:
            if self.access_token != stale:  # another task refreshed meanwhile
                return
            errors = []
            for candidate in list(dict.fromkeys(self._refresh_candidates)):
                answer = await self._exchange(candidate)
                if answer is not None:
                    self._accept(answer, candidate)
                    return
                errors.append(
                    "stored" if candidate != self.settings.refresh_token else "environment"
                )
            raise AuthError(
                "could not refresh the Actionstep access token (tried the "
                + " and ".join(errors or ["no"])
                + " refresh token). Re-authorise and set ACTIONSTEP_REFRESH_TOKEN."
            )

    async def _exchange(self, refresh_token: str) -> dict | None:
        form = {
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
            "client_id": self.settings.client_id or "",
            "client_secret": self.settings.client_secret or "",
        }
        try:
            response = await self.http.post(self.settings.token_url, data=form)
        except (httpx.TransportError, OSError) as error:
            advice = certificate_advice(self.settings.token_url, error)
            raise AuthError(
                advice or f"token endpoint {self.settings.token_url} unreachable: {error}"
            ) from None
        if response.status_code != 200:
            code = _oauth_error(response)
            if code == "invalid_client" or (response.status_code == 401 and code is None):
                # RFC 6749 5.2: the client id / secret, not the refresh token, was refused
                raise AuthError(
                    "Actionstep refused the client credentials (invalid_client): check "
                    "ACTIONSTEP_CLIENT_ID and ACTIONSTEP_CLIENT_SECRET (environment or .env) "
                    "against the app's settings in Actionstep"
                )
            log.warning("token refresh refused (HTTP %s)", response.status_code)
            return None
        return response.json()

    def _accept(self, answer: dict, used: str) -> None:
        self.access_token = answer["access_token"]
        self.expires_at = time.time() + float(answer.get("expires_in") or 3600)
        self.api_endpoint = answer.get("api_endpoint") or self.api_endpoint
        new_refresh = answer.get("refresh_token") or used  # keep the old one if none comes back
        self._refresh_candidates = [
            new_refresh,
            *(t for t in self._refresh_candidates if t != new_refresh),
        ]
        self.refreshes += 1
        self._save(new_refresh)
        log.info("refreshed the Actionstep access token (valid %ss)", answer.get("expires_in"))

    def _save(self, refresh_token: str) -> None:
        self.state_file.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "refresh_token": refresh_token,
            "access_token": self.access_token,
            "expires_at": self.expires_at,
            "api_endpoint": self.api_endpoint,
        }
        tmp = self.state_file.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(payload, handle)
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.state_file)


def _oauth_error(response: httpx.Response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body.get("error") if isinstance(body, dict) else None


def _load(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
