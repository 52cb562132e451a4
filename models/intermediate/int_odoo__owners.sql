-- Who may own a record in the target Odoo: one active user per email, case-insensitive.
with users as (
    select * from {{ ref('stg_odoo__users') }}
    where is_active and email is not null
)

select
    email,
    min(user_id) as user_id
from users
group by email
