"""The local Actionstep API as a hand-written ASGI app (no framework: every quirk is explicit)."""

from __future__ import annotations

import asyncio
import json
import logging
import math
import random
import secrets
import time
from collections import Counter, OrderedDict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from legal2odoo_sandbox.actionstep.limits import FaultSpec, TokenBucket
from legal2odoo_sandbox.actionstep.query import (
    Condition,
    QueryError,
    field_value,
    matches,
    parse_conditions,
    sort_key,
    sparse,
)
from legal2odoo_sandbox.actionstep.schema import (
    LINK_TYPES,
    ORGKEY,
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_REFRESH_TOKEN,
)
from legal2odoo_sandbox.actionstep.store import FirmStore, ResourceFile

log = logging.getLogger(__name__)
CHUNK = 5 * 1024 * 1024
MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
JSON_API = b"application/vnd.api+json"
Send = Callable[[dict[str, Any]], Awaitable[None]]
Receive = Callable[[], Awaitable[dict[str, Any]]]


@dataclass
class Grant:
    user: str
    expires_at: float
    scopes: frozenset[str]


@dataclass
class Settings:
    """How this fake behaves; defaults are a well-behaved server."""

    rate_per_minute: float | None = None
    retry_after: bool = True
    faults: FaultSpec = field(default_factory=FaultSpec)
    token_ttl: float = 3600.0
    scopes: frozenset[str] = frozenset({"all"})
    rotate_refresh: bool = True
    seed: int = 0
    client_id: str = SANDBOX_CLIENT_ID
    client_secret: str = SANDBOX_CLIENT_SECRET


class Reply(Exception):
    """Short-circuit a request with a status and a JSON error body."""

    def __init__(self, status: int, message: str, headers: Iterable[tuple[bytes, bytes]] = ()):
        super().__init__(message)
        self.status = status
        self.headers = list(headers)


class ActionstepApp:
    """Serve `<firm>/actionstep/*.jsonl` the way api.actionstep.com serves a firm."""

    def __init__(
        self,
        firm_dir: Path,
        settings: Settings | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings or Settings()
        self.store = FirmStore(Path(firm_dir) / "actionstep")
        self.clock = clock
        self.rng = random.Random(self.settings.seed)
        self.grants: dict[str, Grant] = {}
        self.refresh_tokens: dict[str, str] = {SANDBOX_REFRESH_TOKEN: "admin"}
        self.buckets: dict[str, TokenBucket] = {}
        self.stats: Counter[str] = Counter()
        self._query_cache: OrderedDict[tuple, list[int]] = OrderedDict()

    # ------------------------------------------------------------------ tokens for tests

    def issue_token(self, user: str = "admin", ttl: float | None = None) -> tuple[str, str]:
        """An access and refresh token as if the user had consented (tests, demos)."""
        access, refresh = secrets.token_hex(16), secrets.token_hex(16)
        expires = self.clock() + (self.settings.token_ttl if ttl is None else ttl)
        self.grants[access] = Grant(user, expires, self.settings.scopes)
        self.refresh_tokens[refresh] = user
        return access, refresh

    # ------------------------------------------------------------------ ASGI entry

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        started = time.perf_counter()
        path: str = scope["path"]
        params = parse_qsl(scope.get("query_string", b"").decode(), keep_blank_values=True)
        try:
            if path == "/api/oauth/token" and scope["method"] == "POST":
                await self._token(scope, receive, send)
            elif path == "/api/oauth/authorize":
                await self._authorize(params, send)
            elif path.startswith("/api/rest/"):
                await self._rest(scope, path[len("/api/rest/") :], params, send, started)
            else:
                raise Reply(404, f"no route {path}")
        except Reply as reply:
            self.stats[f"status:{reply.status}"] += 1
            body = json.dumps({"status": reply.status, "message": str(reply)}).encode()
            await _respond(send, reply.status, body, extra=reply.headers)

    # ------------------------------------------------------------------ OAuth

    async def _authorize(self, params: list[tuple[str, str]], send: Send) -> None:
        query = dict(params)
        if query.get("client_id") != self.settings.client_id or "redirect_uri" not in query:
            raise Reply(400, "unknown client_id or missing redirect_uri")
        code = secrets.token_hex(8)
        self.refresh_tokens[f"code:{code}"] = "admin"
        target = (
            f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query.get('state', '')})}"
        )
        await _respond(send, 302, b"", extra=[(b"location", target.encode())])

    async def _token(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        form = dict(parse_qsl((await _read_body(receive)).decode()))
        if (form.get("client_id"), form.get("client_secret")) != (
            self.settings.client_id,
            self.settings.client_secret,
        ):
            raise Reply(401, "invalid_client")
        grant = form.get("grant_type")
        if grant == "refresh_token":
            key = form.get("refresh_token", "")
        elif grant == "authorization_code":
            key = f"code:{form.get('code', '')}"
        else:
            raise Reply(400, "unsupported_grant_type")
        user = self.refresh_tokens.get(key)
        if user is None:
            raise Reply(400, "invalid_grant")
        if self.settings.rotate_refresh or key.startswith("code:"):
            del self.refresh_tokens[key]
        access, refresh = self.issue_token(user)
        if not self.settings.rotate_refresh and not key.startswith("code:"):
            del self.refresh_tokens[refresh]
            refresh = key
        self.stats["token"] += 1
        body = {
            "access_token": access,
            "token_type": "bearer",
            "expires_in": int(self.settings.token_ttl),
            "refresh_token": refresh,
            "api_endpoint": f"{_base_url(scope)}api/",
            "orgkey": ORGKEY,
        }
        await _respond(send, 200, json.dumps(body).encode(), content_type=b"application/json")

    def _authenticate(self, scope: dict[str, Any]) -> Grant:
        header = _header(scope, b"authorization")
        token = header[7:] if header.lower().startswith("bearer ") else ""
        grant = self.grants.get(token)
        if grant is None or grant.expires_at <= self.clock():
            self.grants.pop(token, None)
            raise Reply(401, "invalid or expired access token", [(b"www-authenticate", b"Bearer")])
        return grant

    # ------------------------------------------------------------------ REST

    async def _rest(
        self,
        scope: dict[str, Any],
        rest_path: str,
        params: list[tuple[str, str]],
        send: Send,
        started: float,
    ) -> None:
        resource, _, ids = rest_path.partition("/")
        self.stats["requests"] += 1
        self.stats[f"GET {resource}"] += 1
        grant = self._authenticate(scope)
        if not ({"all", resource} & grant.scopes):
            raise Reply(403, f"insufficient_scope: {resource} was not granted")
        self._pace(grant.user)
        fault = self.settings.faults.draw(self.rng)
        if fault == "too_many":
            self.stats["injected:429"] += 1
            raise Reply(429, "Too Many Requests", self._retry_after(1.0))
        if fault == "server_error":
            self.stats["injected:5xx"] += 1
            raise Reply(self.rng.choice((500, 502, 503)), "internal error (injected)")
        if fault == "slow":
            await asyncio.sleep(self.settings.faults.slow_seconds)
        if resource == "files":
            status, body, ctype = self._file_part(ids, params)
        else:
            status, body = self._resource(scope, resource, ids, params, started)
            ctype = JSON_API
        self.stats[f"status:{status}"] += 1
        if fault == "reset" and body:
            self.stats["injected:reset"] += 1
            await _reset_midway(send, status, body, ctype)
        if fault == "truncate" and body:
            self.stats["injected:truncate"] += 1
            body = body[: max(1, len(body) // 2)]
        await _respond(send, status, body, content_type=ctype)

    def _pace(self, user: str) -> None:
        if self.settings.rate_per_minute is None:
            return
        bucket = self.buckets.get(user)
        if bucket is None:
            bucket = self.buckets[user] = TokenBucket(self.settings.rate_per_minute, self.clock)
        wait = bucket.take()
        if wait:
            self.stats["limited:429"] += 1
            raise Reply(429, "Too Many Requests", self._retry_after(wait))

    def _retry_after(self, seconds: float) -> list[tuple[bytes, bytes]]:
        if not self.settings.retry_after:
            return []
        return [(b"retry-after", str(max(1, math.ceil(seconds))).encode())]

    def _file_part(self, ident: str, params: list[tuple[str, str]]) -> tuple[int, bytes, bytes]:
        document_id = ident.rsplit("::", 1)[-1]
        path = self.store.file_path(document_id)
        if not ident.startswith("DL::") or path is None:
            raise Reply(404, f"no file {ident}")
        part = _int_param(dict(params), "part_number", 1)
        size = path.stat().st_size
        parts = max(1, math.ceil(size / CHUNK))
        if not 1 <= part <= parts:
            raise Reply(400, f"part_number must be 1..{parts}")
        with path.open("rb") as handle:
            handle.seek((part - 1) * CHUNK)
            return 200, handle.read(CHUNK), b"application/octet-stream"

    def _resource(
        self,
        scope: dict[str, Any],
        resource: str,
        ids: str,
        params: list[tuple[str, str]],
        started: float,
    ) -> tuple[int, bytes]:
        if resource not in LINK_TYPES:
            raise Reply(404, f"unknown resource {resource!r} (names are case-sensitive)")
        data = self.store.get(resource)
        if data is None:
            return 204, b""
        query = dict(params)
        fields = _fields(query, resource)
        try:
            if ids:
                positions = self._by_ids(data, ids)
                page, page_size = 1, max(1, len(positions))
            else:
                positions = self._select(resource, data, params, query.get("sort"))
                page = _int_param(query, "page", 1)
                page_size = min(_int_param(query, "pageSize", DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE)
        except QueryError as error:
            raise Reply(400, str(error)) from error
        total = len(positions)
        page_count = math.ceil(total / page_size) if total else 0
        if total == 0 or page < 1 or page > page_count:
            return 204, b""
        chosen = positions[(page - 1) * page_size : page * page_size]
        paging = {
            "recordCount": total,
            "pageCount": page_count,
            "page": page,
            "pageSize": page_size,
            "prevPage": _page_url(scope, params, page - 1) if page > 1 else None,
            "nextPage": _page_url(scope, params, page + 1) if page < page_count else None,
        }
        return 200, self._envelope(scope, resource, data, chosen, fields, query, paging, started)

    def _by_ids(self, data: ResourceFile, ids: str) -> list[int]:
        found = [p for p in (data.position(i) for i in ids.split(",")) if p is not None]
        if not found:
            raise Reply(404, f"no record with id {ids}")
        return found

    def _select(
        self, resource: str, data: ResourceFile, params: list[tuple[str, str]], sort: str | None
    ) -> list[int]:
        conditions = parse_conditions(params)
        if not conditions and sort in (None, "id", "-id"):
            order = range(len(data))  # files are written in id order
            return list(reversed(order)) if sort == "-id" else order  # type: ignore[return-value]
        key = (resource, data.version, tuple(conditions), sort)
        cached = self._query_cache.get(key)
        if cached is not None:
            self._query_cache.move_to_end(key)
            return cached
        positions = self._scan(resource, data, conditions, sort)
        self._query_cache[key] = positions
        if len(self._query_cache) > 32:
            self._query_cache.popitem(last=False)
        return positions

    def _scan(
        self, resource: str, data: ResourceFile, conditions: list[Condition], sort: str | None
    ) -> list[int]:
        self._check_names(resource, data, conditions, sort)
        linked_cache: dict[tuple[str, str], dict[str, Any] | None] = {}
        keyed: list[tuple[Any, int]] = []
        attribute = (sort or "id").lstrip("-")
        for pos in range(len(data)):
            record = data.record(pos)
            if all(self._holds(record, c, resource, linked_cache) for c in conditions):
                keyed.append((sort_key(record, attribute) if sort else pos, pos))
        if sort and attribute != "id":
            keyed.sort(key=lambda item: item[0], reverse=sort.startswith("-"))
        elif sort == "-id":
            keyed.reverse()
        return [pos for _, pos in keyed]

    def _check_names(
        self, resource: str, data: ResourceFile, conditions: list[Condition], sort: str | None
    ) -> None:
        if not len(data):
            return
        sample = data.record(0)
        names = [c.attribute for c in conditions if c.via_link is None]
        names += [sort.lstrip("-")] if sort else []
        for name in names:
            if not field_value(sample, name)[0]:
                raise QueryError(f"unknown attribute {name!r} on {resource} (case-sensitive)")
        for condition in conditions:
            if condition.via_link and condition.via_link not in LINK_TYPES[resource]:
                raise QueryError(f"unknown link {condition.via_link!r} on {resource}")

    def _holds(
        self,
        record: dict[str, Any],
        condition: Condition,
        resource: str,
        cache: dict[tuple[str, str], dict[str, Any] | None],
    ) -> bool:
        if condition.via_link is None:
            return matches(
                field_value(record, condition.attribute)[1], condition.op, condition.value
            )
        target = LINK_TYPES[resource][condition.via_link]
        linked = field_value(record, condition.via_link)[1]
        for link_id in linked if isinstance(linked, list) else [linked]:
            if link_id is None:
                continue
            other = self._linked_record(target, str(link_id), cache)
            if other and matches(
                field_value(other, condition.attribute)[1], condition.op, condition.value
            ):
                return True
        return False

    def _linked_record(
        self, target: str, link_id: str, cache: dict[tuple[str, str], dict[str, Any] | None]
    ) -> dict[str, Any] | None:
        key = (target, link_id)
        if key not in cache:
            data = self.store.get(target)
            pos = data.position(link_id) if data else None
            cache[key] = data.record(pos) if data and pos is not None else None
        return cache[key]

    def _envelope(
        self,
        scope: dict[str, Any],
        resource: str,
        data: ResourceFile,
        chosen: list[int] | range,
        fields: dict[str, list[str]],
        query: dict[str, str],
        paging: dict[str, Any],
        started: float,
    ) -> bytes:
        base = _base_url(scope)
        links = {
            f"{resource}.{name}": {
                "href": f"{base}api/rest/{target}/{{{resource}.{name}}}",
                "type": target,
            }
            for name, target in LINK_TYPES[resource].items()
        }
        include = [i for i in query.get("include", "").split(",") if i]
        own_fields = fields.get(resource)
        if own_fields is None and not include:  # fast path: the stored lines are the wire form
            lines = [data.line(p) for p in chosen]
            primary = lines[0] if len(lines) == 1 else b"[" + b",".join(lines) + b"]"
        else:
            records = [data.record(p) for p in chosen]
            shown = [sparse(r, own_fields) for r in records]
            primary = json.dumps(
                shown[0] if len(shown) == 1 else shown, ensure_ascii=False
            ).encode()
        parts = [b'{"links":', json.dumps(links).encode(), b',"', resource.encode(), b'":', primary]
        if include:
            linked = self._include(resource, [data.record(p) for p in chosen], include, fields)
            parts += [b',"linked":', json.dumps(linked, ensure_ascii=False).encode()]
        debug = {
            "requestTime": f"{time.perf_counter() - started:.6f}",
            "server": "sandbox",
            "rl": None,
        }
        meta = {"paging": {resource: paging}, "debug": debug}
        parts += [b',"meta":', json.dumps(meta).encode(), b"}"]
        return b"".join(parts)

    def _include(
        self,
        resource: str,
        records: list[dict[str, Any]],
        include: list[str],
        fields: dict[str, list[str]],
    ) -> dict[str, list[dict[str, Any]]]:
        linked: dict[str, dict[str, dict[str, Any]]] = {}
        for chain in include:
            self._follow(resource, records, chain.split("."), linked)
        return {
            kind: [sparse(r, fields.get(kind)) for r in by_id.values()]
            for kind, by_id in linked.items()
        }

    def _follow(
        self,
        resource: str,
        records: list[dict[str, Any]],
        chain: list[str],
        linked: dict[str, dict[str, dict[str, Any]]],
    ) -> None:
        name, rest = chain[0], chain[1:]
        target = LINK_TYPES.get(resource, {}).get(name)
        if target is None:
            raise Reply(
                400, f"cannot include {name!r} on {resource} (link names are case-sensitive)"
            )
        data = self.store.get(target)
        found = []
        for record in records:
            value = (record.get("links") or {}).get(name)
            for link_id in value if isinstance(value, list) else [value]:
                pos = data.position(str(link_id)) if data and link_id is not None else None
                if pos is not None:
                    other = data.record(pos)  # type: ignore[union-attr]
                    linked.setdefault(target, {})[str(other["id"])] = other
                    found.append(other)
        if rest and found:
            self._follow(target, found, rest, linked)


# ---------------------------------------------------------------------- helpers


def _fields(query: dict[str, str], resource: str) -> dict[str, list[str]]:
    out = {}
    for key, value in query.items():
        if key == "fields":
            out[resource] = value.split(",")
        elif key.startswith("fields[") and key.endswith("]"):
            out[key[7:-1]] = value.split(",")
    return out


def _int_param(query: dict[str, str], name: str, default: int) -> int:
    raw = query.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError as error:
        raise Reply(400, f"{name} must be an integer, got {raw!r}") from error
    if value < 1:
        raise Reply(400, f"{name} must be >= 1")
    return value


def _header(scope: dict[str, Any], name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return ""


def _base_url(scope: dict[str, Any]) -> str:
    host = _header(scope, b"host") or "localhost"
    return f"{scope.get('scheme', 'http')}://{host}/"


def _page_url(scope: dict[str, Any], params: list[tuple[str, str]], page: int) -> str:
    kept = [(k, v) for k, v in params if k != "page"] + [("page", str(page))]
    return f"{_base_url(scope)}{scope['path'].lstrip('/')}?{urlencode(kept)}"


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


async def _respond(
    send: Send,
    status: int,
    body: bytes,
    content_type: bytes = JSON_API,
    extra: Iterable[tuple[bytes, bytes]] = (),
) -> None:
    headers = [(b"content-length", str(len(body)).encode()), *extra]
    if body:
        headers.append((b"content-type", content_type))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _reset_midway(send: Send, status: int, body: bytes, content_type: bytes) -> None:
    """Promise the whole body, send half, drop the connection."""
    headers = [(b"content-length", str(len(body)).encode()), (b"content-type", content_type)]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True})
    raise ConnectionResetError("connection reset by peer (injected fault)")


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
