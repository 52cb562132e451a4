-- Partners to create: one per person (email dedup across sources), except people the target
-- Odoo already has, which odoo__ir_model_data adopts instead of duplicating.
with partners as (
    select * from {{ ref('int_partners') }}
    where existing_odoo_id is null
)

select
    partner_xmlid as id,
    name,
    email,
    phone,
    mobile,
    street,
    city,
    zip,
    'base.us' as "country_id/id",
    false as is_company,
    source_system as _source_system,
    source_model as _source_model,
    source_id as _source_id,
    {{ row_hash(['name', 'email', 'phone', 'mobile', 'street', 'city', 'zip']) }} as _row_hash,
    1 as _load_pass
from partners
