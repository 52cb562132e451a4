"""A strict local Odoo server (17.0, 18.0, 19.0) for tests and demos.

    from legal2odoo_sandbox.odoo import Sandbox
    sandbox = Sandbox("17.0")
    with sandbox.running() as server:      # real HTTP on a free port
        ...  # xmlrpc.client / odoorpc / JSON-2 against server.url, db server.db, admin/admin
    sandbox.call("res.partner", "create", [{"name": "Acme"}])   # in-process, same rules

Facts it replays (measured on a real Odoo 17) live in `facts/`; `docs/sandbox-fidelity.md`
lists what differs from a real server.
"""

from legal2odoo_sandbox.odoo.api import Sandbox
from legal2odoo_sandbox.odoo.exceptions import OdooError
from legal2odoo_sandbox.odoo.faults import Faults, InjectedValidation, parse_faults

__all__ = ["Faults", "InjectedValidation", "OdooError", "Sandbox", "parse_faults"]
