-- Matter steps (stages) of each matter type, in Actionstep's step order.
with source as (
    select * from {{ actionstep_current('steps', '{"actionStatus":"VARCHAR","stepName":"VARCHAR","stepNumber":"VARCHAR","links":{"actionType":"VARCHAR"}}') }}
)

select
    id as step_id,
    try_cast(r['links']['actionType'] as bigint) as action_type_id,
    cast(r['stepNumber'] as integer) as step_number,
    nullif(trim(r['stepName']), '') as step_name,
    nullif(trim(r['actionStatus']), '') as action_status
from source
