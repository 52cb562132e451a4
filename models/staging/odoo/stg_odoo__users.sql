-- Target Odoo users (latest snapshot, or the assumed new database's administrator:
-- base_odoo__users); the email key matches source owners. With the administrator alone every
-- owner goes to the fallback owner and no email matches.
with users as (
    select * from {{ ref('base_odoo__users') }}
)

select
    id as user_id,
    login,
    name,
    {{ normalise_email('email') }} as email,
    lower(trim(login)) as login_key,
    active as is_active
from users
