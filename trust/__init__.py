"""Trust before and after a load: preflight, verify and reconcile, report, reference exports.

Reads the marts, the review queue, the target snapshot and the loader's ledger; talks to Odoo
only through `load/`'s transports. Never imports `extract/`.
"""
