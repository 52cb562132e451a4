-- Partners that already exist in the target Odoo (latest snapshot), keyed by email. Without a
-- snapshot an empty target is assumed: no partner to adopt.
with latest as (
    select *
    from {{ latest_run(odoo_raw('res_partner', [
        ('id', 'bigint'), ('name', 'varchar'), ('email', 'varchar'), ('is_company', 'boolean')])) }}
)

select
    id as partner_id,
    name,
    {{ normalise_email('email') }} as email,
    is_company
from latest
