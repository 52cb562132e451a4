-- Target Odoo users from the latest snapshot; the email key matches source owners.
with source as (
    select * from {{ source('odoo', 'res_users') }}
),

latest as (
    select *
    from source
    where _run_id = (select max(_run_id) from source)
)

select
    id as user_id,
    login,
    name,
    {{ normalise_email('email') }} as email,
    lower(trim(login)) as login_key,
    active as is_active
from latest
