-- Legacy time records (matters from before the firm's 2021 billing change).
with source as (
    select * from {{ actionstep_current('timerecords') }}
)

select
    cast(id as bigint) as time_record_id,
    {{ as_link_id('action') }} as action_id,
    {{ as_timestamp('startTimestamp') }} as started_at,
    {{ as_number('actualHours') }} as actual_hours,
    {{ as_number('billableHours') }} as billable_hours,
    record ->> 'notes' as notes,
    {{ as_link_id('owner') }} as owner_participant_id
from source
