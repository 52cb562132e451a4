-- Target Odoo users from the latest snapshot; the email key matches source owners.
with latest as (
    select * from {{ latest_run(source('odoo', 'res_users')) }}
)

select
    id as user_id,
    login,
    name,
    {{ normalise_email('email') }} as email,
    lower(trim(login)) as login_key,
    active as is_active
from latest
