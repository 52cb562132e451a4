-- Partners that already exist in the target Odoo (latest snapshot), keyed by email.
with latest as (
    select * from {{ latest_run(source('odoo', 'res_partner')) }}
)

select
    id as partner_id,
    name,
    {{ normalise_email('email') }} as email,
    is_company
from latest
