-- Actionstep users (staff) with the participant that stands for them and their email key.
with source as (
    select * from {{ actionstep_current('users', '{"emailAddress":"VARCHAR","isActive":"VARCHAR","links":{"participant":"VARCHAR"}}') }}
)

select
    cast(id as bigint) as user_id,
    try_cast(r['links']['participant'] as bigint) as participant_id,
    nullif(trim(r['emailAddress']), '') as email_as_entered,
    {{ normalise_email("r['emailAddress']") }} as email,
    (r['isActive'] = 'T') as is_active
from source
