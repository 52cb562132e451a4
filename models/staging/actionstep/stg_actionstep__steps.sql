-- Matter steps (stages) of each matter type, in Actionstep's step order.
with source as (
    select * from {{ actionstep_current('steps') }}
)

select
    id as step_id,
    {{ as_link_id('actionType') }} as action_type_id,
    cast(record ->> 'stepNumber' as integer) as step_number,
    {{ as_text('stepName') }} as step_name,
    {{ as_text('actionStatus') }} as action_status
from source
