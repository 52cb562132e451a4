-- Partners that already exist in the target Odoo (latest snapshot), keyed by email.
with source as (
    select * from {{ source('odoo', 'res_partner') }}
),

latest as (
    select *
    from source
    where _run_id = (select max(_run_id) from source)
)

select
    id as partner_id,
    name,
    {{ normalise_email('email') }} as email,
    is_company
from latest
