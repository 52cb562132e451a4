"""A synthetic law firm, deterministic for a seed, for both sources and the target Odoo.

`core` holds the people and staff both sources share; `captorra`, `actionstep` and `odoo`
write each system's side; `generate` writes them all plus the manifest of ground truth.
"""
