"""legal2odoo: legal CRM (Actionstep, Captorra) to Odoo CRM migration toolkit."""
