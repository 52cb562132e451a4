"""Odoo's import wizard (base_import) driven as the web client drives it, in a web session:
the file goes up through /base_import/set_file (the field holds raw bytes, which XML-RPC
cannot carry: a non-ASCII str is refused, xmlrpc Binary arrives as text), parse_preview
proposes the column mapping (over XML-RPC it cannot even answer: its matches have int keys)
and execute_import runs with the wizard's default options, Test (dry run) first."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

# The options the wizard sends (addons/base_import/static/src/import_model.js): encoding left
# empty (detected), separator guessed, 2,000-row batches.
WIZARD_OPTIONS: dict[str, Any] = {
    "encoding": "",
    "separator": "",
    "quoting": '"',
    "date_format": "",
    "datetime_format": "",
    "float_thousand_separator": ",",
    "float_decimal_separator": ".",
    "advanced": True,
    "has_headers": True,
    "keep_matches": False,
    "limit": 2000,
    "sheets": [],
    "sheet": "",
    "skip": 0,
    "tracking_disable": True,
    "import_skip_records": [],
    "import_set_empty_fields": [],
    "fallback_values": {},
    "name_create_enabled_fields": {},
}
CSRF = re.compile(r'csrf_token: "([^"]+)"')


class WizardError(AssertionError):
    """The wizard refused a file (its messages say why)."""


@dataclass
class Wizard:
    url: str
    db: str
    login: str
    password: str

    def __post_init__(self) -> None:
        self.web = httpx.Client(base_url=self.url, timeout=300)
        auth = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"db": self.db, "login": self.login, "password": self.password},
        }
        answer = self.web.post("/web/session/authenticate", json=auth).json()
        if answer.get("error"):
            raise WizardError(f"web login refused: {answer['error']}")
        page = self.web.get("/web").text
        found = CSRF.search(page)
        if not found:
            raise WizardError("no csrf token on /web")
        self.csrf = found.group(1)

    def close(self) -> None:
        self.web.close()

    def call(self, model: str, method: str, args: list, kwargs: dict | None = None) -> Any:
        """One ORM call as the web client makes it (/web/dataset/call_kw)."""
        body = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        }
        answer = self.web.post(f"/web/dataset/call_kw/{model}/{method}", json=body).json()
        if answer.get("error"):
            data = answer["error"].get("data") or {}
            raise WizardError(f"{model}.{method}: {data.get('message') or answer['error']}")
        return answer["result"]

    def upload(self, model: str, path: Path) -> int:
        wizard_id = self.call("base_import.import", "create", [{"res_model": model}])
        files = {"ufile": (path.name, path.read_bytes(), "text/csv")}
        answer = self.web.post(
            "/base_import/set_file",
            data={"csrf_token": self.csrf, "id": str(wizard_id)},
            files=files,
        )
        answer.raise_for_status()
        return int(wizard_id)

    def mapping(self, wizard_id: int) -> tuple[list[str], list[str | bool]]:
        """The file's headers and the fields the wizard maps them to (False: not imported)."""
        preview = self.call(
            "base_import.import", "parse_preview", [wizard_id, dict(WIZARD_OPTIONS)]
        )
        if preview.get("error"):
            raise WizardError(f"preview: {preview['error']}")
        headers = preview["headers"]
        matches = {int(k): v for k, v in (preview.get("matches") or {}).items()}
        return headers, [
            "/".join(matches[i]) if i in matches else False for i in range(len(headers))
        ]

    def run(
        self, wizard_id: int, fields: list[str | bool], headers: list[str], dryrun: bool
    ) -> dict[str, Any]:
        return self.call(
            "base_import.import",
            "execute_import",
            [wizard_id, fields, headers, dict(WIZARD_OPTIONS)],
            {"dryrun": dryrun, "context": {"tracking_disable": True}},
        )

    def import_file(self, model: str, path: Path) -> int:
        """Test, then Import; the number of records imported. Any message fails."""
        wizard_id = self.upload(model, path)
        headers, fields = self.mapping(wizard_id)
        unmapped = [h for h, f in zip(headers, fields, strict=True) if not f]
        if unmapped:
            raise WizardError(f"{path.name}: the wizard maps no field to {unmapped}")
        for dryrun in (True, False):
            result = self.run(wizard_id, fields, headers, dryrun)
            if result.get("messages"):
                shown = [m.get("message") for m in result["messages"][:5]]
                step = "Test" if dryrun else "Import"
                raise WizardError(f"{path.name} ({step}): {shown}")
        return len(result.get("ids") or [])
