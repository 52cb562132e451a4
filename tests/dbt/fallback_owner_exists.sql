-- The fallback owner (var fallback_owner_login) must be an active user of the target Odoo:
-- otherwise records of owners without an Odoo user would have no owner at all.
select '{{ var("fallback_owner_login") }}' as missing_fallback_login
where {{ fallback_owner_id() }} is null
