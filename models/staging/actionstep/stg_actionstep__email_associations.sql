-- Which matters an email is filed on (id "email--action").
with source as (
    select * from {{ actionstep_current('emailassociations', '{"links":{"action":"VARCHAR","email":"VARCHAR"}}') }}
)

select
    try_cast(r['links']['email'] as bigint) as email_id,
    try_cast(r['links']['action'] as bigint) as action_id
from source
