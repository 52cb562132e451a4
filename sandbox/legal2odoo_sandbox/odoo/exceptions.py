"""Odoo's exception classes, as a client sees them.

Each class knows the dotted name Odoo reports in JSON-RPC `data.name`, its XML-RPC fault code and
its JSON-2 HTTP status, so every transport can render the same error the way Odoo does.
"""

from __future__ import annotations


class OdooError(Exception):
    """Base of every error the sandbox raises to a client."""

    odoo_name = "builtins.Exception"
    fault_code = 1  # XML-RPC: 1 = any other exception (faultString is a traceback)
    http_status = 500  # JSON-2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UserError(OdooError):
    odoo_name = "odoo.exceptions.UserError"
    fault_code = 2
    http_status = 422


class ValidationError(UserError):
    odoo_name = "odoo.exceptions.ValidationError"


class ConstraintError(ValidationError):
    """A database constraint failing (Odoo's IntegrityError turned ValidationError).

    `kind` is not_null, check, unique or fk; load() words its row messages from it."""

    def __init__(self, message: str, kind: str, *, field: str = "", detail: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.field = field
        self.detail = detail


class MissingError(UserError):
    odoo_name = "odoo.exceptions.MissingError"
    http_status = 404


class AccessError(UserError):
    odoo_name = "odoo.exceptions.AccessError"
    fault_code = 4
    http_status = 403


class AccessDenied(OdooError):
    odoo_name = "odoo.exceptions.AccessDenied"
    fault_code = 3
    http_status = 403

    def __init__(self, message: str = "Access Denied") -> None:
        super().__init__(message)


class OdooValueError(OdooError):
    """A plain Python ValueError raised inside Odoo (unknown field, bad value)."""

    odoo_name = "builtins.ValueError"
    python_name = "ValueError"


class OdooTypeError(OdooError):
    odoo_name = "builtins.TypeError"
    python_name = "TypeError"


class OdooKeyError(OdooError):
    odoo_name = "builtins.KeyError"
    python_name = "KeyError"


class OdooAttributeError(OdooError):
    odoo_name = "builtins.AttributeError"
    python_name = "AttributeError"


class NotFound(OdooError):
    """werkzeug NotFound: unknown JSON-2 model or method."""

    odoo_name = "werkzeug.exceptions.NotFound"
    http_status = 404


class Unauthorized(OdooError):
    odoo_name = "werkzeug.exceptions.Unauthorized"
    http_status = 401


class UnprocessableEntity(OdooError):
    odoo_name = "werkzeug.exceptions.UnprocessableEntity"
    http_status = 422
