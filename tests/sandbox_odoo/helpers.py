"""Assertions shared by the conformance tests."""

from __future__ import annotations

from typing import Any

import pytest

from tests.sandbox_odoo.clients import Client, Failure

NOT_NULL = (
    "The operation cannot be completed:\n"
    "- Create/update: a mandatory field is not set.\n"
    "- Delete: another model requires the record being deleted. If possible, archive it instead."
    "\n\nModel: {model_desc} ({model})\nField: {field_desc} ({field})\n"
)
FOREIGN_KEY = (
    "The operation cannot be completed: another model requires the record being deleted."
    " If possible, archive it instead.\n\nModel: {model_desc} ({model})\nConstraint: {constraint}\n"
)


def refused(
    odoo: Client,
    name: str,
    message: str | None,
    model: str,
    method: str,
    args: list[Any],
    **kwargs: Any,
) -> Failure:
    """Call and assert Odoo refuses it with this exception class and message."""
    with pytest.raises(Failure) as info:
        odoo.call(model, method, args, **kwargs)
    failure = info.value
    assert failure.matches(name, message), f"expected {name}: {message!r}\n got {failure}"
    return failure


def xmlid_of(odoo: Client, module: str, name: str) -> int:
    rows = odoo.call(
        "ir.model.data",
        "search_read",
        [[["module", "=", module], ["name", "=", name]]],
        fields=["res_id"],
    )
    assert rows, f"no external id {module}.{name}"
    return rows[0]["res_id"]
