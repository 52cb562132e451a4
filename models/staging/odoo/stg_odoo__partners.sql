-- Partners that already exist in the target Odoo (latest snapshot, base_odoo__partners), keyed
-- by email.
with partners as (
    select * from {{ ref('base_odoo__partners') }}
)

select
    id as partner_id,
    name,
    {{ normalise_email('email') }} as email,
    is_company
from partners
