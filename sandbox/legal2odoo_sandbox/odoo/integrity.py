"""The messages Odoo gives when PostgreSQL refuses a row (odoo/service/model.py
`_as_validation_error`): NOT NULL and foreign-key violations as ValidationError."""

from __future__ import annotations

from legal2odoo_sandbox.odoo.exceptions import ConstraintError
from legal2odoo_sandbox.odoo.schema import Field, ModelDef


def not_null(mdef: ModelDef, field: Field) -> ConstraintError:
    return ConstraintError(
        "The operation cannot be completed:\n"
        "- Create/update: a mandatory field is not set.\n"
        "- Delete: another model requires the record being deleted. If possible, archive it"
        " instead.\n\n"
        f"Model: {mdef.description} ({mdef.name})\n"
        f"Field: {field.string} ({field.name})\n",
        "not_null",
        field=field.name,
        detail=field.string,
    )


def fk_error(description: str, model: str, constraint: str) -> ConstraintError:
    return ConstraintError(
        "The operation cannot be completed: another model requires the record being deleted."
        " If possible, archive it instead.\n\n"
        f"Model: {description} ({model})\n"
        f"Constraint: {constraint}\n",
        "fk",
        detail=constraint,
    )
